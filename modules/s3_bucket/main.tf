resource "aws_s3_bucket" "this" {
  # checkov:skip=CKV_AWS_144:Replicating to another region is the caller's disaster-recovery choice
  # checkov:skip=CKV_AWS_145:SSE-S3 by default on purpose (no key to manage); kms_key_arn for KMS
  # checkov:skip=CKV2_AWS_62:Notifications belong to consumers; S3 allows one configuration a bucket
  # checkov:skip=CKV_AWS_18:Access logs need a log bucket, which the platform lacks so far
  bucket        = var.bucket_name
  force_destroy = var.enable_force_destroy
  tags          = var.tags

  # Inline blocks rather than the aws_s3_bucket_* resources of provider 4+, which do not exist
  # in 3.39; the inline blocks are deprecated from 4.9 on but still accepted through 6.x.
  versioning {
    enabled = true
  }

  server_side_encryption_configuration {
    rule {
      apply_server_side_encryption_by_default {
        sse_algorithm     = var.kms_key_arn == null ? "AES256" : "aws:kms"
        kms_master_key_id = var.kms_key_arn
      }
      bucket_key_enabled = var.kms_key_arn != null
    }
  }

  lifecycle_rule {
    id                                     = "tidy-versions-and-uploads"
    enabled                                = true
    abort_incomplete_multipart_upload_days = var.abort_incomplete_multipart_upload_days

    dynamic "noncurrent_version_expiration" {
      for_each = var.noncurrent_version_expiration_days == null ? [] : [1]

      content {
        days = var.noncurrent_version_expiration_days
      }
    }
  }
}

resource "aws_s3_bucket_public_access_block" "this" {
  bucket                  = aws_s3_bucket.this.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

data "aws_iam_policy_document" "tls_only" {
  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.this.arn, "${aws_s3_bucket.this.arn}/*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_s3_bucket_policy" "this" {
  bucket = aws_s3_bucket.this.id
  policy = data.aws_iam_policy_document.tls_only.json

  # S3 rejects a policy change that races the public access block on the same bucket.
  depends_on = [aws_s3_bucket_public_access_block.this]
}
