################################################################################
# Function
################################################################################

variable "function_name" {
  description = "Name of the function; also names its log group, IAM role and schedule rule."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,64}$", var.function_name))
    error_message = "The function_name must be 1-64 letters, digits, hyphens or underscores."
  }
}

variable "description" {
  description = "What the function does, shown in the Lambda console."
  type        = string
  default     = ""

  validation {
    condition     = length(var.description) <= 256
    error_message = "The description must be at most 256 characters."
  }
}

variable "zip_path" {
  description = "Path of the prebuilt deployment zip (from 'blueprint package')."
  type        = string
}

variable "source_code_hash" {
  description = <<-EOT
    Base64 SHA-256 of the zip, as filebase64sha256() or 'blueprint package' gives it. Passed in,
    not computed here, so that a plan works before the zip exists on this machine.
  EOT
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9+/]{43}=$", var.source_code_hash))
    error_message = "The source_code_hash must be a base64 SHA-256 (44 characters ending in =)."
  }
}

variable "handler" {
  description = "Entry point as module.function inside the zip."
  type        = string
  default     = "handler.handler"

  validation {
    condition     = can(regex("^[A-Za-z0-9_./-]+\\.[A-Za-z0-9_]+$", var.handler))
    error_message = "The handler must look like module.function, e.g. handler.handler."
  }
}

variable "runtime" {
  description = <<-EOT
    Lambda Python runtime, e.g. python3.12. No default: the provider version decides which
    runtimes Terraform accepts (3.39 knows up to python3.8), so each environment chooses.
  EOT
  type        = string

  validation {
    condition     = can(regex("^python3\\.[0-9]+$", var.runtime))
    error_message = "The runtime must be a Python runtime of the form python3.N, e.g. python3.12."
  }
}

variable "memory_size" {
  description = "Memory in MB; CPU is allocated in proportion."
  type        = number
  default     = 128

  validation {
    condition = (
      var.memory_size >= 128 && var.memory_size <= 10240
      && floor(var.memory_size) == var.memory_size
    )
    error_message = "The memory_size must be a whole number of MB from 128 to 10240."
  }
}

variable "timeout" {
  description = "Maximum run time of one invocation, in seconds."
  type        = number
  default     = 30

  validation {
    condition = (
      var.timeout >= 1 && var.timeout <= 900 && floor(var.timeout) == var.timeout
    )
    error_message = "The timeout must be a whole number of seconds from 1 to 900."
  }
}

variable "environment_variables" {
  description = <<-EOT
    Environment variables of the function. They are stored in plain text in the Terraform state
    and shown by the Lambda API to anyone who can read the function: never put secrets here.
    Pass a secret's ARN instead and let the function read it from Secrets Manager.
  EOT
  type        = map(string)
  default     = {}
}

variable "kms_key_arn" {
  description = "KMS key that encrypts the environment variables; null uses the AWS managed key."
  type        = string
  default     = null
}

variable "reserved_concurrent_executions" {
  description = "Concurrent executions reserved for the function; -1 reserves none, 0 disables it."
  type        = number
  default     = -1

  validation {
    condition = (
      floor(var.reserved_concurrent_executions) == var.reserved_concurrent_executions
      && var.reserved_concurrent_executions >= -1
    )
    error_message = <<-EOT
      The reserved_concurrent_executions must be -1 (no reservation) or a whole number >= 0.
    EOT
  }
}

variable "tracing_mode" {
  description = "X-Ray tracing: PassThrough (only when the caller traces) or Active."
  type        = string
  default     = "PassThrough"

  validation {
    condition     = contains(["PassThrough", "Active"], var.tracing_mode)
    error_message = "The tracing_mode must be one of: PassThrough, Active."
  }
}

variable "dead_letter_target_arn" {
  description = <<-EOT
    SQS queue or SNS topic ARN that receives events of asynchronous invocations (S3, schedule)
    that failed every retry. null keeps no dead-letter target.
  EOT
  type        = string
  default     = null

  validation {
    condition = (
      var.dead_letter_target_arn == null
      || can(regex("^arn:[^:]+:(sqs|sns):", var.dead_letter_target_arn))
    )
    error_message = "The dead_letter_target_arn must be an SQS queue or SNS topic ARN."
  }
}

