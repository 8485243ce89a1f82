environment                              = "prod"
region                                   = "eu-west-1"
allowed_account_ids                      = ["222222222222"]
lambda_runtime                           = "python3.12"
owner                                    = "platform-team"
enable_force_destroy                     = false
files_noncurrent_version_expiration_days = 365

services = {
  orders = {
    instance_type                = "t3.medium"
    min_instances                = 2
    max_instances                = 6
    event_stream_shard_count     = 2
    event_stream_retention_hours = 168
  }
}

network = {
  create_nat_gateway = true
  enable_flow_logs   = true
}

database = {
  instance_class            = "db.m7g.large"
  allocated_storage_gib     = 100
  max_allocated_storage_gib = 500
  backup_retention_days     = 14
}
