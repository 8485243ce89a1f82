variable "bucket_name" {
  description = "Name of the bucket that holds Terraform state; unique across all of S3."
  type        = string
}

variable "lock_table_name" {
  description = "Name of the DynamoDB table that holds Terraform's state locks."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9_.-]{3,255}$", var.lock_table_name))
    error_message = "lock_table_name must be 3-255 characters of a-z, A-Z, 0-9, '_', '-' and '.'."
  }
}

variable "kms_key_arn" {
  description = "KMS key for the state bucket and the lock table. Null uses AWS-managed keys."
  type        = string
  default     = null
}

variable "noncurrent_version_expiration_days" {
  description = "Days old state versions are kept, for recovery from a bad apply."
  type        = number
  default     = 365
}

variable "tags" {
  description = "Tags for every resource of the module, merged over the provider's default tags."
  type        = map(string)
  default     = {}
}
