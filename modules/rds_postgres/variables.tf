variable "identifier" {
  description = "Name of the DB instance; also prefixes its subnet group, groups, logs and secret."
  type        = string

  validation {
    condition = (
      length(var.identifier) <= 50 && can(regex("^[a-z](-?[a-z0-9])*$", var.identifier))
    )
    error_message = <<-EOT
      The identifier must be 1-50 characters of a-z, 0-9 and single hyphens, start with a letter
      and not end with a hyphen.
    EOT
  }
}

# Network

variable "vpc_id" {
  description = "VPC the database and its security group live in."
  type        = string

  validation {
    condition     = can(regex("^vpc-", var.vpc_id))
    error_message = "The vpc_id must be a VPC id (vpc-...)."
  }
}

variable "subnet_ids" {
  description = "Private subnets for the DB subnet group, in at least two availability zones."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) >= 2
    error_message = "Give at least two subnets; RDS requires a subnet group spanning two zones."
  }
}

variable "allowed_security_group_ids" {
  description = <<-EOT
    Security groups whose members may connect on the database port, keyed by a label known at
    plan time (e.g. { service = module.network.service_security_group_id }). The labels key the
    rules, so the ids may be created in the same apply. No CIDR range is ever admitted.
  EOT
  type        = map(string)

  validation {
    condition = alltrue([
      for id in values(var.allowed_security_group_ids) : can(regex("^sg-", id))
    ])
    error_message = "Each value of allowed_security_group_ids must be a security group id (sg-...)."
  }
}

variable "port" {
  description = <<-EOT
    Port PostgreSQL listens on. Set it once: the secret keeps the value it had at creation.
  EOT
  type        = number
  default     = 5432

  validation {
    condition     = var.port >= 1150 && var.port <= 65535
    error_message = "The port must be from 1150 to 65535, the range RDS allows."
  }
}

# Engine and size

variable "engine_version" {
  description = <<-EOT
    PostgreSQL version: a major version ("17"), so RDS picks and upgrades the minor version,
    or a major.minor pin ("17.4"). The parameter group family follows the major version.
  EOT
  type        = string
  default     = "17"

  validation {
    condition     = can(regex("^1[0-9](\\.[0-9]+)?$", var.engine_version))
    error_message = "The engine_version must look like 17 or 17.4 (majors 10 to 19)."
  }
}

variable "instance_class" {
  description = "Instance class, e.g. db.t4g.micro or db.m7g.large."
  type        = string
  default     = "db.t4g.micro"

  validation {
    condition     = can(regex("^db\\.[a-z0-9-]+\\.[a-z0-9]+$", var.instance_class))
    error_message = "The instance_class must be an RDS class such as db.t4g.micro."
  }
}

variable "storage_type" {
  description = "Storage type: gp3 (at least 3000 IOPS, even when small) or gp2."
  type        = string
  default     = "gp3"

  validation {
    condition     = contains(["gp2", "gp3"], var.storage_type)
    error_message = "The storage_type must be gp2 or gp3."
  }
}

variable "allocated_storage" {
  description = "Initial storage in GiB."
  type        = number
  default     = 20

  validation {
    condition     = var.allocated_storage >= 20 && var.allocated_storage <= 65536
    error_message = "The allocated_storage must be from 20 to 65536 GiB."
  }
}

variable "max_allocated_storage" {
  description = "Ceiling in GiB for storage autoscaling, above allocated_storage; 0 turns it off."
  type        = number
  default     = 100

  validation {
    condition = (
      var.max_allocated_storage == 0
      || (var.max_allocated_storage >= 21 && var.max_allocated_storage <= 65536)
    )
    error_message = "The max_allocated_storage must be 0 or from 21 to 65536 GiB."
  }
}

variable "multi_az" {
  description = "Keep a synchronous standby in a second zone. Turn off only where downtime is fine."
  type        = bool
  default     = true
}

