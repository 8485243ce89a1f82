resource "aws_kinesis_stream" "this" {
  name                      = var.name
  shard_count               = var.shard_count
  retention_period          = var.retention_period_hours
  encryption_type           = "KMS"
  kms_key_id                = var.kms_key_id
  shard_level_metrics       = var.shard_level_metrics
  enforce_consumer_deletion = var.enable_consumer_deletion
  tags                      = var.tags
}
