output "backend_settings" {
  description = "What the environment's backend.hcl holds."
  value = {
    bucket         = module.state_backend.bucket_name
    dynamodb_table = module.state_backend.lock_table_name
    region         = var.region
  }
}
