################################################################################
# Application and platform
################################################################################

variable "name" {
  description = <<-EOT
    Name of the service: names the application, the environment and the IAM roles. 4 to 40
    letters, digits or hyphens, not starting or ending with a hyphen (Elastic Beanstalk's rule
    for environment names).
  EOT
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9][A-Za-z0-9-]{2,38}[A-Za-z0-9]$", var.name))
    error_message = <<-EOT
      name must be 4-40 letters, digits or hyphens and must not start or end with a hyphen.
    EOT
  }
}

variable "description" {
  description = "What the service does; shown on the application and the environment."
  type        = string
  default     = ""

  validation {
    condition     = length(var.description) <= 200
    error_message = "description must be at most 200 characters."
  }
}

variable "solution_stack_name_regex" {
  description = <<-EOT
    Regular expression (RE2) for the platform's solution stack name; the newest matching stack
    is used. Pin the language version, for example "running Python 3\\.12$"; the platform
    version then follows AWS's releases.
  EOT
  type        = string
  default     = "^64bit Amazon Linux 2023 v[0-9.]+ running Python 3\\.12$"

  validation {
    condition     = can(regexall(var.solution_stack_name_regex, ""))
    error_message = "solution_stack_name_regex must be a valid regular expression."
  }
}

variable "wait_for_ready_timeout" {
  description = "How long Terraform waits for the environment to become Ready, e.g. \"20m\"."
  type        = string
  default     = "20m"

  validation {
    condition     = can(regex("^[0-9]+(s|m|h)$", var.wait_for_ready_timeout))
    error_message = "wait_for_ready_timeout must be a whole number followed by s, m or h."
  }
}

variable "tags" {
  description = "Tags for every resource the module creates, merged over the provider's defaults."
  type        = map(string)
  default     = {}
}

################################################################################
# Network and capacity
################################################################################

variable "vpc_id" {
  description = "VPC the environment runs in."
  type        = string

  validation {
    condition     = can(regex("^vpc-[0-9a-f]+$", var.vpc_id))
    error_message = "vpc_id must be a VPC id such as vpc-0123456789abcdef0."
  }
}

variable "private_subnet_ids" {
  description = "Private subnets for the instances, which get no public addresses."
  type        = list(string)

  validation {
    condition = length(var.private_subnet_ids) >= 1 && alltrue([
      for id in var.private_subnet_ids : can(regex("^subnet-[0-9a-f]+$", id))
    ])
    error_message = "private_subnet_ids must hold at least one subnet id (subnet-...)."
  }
}

variable "public_subnet_ids" {
  description = "Public subnets for the application load balancer, in at least two zones."
  type        = list(string)

  validation {
    condition = length(var.public_subnet_ids) >= 2 && alltrue([
      for id in var.public_subnet_ids : can(regex("^subnet-[0-9a-f]+$", id))
    ])
    error_message = "public_subnet_ids must hold at least two subnet ids (subnet-...)."
  }
}

variable "instance_security_group_ids" {
  description = <<-EOT
    Extra security groups for the instances, such as the network's service group that the
    database admits. Elastic Beanstalk adds its own group for traffic from the load balancer.
  EOT
  type        = list(string)
  default     = []

  validation {
    condition = alltrue([
      for id in var.instance_security_group_ids : can(regex("^sg-[0-9a-f]+$", id))
    ])
    error_message = "instance_security_group_ids must hold security group ids (sg-...)."
  }
}

variable "load_balancer_security_group_ids" {
  description = <<-EOT
    Security groups for the load balancer; the first is the one Elastic Beanstalk manages (opens
    to the instances). Empty: Elastic Beanstalk creates a group open on 80 and 443.
  EOT
  type        = list(string)
  default     = []

  validation {
    condition = alltrue([
      for id in var.load_balancer_security_group_ids : can(regex("^sg-[0-9a-f]+$", id))
    ])
    error_message = "load_balancer_security_group_ids must hold security group ids (sg-...)."
  }
}

variable "instance_type" {
  description = "EC2 instance type of the instances, such as t3.small."
  type        = string
  default     = "t3.small"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]*\\.[a-z0-9]+$", var.instance_type))
    error_message = "instance_type must look like family.size, for example t3.small."
  }
}

variable "min_instances" {
  description = "Fewest instances the Auto Scaling group keeps running (at most max_instances)."
  type        = number
  default     = 2

  validation {
    condition     = var.min_instances >= 1 && var.min_instances == floor(var.min_instances)
    error_message = "min_instances must be a whole number of at least 1."
  }
}

