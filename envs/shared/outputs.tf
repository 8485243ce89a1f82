output "files_bucket_name" {
  description = "Bucket that holds the services' files (keys, env files, configs, images)."
  value       = module.files_bucket.bucket_name
}

output "event_streams" {
  description = "Event stream of each service, by service name."
  value       = { for name, service in module.service : name => service.event_stream_name }
}

output "vpc_id" {
  description = "The environment's VPC."
  value       = module.network.vpc_id
}

output "database_endpoint" {
  description = "Address and port of the PostgreSQL database."
  value       = module.database.endpoint
}

output "database_secret_arn" {
  description = "Secrets Manager secret with the database's connection details and password."
  value       = module.database.secret_arn
}

output "service_urls" {
  description = "Load balancer URL of each service, by service name."
  value       = { for name, service in module.service : name => service.endpoint_url }
}

output "service_versions" {
  description = "Application version each service runs, by service name; null for the sample app."
  value       = { for name, service in module.service : name => service.version_label }
}
