environment          = "staging"
region               = "eu-west-1"
allowed_account_ids  = ["111111111111"]
lambda_runtime       = "python3.12"
owner                = "platform-team"
enable_force_destroy = true

services = {
  orders = {
    min_instances                = 1
    max_instances                = 2
    event_stream_retention_hours = 72
  }
}

network = {
  enable_flow_logs = true
}

database = {
  multi_az                    = false
  deletion_protection         = false
  skip_final_snapshot         = true
  backup_retention_days       = 3
  secret_recovery_window_days = 0
  apply_immediately           = true
}