variable "max_instances" {
  description = "Most instances the Auto Scaling group may run."
  type        = number
  default     = 4

  validation {
    condition = (
      var.max_instances >= 1 && var.max_instances <= 10000
      && var.max_instances == floor(var.max_instances)
    )
    error_message = "max_instances must be a whole number from 1 to 10000."
  }
}

variable "health_check_path" {
  description = "Path the load balancer and enhanced health check on each instance."
  type        = string
  default     = "/"

  validation {
    condition     = can(regex("^/[^ ]*$", var.health_check_path))
    error_message = "health_check_path must start with / and contain no spaces."
  }
}

################################################################################
# Deployments and platform updates
################################################################################

variable "deployment_policy" {
  description = <<-EOT
    How new versions reach the instances: Rolling (one batch at a time, capacity drops by a
    batch), RollingWithAdditionalBatch (full capacity kept) or Immutable (a new set of
    instances, then a swap).
  EOT
  type        = string
  default     = "Rolling"

  validation {
    condition = contains(
      ["Rolling", "RollingWithAdditionalBatch", "Immutable"], var.deployment_policy
    )
    error_message = "deployment_policy must be Rolling, RollingWithAdditionalBatch or Immutable."
  }
}

variable "deployment_batch_size" {
  description = "Instances per batch in rolling deployments and configuration updates."
  type        = number
  default     = 1

  validation {
    condition = (
      var.deployment_batch_size >= 1
      && var.deployment_batch_size == floor(var.deployment_batch_size)
    )
    error_message = "deployment_batch_size must be a whole number of at least 1."
  }
}

variable "enable_managed_platform_updates" {
  description = "Let Elastic Beanstalk apply platform updates in platform_update_window."
  type        = bool
  default     = true
}

variable "platform_update_window" {
  description = "Start of the weekly update window, in UTC, as Day:HH:MM (e.g. Sun:03:00)."
  type        = string
  default     = "Sun:03:00"

  validation {
    condition = can(regex(
      "^(Mon|Tue|Wed|Thu|Fri|Sat|Sun):([01][0-9]|2[0-3]):[0-5][0-9]$", var.platform_update_window
    ))
    error_message = "platform_update_window must look like Sun:03:00 (day, 24-hour time, UTC)."
  }
}

variable "platform_update_level" {
  description = "Largest platform update applied automatically: minor or patch."
  type        = string
  default     = "minor"

  validation {
    condition     = contains(["minor", "patch"], var.platform_update_level)
    error_message = "platform_update_level must be minor or patch."
  }
}

variable "application_version_limit" {
  description = <<-EOT
    Application versions to keep; Elastic Beanstalk deletes older ones (never one that is
    deployed). Their source bundles stay in the artifacts bucket.
  EOT
  type        = number
  default     = 50

  validation {
    condition = (
      var.application_version_limit >= 1 && var.application_version_limit <= 1000
      && var.application_version_limit == floor(var.application_version_limit)
    )
    error_message = "application_version_limit must be a whole number from 1 to 1000."
  }
}

variable "artifacts_bucket" {
  description = <<-EOT
    Bucket holding the source bundle to deploy. Leave artifacts_bucket, artifact_key and
    version_label all null to run the platform's sample application instead.
  EOT
  type        = string
  default     = null
}

variable "artifact_key" {
  description = "Object key of the source bundle (a zip) in artifacts_bucket."
  type        = string
  default     = null
}

variable "version_label" {
  description = <<-EOT
    Label of the application version, normally the bundle's content hash: a new label deploys
    a new version, the same label changes nothing.
  EOT
  type        = string
  default     = null

  validation {
    condition     = var.version_label == null || can(regex("^[^/]{1,100}$", var.version_label))
    error_message = "version_label must be 1-100 characters without a slash."
  }
}

################################################################################
# Load balancer and logs
################################################################################

variable "certificate_arn" {
  description = <<-EOT
    ACM certificate for an HTTPS listener on port 443. When set, plain HTTP on port 80 is
    redirected to HTTPS; when null, the service answers on HTTP only.
  EOT
  type        = string
  default     = null

  validation {
    condition = var.certificate_arn == null || can(regex(
      "^arn:aws[a-z-]*:(acm|iam):", var.certificate_arn
    ))
    error_message = "certificate_arn must be an ACM (or IAM server) certificate ARN."
  }
}

