output "endpoint_url" {
  description = "URL of the service's load balancer."
  value       = module.service.endpoint_url
}

output "environment_name" {
  description = "Name of the service's Elastic Beanstalk environment."
  value       = module.service.environment_name
}

output "event_stream_name" {
  description = "Stream the service emits its events to."
  value       = module.events.stream_name
}

output "event_stream_arn" {
  description = "ARN of the service's event stream, for subscribers."
  value       = module.events.stream_arn
}

output "files_prefix" {
  description = "The service's prefix in the files bucket."
  value       = local.files_prefix
}

output "instance_role_name" {
  description = "IAM role of the service's instances, for grants beyond the module's own."
  value       = module.service.instance_role_name
}

output "event_archiver_function_name" {
  description = "Name of the Lambda function that archives the service's events."
  value       = module.event_archiver.function_name
}

output "version_label" {
  description = "Application version the environment runs; null while it runs the sample app."
  value       = local.version_label
}
