output "bucket_name" {
  description = "Bucket for the backend's `bucket` setting."
  value       = module.bucket.bucket_name
}

output "bucket_arn" {
  description = "ARN of the state bucket, for the IAM policies of whoever runs Terraform."
  value       = module.bucket.bucket_arn
}

output "lock_table_name" {
  description = "Table for the backend's `dynamodb_table` setting."
  value       = aws_dynamodb_table.this.name
}

output "lock_table_arn" {
  description = "ARN of the lock table, for IAM policies."
  value       = aws_dynamodb_table.this.arn
}