variable "ssl_policy" {
  description = "Security policy of the HTTPS listener (TLS versions and ciphers)."
  type        = string
  default     = "ELBSecurityPolicy-TLS13-1-2-2021-06"

  validation {
    condition     = can(regex("^ELBSecurityPolicy-", var.ssl_policy))
    error_message = "ssl_policy must name an ELB security policy (ELBSecurityPolicy-...)."
  }
}

variable "log_retention_days" {
  description = "Days CloudWatch Logs keeps the instance and health logs streamed to it."
  type        = number
  default     = 30

  validation {
    condition = contains(
      [
        1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557,
        2922, 3288, 3653,
      ],
      var.log_retention_days
    )
    error_message = <<-EOT
      log_retention_days must be a CloudWatch Logs retention: 1, 3, 5, 7, 14, 30, 60, 90, 120,
      150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653.
    EOT
  }
}

variable "enable_log_deletion_on_terminate" {
  description = "Delete the streamed logs when the environment is terminated."
  type        = bool
  default     = false
}

################################################################################
# What the service may reach
################################################################################

variable "kinesis_stream_arn" {
  description = "The service's own Kinesis stream, which its instances may put records on."
  type        = string
  default     = null

  validation {
    condition = var.kinesis_stream_arn == null || can(regex(
      "^arn:aws[a-z-]*:kinesis:[a-z0-9-]+:[0-9]{12}:stream/[A-Za-z0-9_.-]+$", var.kinesis_stream_arn
    ))
    error_message = "kinesis_stream_arn must be a Kinesis stream ARN."
  }
}

variable "s3_bucket_arn" {
  description = "Bucket holding the service's data; its instances may read s3_prefix in it."
  type        = string
  default     = null

  validation {
    condition = var.s3_bucket_arn == null || can(regex(
      "^arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.s3_bucket_arn
    ))
    error_message = "s3_bucket_arn must be a bucket ARN (arn:aws:s3:::name)."
  }
}

variable "s3_prefix" {
  description = "Key prefix of the service's objects in s3_bucket_arn, ending in /."
  type        = string
  default     = ""

  validation {
    condition     = var.s3_prefix == "" || can(regex("^[^/*][^*]*/$", var.s3_prefix))
    error_message = "s3_prefix must be empty or end with /, and not start with / or hold *."
  }
}

variable "database_endpoint" {
  description = "Address (host:port) of the service's database, passed to the instances."
  type        = string
  default     = null
}

variable "database_secret_arn" {
  description = <<-EOT
    Secrets Manager secret with the database credentials; the instances may read this secret
    only. Its ARN, never its value, goes into the environment variables.
  EOT
  type        = string
  default     = null

  validation {
    condition = var.database_secret_arn == null || can(regex(
      "^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:.+$", var.database_secret_arn
    ))
    error_message = "database_secret_arn must be a Secrets Manager secret ARN."
  }
}

variable "kms_key_arns" {
  description = <<-EOT
    Customer-managed KMS keys that encrypt the stream, the bucket's objects or the secret; the
    instances may use exactly these keys. AWS-managed keys need no entry.
  EOT
  type        = list(string)
  default     = []

  validation {
    condition = alltrue([
      for arn in var.kms_key_arns : can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/", arn))
    ])
    error_message = "kms_key_arns must hold KMS key ARNs (arn:aws:kms:<region>:<account>:key/...)."
  }
}

variable "environment_variables" {
  description = <<-EOT
    Extra plain environment variables for the application. They are stored in clear text in
    the environment's configuration and the Terraform state: never put secrets here; pass a
    secret's ARN and read the value at run time instead. S3_BUCKET, S3_PREFIX,
    KINESIS_STREAM_NAME, DATABASE_ENDPOINT and DATABASE_SECRET_ARN are set by the module.
  EOT
  type        = map(string)
  default     = {}

  validation {
    condition = alltrue([
      for key in keys(var.environment_variables) : can(regex("^[A-Za-z_][A-Za-z0-9_]*$", key))
    ])
    error_message = "environment_variables names must be letters, digits and _, not a digit first."
  }

  validation {
    condition = length(setintersection(keys(var.environment_variables), [
      "S3_BUCKET", "S3_PREFIX", "KINESIS_STREAM_NAME", "DATABASE_ENDPOINT", "DATABASE_SECRET_ARN",
    ])) == 0
    error_message = <<-EOT
      environment_variables must not set S3_BUCKET, S3_PREFIX, KINESIS_STREAM_NAME,
      DATABASE_ENDPOINT or DATABASE_SECRET_ARN; the module sets them from its inputs.
    EOT
  }
}
