output "function_names" {
  description = "Names of the three functions."
  value = [
    module.event_archiver.function_name,
    module.scheduled_sweeper.function_name,
    module.image_thumbnailer.function_name,
  ]
}

output "event_source_mapping_uuid" {
  description = "UUID of the archiver's Kinesis mapping."
  value       = module.event_archiver.event_source_mapping_uuid
}
