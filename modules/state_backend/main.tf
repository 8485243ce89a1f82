module "bucket" {
  source = "../s3_bucket"

  bucket_name                        = var.bucket_name
  kms_key_arn                        = var.kms_key_arn
  noncurrent_version_expiration_days = var.noncurrent_version_expiration_days
  # State is the one thing that must survive a mistaken destroy.
  enable_force_destroy = false
  tags                 = var.tags
}

resource "aws_dynamodb_table" "this" {
  name         = var.lock_table_name
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "LockID"
  tags         = var.tags

  attribute {
    name = "LockID"
    type = "S"
  }

  point_in_time_recovery {
    enabled = true
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = var.kms_key_arn
  }
}
