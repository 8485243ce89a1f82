# Runs on the local AWS emulator (moto on 127.0.0.1); `make apply` wires the endpoints.
environment          = "local"
region               = "us-east-1"
lambda_runtime       = "python3.8"
owner                = "platform-team"
enable_force_destroy = true

services = {
  orders = {
    min_instances                = 1
    max_instances                = 2
    event_stream_retention_hours = 48
  }
}

database = {
  multi_az                    = false
  deletion_protection         = false
  skip_final_snapshot         = true
  backup_retention_days       = 1
  secret_recovery_window_days = 0
  apply_immediately           = true
}
