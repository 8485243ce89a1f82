output "files_bucket_name" {
  description = "Bucket that holds the services' files (keys, env files, configs, images)."
  value       = module.files_bucket.bucket_name
}

output "event_streams" {
  description = "Event stream of each service, by service name."
  value       = { for name, stream in module.event_stream : name => stream.stream_name }
}
