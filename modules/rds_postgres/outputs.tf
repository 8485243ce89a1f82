output "address" {
  description = "Host name of the instance."
  value       = aws_db_instance.this.address
}

output "port" {
  description = "Port PostgreSQL listens on."
  value       = aws_db_instance.this.port
}

output "endpoint" {
  description = "Host and port as host:port."
  value       = aws_db_instance.this.endpoint
}

output "database_name" {
  description = "Database that exists from the start (see the README on why it is \"postgres\")."
  value       = local.database_name
}

output "master_username" {
  description = "Name of the master user."
  value       = aws_db_instance.this.username
}

output "secret_arn" {
  description = <<-EOT
    ARN of the secret holding {username, password, engine, host, port, dbname} as JSON. Grant
    secretsmanager:GetSecretValue on it (and kms:Decrypt when secret_kms_key_arn is set).
  EOT
  value       = aws_secretsmanager_secret.this.arn
}

output "security_group_id" {
  description = "Security group of the instance."
  value       = aws_security_group.this.id
}

output "instance_identifier" {
  description = "Identifier of the instance (the `id` attribute means this only before 5.0)."
  value       = aws_db_instance.this.identifier
}

output "instance_arn" {
  description = "ARN of the instance."
  value       = aws_db_instance.this.arn
}

output "instance_resource_id" {
  description = "Resource id (db-...), used in rds-db:connect policies for IAM authentication."
  value       = aws_db_instance.this.resource_id
}

output "parameter_group_name" {
  description = "Name of the parameter group."
  value       = aws_db_parameter_group.this.name
}

output "subnet_group_name" {
  description = "Name of the DB subnet group."
  value       = aws_db_subnet_group.this.name
}