variable "tags" {
  description = "Tags for every resource the module creates."
  type        = map(string)
  default     = {}
}

################################################################################
# Logs
################################################################################

variable "log_retention_in_days" {
  description = "Days CloudWatch keeps the function's logs."
  type        = number
  default     = 30

  validation {
    condition = contains(
      [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922,
      3288, 3653],
      var.log_retention_in_days,
    )
    error_message = <<-EOT
      The log_retention_in_days must be one of CloudWatch's values: 1, 3, 5, 7, 14, 30, 60, 90,
      120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653.
    EOT
  }
}

variable "log_kms_key_id" {
  description = "KMS key ARN that encrypts the log group; null uses CloudWatch's own encryption."
  type        = string
  default     = null
}

################################################################################
# IAM
################################################################################

variable "role_name" {
  description = "Name of the function's IAM role; null uses function_name."
  type        = string
  default     = null
}

variable "role_permissions_boundary_arn" {
  description = "Permissions boundary for the function's IAM role, when the account requires one."
  type        = string
  default     = null
}

variable "policy_statements" {
  description = <<-EOT
    Extra Allow statements for the function's role, e.g. writing to its bucket. Each has a sid
    (letters and digits), actions and resources. "*" and "service:*" actions are refused, and so
    is a "*" resource for any action that is not a read (Get, List, Describe, Head, Query, Scan),
    except the few write actions AWS only grants on "*" (cloudwatch:PutMetricData and X-Ray's).
  EOT
  type = list(object({
    sid       = string
    actions   = list(string)
    resources = list(string)
  }))
  default = []

  validation {
    condition = alltrue([
      for s in var.policy_statements : can(regex("^[A-Za-z0-9]*$", s.sid))
      && length(s.actions) > 0 && length(s.resources) > 0
    ])
    error_message = <<-EOT
      Each policy statement needs an alphanumeric sid, at least one action and one resource.
    EOT
  }

  validation {
    condition = alltrue(flatten([
      for s in var.policy_statements : [
        for a in s.actions : can(regex("^[A-Za-z0-9-]+:[A-Za-z0-9]+\\*?$", a))
      ]
    ]))
    error_message = <<-EOT
      Each action must name one service and action, like s3:PutObject; "*" and "s3:*" are
      refused.
    EOT
  }

  validation {
    condition = alltrue(flatten([
      for s in var.policy_statements : [
        for a in s.actions : (
          can(regex("^[A-Za-z0-9-]+:(Get|List|Describe|Head|BatchGet|Query|Scan)", a))
          || contains(
            ["cloudwatch:PutMetricData", "xray:PutTraceSegments", "xray:PutTelemetryRecords"], a
          )
          || !contains(s.resources, "*")
        )
      ]
    ]))
    error_message = <<-EOT
      A "*" resource is only allowed with read actions (Get, List, Describe, Head, BatchGet,
      Query, Scan); name the resources a write action touches.
    EOT
  }
}

################################################################################
# Trigger: schedule
################################################################################

variable "create_schedule_trigger" {
  description = "Whether to run the function on schedule_expression (EventBridge rule)."
  type        = bool
  default     = false
}

variable "schedule_expression" {
  description = "When to run, e.g. \"cron(0 2 * * ? *)\" (02:00 UTC daily) or \"rate(1 hour)\"."
  type        = string
  default     = null

  validation {
    condition = (
      var.schedule_expression == null
      || can(regex("^(rate|cron)\\(.+\\)$", var.schedule_expression))
    )
    error_message = "The schedule_expression must be rate(...) or cron(...)."
  }
}

################################################################################
# Trigger: Kinesis
################################################################################

variable "create_kinesis_trigger" {
  description = "Whether to feed the function from kinesis_stream_arn (event source mapping)."
  type        = bool
  default     = false
}

variable "kinesis_stream_arn" {
  description = "Kinesis stream the function reads; the role gets read access to it only."
  type        = string
  default     = null
}

variable "kinesis_batch_size" {
  description = "Most records handed to one invocation."
  type        = number
  default     = 100

  validation {
    condition     = var.kinesis_batch_size >= 1 && var.kinesis_batch_size <= 10000
    error_message = "The kinesis_batch_size must be from 1 to 10000."
  }
}

variable "kinesis_starting_position" {
  description = "Where a new mapping starts reading: LATEST or TRIM_HORIZON (oldest kept record)."
  type        = string
  default     = "LATEST"

  validation {
    condition     = contains(["LATEST", "TRIM_HORIZON"], var.kinesis_starting_position)
    error_message = "The kinesis_starting_position must be one of: LATEST, TRIM_HORIZON."
  }
}

variable "kinesis_maximum_batching_window_in_seconds" {
  description = "How long to gather records before invoking, 0 to 300 seconds."
  type        = number
  default     = 0

  validation {
    condition = (
      var.kinesis_maximum_batching_window_in_seconds >= 0
      && var.kinesis_maximum_batching_window_in_seconds <= 300
    )
    error_message = "The kinesis_maximum_batching_window_in_seconds must be from 0 to 300."
  }
}

variable "enable_kinesis_bisect_batch_on_function_error" {
  description = "Whether a failing batch is split in two and retried, to isolate a bad record."
  type        = bool
  default     = true
}

variable "kinesis_maximum_retry_attempts" {
  description = <<-EOT
    Retries of a failing batch before it goes to the on-failure destination; -1 retries until
    the records expire. Keep it finite, or one bad record blocks its shard.
  EOT
  type        = number
  default     = 3

  validation {
    condition = (
      var.kinesis_maximum_retry_attempts >= -1 && var.kinesis_maximum_retry_attempts <= 10000
    )
    error_message = "The kinesis_maximum_retry_attempts must be from -1 to 10000."
  }
}

variable "kinesis_maximum_record_age_in_seconds" {
  description = <<-EOT
    Records older than this many seconds are skipped (sent to the on-failure destination); -1
    never skips.
  EOT
  type        = number
  default     = -1

  validation {
    condition = (
      (
        var.kinesis_maximum_record_age_in_seconds >= 60
        && var.kinesis_maximum_record_age_in_seconds <= 604800
      )
      || var.kinesis_maximum_record_age_in_seconds == -1
    )
    error_message = "The kinesis_maximum_record_age_in_seconds must be -1 or from 60 to 604800."
  }
}

variable "kinesis_on_failure_destination_arn" {
  description = <<-EOT
    SQS queue or SNS topic ARN that receives the details (not the data) of batches that failed
    every retry; null drops them after the retries.
  EOT
  type        = string
  default     = null

  validation {
    condition = (
      var.kinesis_on_failure_destination_arn == null
      || can(regex("^arn:[^:]+:(sqs|sns):", var.kinesis_on_failure_destination_arn))
    )
    error_message = "The kinesis_on_failure_destination_arn must be an SQS queue or SNS topic ARN."
  }
}

################################################################################
# Trigger: S3
################################################################################

variable "create_s3_trigger" {
  description = <<-EOT
    Whether to invoke the function for new objects in s3_bucket_name. The module then owns the
    bucket's whole notification configuration (S3 keeps one per bucket): use it only for a
    bucket that notifies nothing else.
  EOT
  type        = bool
  default     = false
}

variable "s3_bucket_name" {
  description = <<-EOT
    Bucket whose notifications invoke the function; the role may read its objects under
    s3_filter_prefix.
  EOT
  type        = string
  default     = null
}

variable "s3_events" {
  description = "S3 event types that invoke the function."
  type        = list(string)
  default     = ["s3:ObjectCreated:*"]

  validation {
    condition     = alltrue([for e in var.s3_events : can(regex("^s3:", e))])
    error_message = "Each of s3_events must be an S3 event type such as s3:ObjectCreated:*."
  }
}

variable "s3_filter_prefix" {
  description = "Only keys under this prefix invoke the function; also the prefix it may read."
  type        = string
  default     = ""
}

variable "s3_filter_suffix" {
  description = "Only keys ending with this suffix invoke the function; \"\" for any."
  type        = string
  default     = ""
}
