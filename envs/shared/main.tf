data "aws_caller_identity" "current" {}

locals {
  name_prefix = "${var.project}-${var.environment}"
  account_id  = data.aws_caller_identity.current.account_id
}

module "files_bucket" {
  source = "../../modules/s3_bucket"

  # The account id keeps the globally shared bucket namespace free of collisions between forks.
  bucket_name                        = "${local.name_prefix}-files-${local.account_id}"
  noncurrent_version_expiration_days = var.files_noncurrent_version_expiration_days
  enable_force_destroy               = var.enable_force_destroy
}

module "event_stream" {
  source   = "../../modules/kinesis_stream"
  for_each = var.services

  name                   = "${local.name_prefix}-${each.key}-events"
  shard_count            = each.value.event_stream_shard_count
  retention_period_hours = each.value.event_stream_retention_hours
  tags                   = { service = each.key }
}