variable "kms_key_arn" {
  description = "ARN of the KMS key encrypting storage; null uses the account's aws/rds key."
  type        = string
  default     = null

  validation {
    condition = (
      var.kms_key_arn == null
      || can(regex("^arn:", var.kms_key_arn))
    )
    error_message = "The kms_key_arn must be a key ARN: RDS reports ARNs, so a key id would drift."
  }
}

variable "ca_cert_identifier" {
  description = "Server certificate authority, e.g. rds-ca-rsa2048-g1; null takes the RDS default."
  type        = string
  default     = null
}

# Credentials

variable "master_username" {
  description = "Name of the master user."
  type        = string
  default     = "dbadmin"

  validation {
    condition = (
      can(regex("^[a-zA-Z][a-zA-Z0-9_]{0,62}$", var.master_username))
      && !can(regex("^(rds|pg_)", lower(var.master_username)))
    )
    error_message = <<-EOT
      The master_username must be 1-63 letters, digits or underscores starting with a letter, and
      must not start with rds or pg_ (reserved by RDS and PostgreSQL).
    EOT
  }
}

variable "master_password" {
  description = <<-EOT
    Master password, used only when the instance is created; later changes are ignored (see the
    README on rotation). Pass it through TF_VAR_master_password, never a file.
  EOT
  type        = string
  sensitive   = true

  validation {
    condition = (
      length(var.master_password) >= 16
      && length(var.master_password) <= 128
      && can(regex("^[!-~]+$", var.master_password))
      && !can(regex("[/\"@]", var.master_password))
    )
    error_message = <<-EOT
      The master_password must be 16-128 printable ASCII characters without '/', '"', '@' or
      spaces.
    EOT
  }
}

variable "enable_iam_database_authentication" {
  description = "Let IAM users and roles log in with short-lived tokens as well as passwords."
  type        = bool
  default     = true
}

variable "secret_kms_key_arn" {
  description = "ARN of the KMS key encrypting the secret; null uses aws/secretsmanager."
  type        = string
  default     = null

  validation {
    condition = (
      var.secret_kms_key_arn == null
      || can(regex("^arn:", var.secret_kms_key_arn))
    )
    error_message = "The secret_kms_key_arn must be a KMS key ARN (arn:...) or null."
  }
}

variable "secret_recovery_window_in_days" {
  description = "Days a deleted secret can still be restored: 0 (delete at once) or 7 to 30."
  type        = number
  default     = 30

  validation {
    condition = (
      var.secret_recovery_window_in_days == 0
      || (var.secret_recovery_window_in_days >= 7 && var.secret_recovery_window_in_days <= 30)
    )
    error_message = "The secret_recovery_window_in_days must be 0 or from 7 to 30."
  }
}

# Backups, maintenance and deletion

variable "backup_retention_period" {
  description = "Days automated backups are kept, 0 to 35; 0 turns them off."
  type        = number
  default     = 7

  validation {
    condition = (
      var.backup_retention_period >= 0 && var.backup_retention_period <= 35
      && floor(var.backup_retention_period) == var.backup_retention_period
    )
    error_message = "The backup_retention_period must be a whole number from 0 to 35."
  }
}

variable "backup_window" {
  description = "Daily backup window in UTC, hh:mm-hh:mm; must not overlap maintenance_window."
  type        = string
  default     = "03:00-03:30"

  validation {
    condition = can(regex(
      format("^%[1]s-%[1]s$", "([01][0-9]|2[0-3]):[0-5][0-9]"), var.backup_window,
    ))
    error_message = "The backup_window must look like 03:00-03:30 (UTC)."
  }
}

variable "maintenance_window" {
  description = "Weekly maintenance window in UTC, ddd:hh:mm-ddd:hh:mm."
  type        = string
  default     = "sun:04:00-sun:04:30"

  validation {
    condition = can(regex(
      format(
        "^%[1]s:%[2]s-%[1]s:%[2]s$",
        "(mon|tue|wed|thu|fri|sat|sun)",
        "([01][0-9]|2[0-3]):[0-5][0-9]",
      ),
      var.maintenance_window,
    ))
    error_message = "The maintenance_window must look like sun:04:00-sun:04:30 (UTC, lower case)."
  }
}

