variable "bucket_name" {
  description = "Globally unique bucket name: 3-63 lowercase letters, digits, dots or hyphens."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.bucket_name))
    error_message = <<-EOT
      bucket_name must be 3-63 characters of a-z, 0-9, '.' and '-', starting and ending with a
      letter or digit.
    EOT
  }
}

variable "kms_key_arn" {
  description = <<-EOT
    ARN of a KMS key for default encryption (SSE-KMS). Null encrypts with S3-managed keys
    (SSE-S3, AES256), which costs nothing extra and suits most buckets.
  EOT
  type        = string
  default     = null
}

variable "noncurrent_version_expiration_days" {
  description = "Days after which old object versions are deleted. Null keeps them forever."
  type        = number
  default     = 90

  validation {
    condition     = coalesce(var.noncurrent_version_expiration_days, 1) >= 1
    error_message = "noncurrent_version_expiration_days must be at least 1, or null to keep them."
  }
}

variable "abort_incomplete_multipart_upload_days" {
  description = "Days after which unfinished multipart uploads are removed."
  type        = number
  default     = 7

  validation {
    condition     = var.abort_incomplete_multipart_upload_days >= 1
    error_message = "abort_incomplete_multipart_upload_days must be at least 1."
  }
}

variable "enable_force_destroy" {
  description = <<-EOT
    Let `terraform destroy` delete the bucket with every object and version in it. Leave false
    where data lives; disposable environments turn it on.
  EOT
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags for every resource of the module, merged over the provider's default tags."
  type        = map(string)
  default     = {}
}
