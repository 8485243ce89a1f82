output "function_name" {
  description = "Name of the sweeper function."
  value       = module.sweeper.function_name
}

output "schedule_rule_arn" {
  description = "ARN of the rule that runs it."
  value       = module.sweeper.schedule_rule_arn
}
