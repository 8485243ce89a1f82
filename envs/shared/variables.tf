variable "project" {
  description = "Short name that prefixes every resource name."
  type        = string
  default     = "blueprint"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,20}$", var.project))
    error_message = "project must be 2-21 characters of a-z, 0-9 and '-', starting with a-z."
  }
}

variable "environment" {
  description = "Name of the environment; matches its folder under envs/."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,15}$", var.environment))
    error_message = "environment must be 2-16 characters of a-z, 0-9 and '-', starting with a-z."
  }
}

variable "region" {
  description = "AWS region of the environment."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]$", var.region))
    error_message = "region must look like us-east-1 or eu-central-1."
  }
}

variable "allowed_account_ids" {
  description = <<-EOT
    AWS accounts this environment may touch; the provider refuses any other. Null only for the
    emulator, which answers as a fixed test account.
  EOT
  type        = list(string)
  default     = null

  validation {
    condition = alltrue([
      for id in coalesce(var.allowed_account_ids, []) : can(regex("^[0-9]{12}$", id))
    ])
    error_message = "allowed_account_ids must hold 12-digit AWS account ids."
  }
}

variable "owner" {
  description = "Team that owns the environment, written into the owner tag of every resource."
  type        = string

  validation {
    condition     = length(trimspace(var.owner)) > 0
    error_message = "owner must name the owning team."
  }
}

variable "enable_force_destroy" {
  description = <<-EOT
    Let destroy remove buckets that still hold objects. True only where data is disposable
    (local, staging); prod keeps it false.
  EOT
  type        = bool
  default     = false
}

variable "files_noncurrent_version_expiration_days" {
  description = "Days after which old versions of files are deleted. Null keeps them forever."
  type        = number
  default     = 90
}

variable "services" {
  description = <<-EOT
    The microservices of the environment, by name, with their sizing: each gets an Elastic
    Beanstalk environment, an event stream and a prefix in the files bucket. Adding a service is
    a few lines here, not new code.
  EOT
  type = map(object({
    instance_type                = optional(string, "t3.small")
    min_instances                = optional(number, 2)
    max_instances                = optional(number, 4)
    event_stream_shard_count     = optional(number, 1)
    event_stream_retention_hours = optional(number, 24)
  }))

  validation {
    condition = alltrue([
      for name in keys(var.services) : can(regex("^[a-z][a-z0-9-]{1,20}$", name))
    ])
    error_message = "service names must be 2-21 characters of a-z, 0-9 and '-', starting with a-z."
  }
}

variable "network" {
  description = <<-EOT
    The environment's VPC: address range, zones (empty: the region's first two), one NAT gateway
    for private subnets to reach the internet, and VPC flow logs.
  EOT
  type = object({
    cidr_block         = optional(string, "10.0.0.0/16")
    availability_zones = optional(list(string), [])
    create_nat_gateway = optional(bool, false)
    enable_flow_logs   = optional(bool, false)
  })
  default = {}
}

variable "database" {
  description = <<-EOT
    Size and safety of the environment's PostgreSQL database. The defaults are prod's: multi-AZ,
    deletion protection, a final snapshot; disposable environments turn them off explicitly.
  EOT
  type = object({
    instance_class              = optional(string, "db.t4g.micro")
    allocated_storage_gib       = optional(number, 20)
    max_allocated_storage_gib   = optional(number, 100)
    multi_az                    = optional(bool, true)
    deletion_protection         = optional(bool, true)
    skip_final_snapshot         = optional(bool, false)
    backup_retention_days       = optional(number, 7)
    secret_recovery_window_days = optional(number, 30)
    apply_immediately           = optional(bool, false)
  })
  default = {}
}

variable "database_master_password" {
  description = <<-EOT
    Initial master password of the database. Never typed or stored in a file: the glue passes a
    fresh random value through the environment on every run, and it is used only at creation.
  EOT
  type        = string
  sensitive   = true
}

variable "certificate_arn" {
  description = "ACM certificate for the services' HTTPS listeners; null serves HTTP only."
  type        = string
  default     = null
}

variable "lambda_runtime" {
  description = <<-EOT
    Python runtime of the Lambda functions, such as python3.12. AWS provider 3.39 knows runtimes
    only up to python3.8; runs on the emulator with that provider use python3.8 whatever this says.
  EOT
  type        = string

  validation {
    condition     = can(regex("^python3\\.[0-9]+$", var.lambda_runtime))
    error_message = "lambda_runtime must look like python3.12."
  }
}

variable "lambda_packages" {
  description = <<-EOT
    The packaged functions of lambda_src by name: zip path and hash. Written by the glue before
    every plan (blueprint_lambda.auto.tfvars.json); not set by hand.
  EOT
  type = map(object({
    zip_path         = string
    source_code_hash = string
  }))
}

variable "service_bundles" {
  description = <<-EOT
    The source bundle of each service that has code under services/<name>/: zip path and sha256.
    Written by the glue before every plan (blueprint_services.auto.tfvars.json); not set by hand.
    A service missing here runs the platform's sample application.
  EOT
  type = map(object({
    path   = string
    sha256 = string
  }))
  default = {}
}
