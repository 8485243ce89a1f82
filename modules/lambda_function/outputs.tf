output "function_name" {
  description = "Name of the function."
  value       = aws_lambda_function.this.function_name
}

output "function_arn" {
  description = "ARN of the function."
  value       = aws_lambda_function.this.arn
}

output "invoke_arn" {
  description = "ARN for API Gateway to invoke the function."
  value       = aws_lambda_function.this.invoke_arn
}

output "role_name" {
  description = "Name of the function's IAM role, to attach more policies to."
  value       = aws_iam_role.this.name
}

output "role_arn" {
  description = "ARN of the function's IAM role."
  value       = aws_iam_role.this.arn
}

output "log_group_name" {
  description = "Name of the function's CloudWatch log group."
  value       = aws_cloudwatch_log_group.this.name
}

output "log_group_arn" {
  description = "ARN of the function's CloudWatch log group."
  value       = local.log_group_arn
}

output "schedule_rule_arn" {
  description = "ARN of the EventBridge schedule rule; null without a schedule trigger."
  value       = try(aws_cloudwatch_event_rule.schedule[0].arn, null)
}

output "event_source_mapping_uuid" {
  description = "UUID of the Kinesis event source mapping; null without a Kinesis trigger."
  value       = try(aws_lambda_event_source_mapping.kinesis[0].uuid, null)
}
