output "url" {
  description = "Base URL of the service."
  value       = module.service.url
}

output "environment_id" {
  description = "ID of the Elastic Beanstalk environment."
  value       = module.service.environment_id
}

output "environment_name" {
  description = "Name of the Elastic Beanstalk environment."
  value       = module.service.environment_name
}

output "application_version_label" {
  description = "Deployed version; null while the sample application runs."
  value       = module.service.application_version_label
}

output "instance_role_name" {
  description = "IAM role of the service's instances."
  value       = module.service.instance_role_name
}