variable "apply_immediately" {
  description = "Apply changes now rather than in the next maintenance window."
  type        = bool
  default     = false
}

variable "deletion_protection" {
  description = "Refuse to delete the instance. Turn off only for disposable environments."
  type        = bool
  default     = true
}

variable "skip_final_snapshot" {
  description = "Delete without a final snapshot. Turn on only for disposable environments."
  type        = bool
  default     = false
}

variable "final_snapshot_identifier" {
  description = <<-EOT
    Name of the snapshot taken on deletion; null means "<identifier>-final". A name can be used
    once, so delete or rename an old final snapshot before destroying a recreated instance.
  EOT
  type        = string
  default     = null

  validation {
    condition = (
      var.final_snapshot_identifier == null
      || can(regex("^[a-zA-Z](-?[a-zA-Z0-9]){0,254}$", var.final_snapshot_identifier))
    )
    error_message = <<-EOT
      The final_snapshot_identifier must be letters, digits and single hyphens, starting with a
      letter and not ending with a hyphen.
    EOT
  }
}

# Parameters, logs and monitoring

variable "log_min_duration_statement" {
  description = "Log statements running at least this many milliseconds; -1 logs none."
  type        = number
  default     = 1000

  validation {
    condition = (
      var.log_min_duration_statement >= (-1)
      && floor(var.log_min_duration_statement) == var.log_min_duration_statement
    )
    error_message = "The log_min_duration_statement must be -1 or a whole number of milliseconds."
  }
}

variable "parameters" {
  description = <<-EOT
    More parameter group settings; a name set here overrides the module's own (rds.force_ssl,
    log_min_duration_statement). Static parameters need apply_method = "pending-reboot".
  EOT
  type = list(object({
    name         = string
    value        = string
    apply_method = optional(string, "immediate")
  }))
  default = []

  validation {
    condition = alltrue([
      for p in var.parameters : contains(["immediate", "pending-reboot"], p.apply_method)
    ])
    error_message = "Each apply_method must be immediate or pending-reboot."
  }
}

variable "cloudwatch_log_retention_days" {
  description = "Days CloudWatch keeps the exported postgresql and upgrade logs."
  type        = number
  default     = 30

  validation {
    condition = contains(
      [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922,
      3288, 3653],
      var.cloudwatch_log_retention_days,
    )
    error_message = <<-EOT
      The cloudwatch_log_retention_days must be 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365,
      400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653.
    EOT
  }
}

variable "cloudwatch_log_kms_key_arn" {
  description = "ARN of a KMS key for the exported log groups; null keeps CloudWatch's encryption."
  type        = string
  default     = null

  validation {
    condition = (
      var.cloudwatch_log_kms_key_arn == null
      || can(regex("^arn:", var.cloudwatch_log_kms_key_arn))
    )
    error_message = "The cloudwatch_log_kms_key_arn must be a KMS key ARN (arn:...) or null."
  }
}

variable "enable_performance_insights" {
  description = "Turn on Performance Insights, with its free seven-day retention."
  type        = bool
  default     = false
}

variable "performance_insights_kms_key_arn" {
  description = "ARN of the KMS key for Performance Insights data; null uses aws/rds."
  type        = string
  default     = null

  validation {
    condition = (
      var.performance_insights_kms_key_arn == null
      || can(regex("^arn:", var.performance_insights_kms_key_arn))
    )
    error_message = "The performance_insights_kms_key_arn must be a KMS key ARN (arn:...) or null."
  }
}

variable "tags" {
  description = "Tags for every resource (copied to snapshots), merged under the module's Name tag."
  type        = map(string)
  default     = {}
}
