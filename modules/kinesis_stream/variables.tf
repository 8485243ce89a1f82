variable "name" {
  description = "Name of the stream: 1 to 128 letters, digits, '_', '-' or '.'."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9_.-]{1,128}$", var.name))
    error_message = "name must be 1-128 characters of a-z, A-Z, 0-9, '_', '-' and '.'."
  }
}

variable "shard_count" {
  description = "Number of shards; each takes 1 MB/s or 1,000 records/s of writes."
  type        = number
  default     = 1

  validation {
    condition     = var.shard_count >= 1 && var.shard_count == floor(var.shard_count)
    error_message = "shard_count must be a whole number of at least 1."
  }
}

variable "retention_period_hours" {
  description = "How long records stay readable, in hours: 24 (one day) to 8760 (one year)."
  type        = number
  default     = 24

  validation {
    condition = (
      var.retention_period_hours >= 24 && var.retention_period_hours <= 8760
      && var.retention_period_hours == floor(var.retention_period_hours)
    )
    error_message = "retention_period_hours must be a whole number from 24 to 8760."
  }
}

variable "kms_key_id" {
  description = <<-EOT
    KMS key (ARN, id or alias) that encrypts records at rest. The default is the AWS-managed key
    for Kinesis, which needs no key policy of ours.
  EOT
  type        = string
  default     = "alias/aws/kinesis"

  validation {
    condition     = length(var.kms_key_id) > 0
    error_message = "kms_key_id must name a KMS key; encryption at rest cannot be turned off."
  }
}

variable "shard_level_metrics" {
  description = "Enhanced shard-level CloudWatch metrics to enable, such as IncomingBytes."
  type        = list(string)
  default     = []

  validation {
    condition = alltrue([
      for metric in var.shard_level_metrics : contains([
        "IncomingBytes", "IncomingRecords", "OutgoingBytes", "OutgoingRecords",
        "WriteProvisionedThroughputExceeded", "ReadProvisionedThroughputExceeded",
        "IteratorAgeMilliseconds", "ALL",
      ], metric)
    ])
    error_message = <<-EOT
      shard_level_metrics may hold IncomingBytes, IncomingRecords, OutgoingBytes, OutgoingRecords,
      WriteProvisionedThroughputExceeded, ReadProvisionedThroughputExceeded,
      IteratorAgeMilliseconds or ALL.
    EOT
  }
}

variable "enable_consumer_deletion" {
  description = "Let `terraform destroy` remove the stream while registered consumers still exist."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags for the stream, merged over the provider's default tags."
  type        = map(string)
  default     = {}
}
