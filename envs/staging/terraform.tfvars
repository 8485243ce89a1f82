environment          = "staging"
region               = "eu-west-1"
allowed_account_ids  = ["111111111111"]
owner                = "platform-team"
enable_force_destroy = true

services = {
  orders = {
    event_stream_retention_hours = 72
  }
}
