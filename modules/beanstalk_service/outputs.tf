output "application_name" {
  description = "Name of the Elastic Beanstalk application."
  value       = aws_elastic_beanstalk_application.this.name
}

output "application_arn" {
  description = "ARN of the Elastic Beanstalk application."
  value       = aws_elastic_beanstalk_application.this.arn
}

output "application_version_label" {
  description = "Label of the deployed application version; null while the sample app runs."
  value       = try(aws_elastic_beanstalk_application_version.this[0].name, null)
}

output "solution_stack_name" {
  description = "Solution stack (platform) the environment runs on."
  value       = data.aws_elastic_beanstalk_solution_stack.this.name
}

output "environment_name" {
  description = "Name of the environment."
  value       = aws_elastic_beanstalk_environment.this.name
}

output "environment_id" {
  description = "ID of the environment (e-...)."
  value       = aws_elastic_beanstalk_environment.this.id
}

output "environment_arn" {
  description = "ARN of the environment."
  value       = aws_elastic_beanstalk_environment.this.arn
}

output "environment_cname" {
  description = "Elastic Beanstalk DNS name of the environment (…elasticbeanstalk.com)."
  value       = aws_elastic_beanstalk_environment.this.cname
}

output "endpoint_url" {
  description = "DNS name of the environment's load balancer."
  value       = aws_elastic_beanstalk_environment.this.endpoint_url
}

output "url" {
  description = "Base URL of the service: https when a certificate is set, else http."
  value = try(
    "${local.enable_https ? "https" : "http"}://${aws_elastic_beanstalk_environment.this.cname}",
    null,
  )
}

output "load_balancer_arn" {
  description = "ARN of the environment's application load balancer."
  value       = try(aws_elastic_beanstalk_environment.this.load_balancers[0], null)
}

output "https_redirect_rule_arn" {
  description = "ARN of the listener rule redirecting HTTP to HTTPS; null without a certificate."
  value       = try(aws_lb_listener_rule.redirect_to_https[0].arn, null)
}

output "instance_role_name" {
  description = "Name of the instances' IAM role, for attaching further policies."
  value       = aws_iam_role.instance.name
}

output "instance_role_arn" {
  description = "ARN of the instances' IAM role, for resource policies (bucket, key, secret)."
  value       = aws_iam_role.instance.arn
}

output "instance_profile_name" {
  description = "Name of the instance profile the environment's instances use."
  value       = aws_iam_instance_profile.this.name
}

output "service_role_arn" {
  description = "ARN of the role Elastic Beanstalk uses for health, updates and the lifecycle."
  value       = aws_iam_role.service.arn
}
