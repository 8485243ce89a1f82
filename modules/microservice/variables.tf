variable "name" {
  description = "Name of the service, unique in its environment; prefixes everything it owns."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}$", var.name))
    error_message = "name must be 2-31 characters of a-z, 0-9 and '-', starting with a-z."
  }
}

variable "network" {
  description = "Where the service runs: the network module's VPC, subnets and security groups."
  type = object({
    vpc_id                          = string
    private_subnet_ids              = list(string)
    public_subnet_ids               = list(string)
    service_security_group_id       = string
    load_balancer_security_group_id = string
  })
}

variable "files_bucket" {
  description = "The environment's files bucket; the service owns the prefix named after it."
  type = object({
    name = string
    arn  = string
  })
}

variable "database" {
  description = "The environment's database: endpoint, and the secret the service reads."
  type = object({
    endpoint   = string
    secret_arn = string
  })
}

variable "event_archiver" {
  description = <<-EOT
    The packaged event archiver (lambda_src/event_archiver), which copies the service's events to
    <name>/events/ in the files bucket: zip path, its hash, and the Lambda runtime.
  EOT
  type = object({
    zip_path         = string
    source_code_hash = string
    runtime          = string
  })
}

variable "failure_queue_arn" {
  description = "SQS queue that receives event batches the archiver failed on after every retry."
  type        = string
}

variable "bundle" {
  description = <<-EOT
    The service's source bundle: a zip built by the glue from services/<name>/ (path, relative to
    the root or absolute) and the sha256 of its bytes, which names the S3 object and the version
    label. Null keeps whatever the environment runs: the platform's sample application at first.
  EOT
  type = object({
    path   = string
    sha256 = string
  })
  default = null

  validation {
    condition     = var.bundle == null || can(regex("^[0-9a-f]{64}$", var.bundle.sha256))
    error_message = "bundle.sha256 must be the 64 lowercase hex digits of the zip's sha256."
  }
}

variable "artifacts_bucket" {
  description = <<-EOT
    Bucket that receives the source bundle, under <name>/<sha256>.zip. Required when bundle is
    set; the instances may read only their own bundle from it.
  EOT
  type = object({
    name = string
    arn  = string
  })
  default = null
}

variable "sizing" {
  description = "Capacity of the service: instance type, Auto Scaling bounds, event stream."
  type = object({
    instance_type                = optional(string, "t3.small")
    min_instances                = optional(number, 2)
    max_instances                = optional(number, 4)
    event_stream_shard_count     = optional(number, 1)
    event_stream_retention_hours = optional(number, 24)
  })
  default = {}
}

variable "certificate_arn" {
  description = "ACM certificate for HTTPS on the load balancer; null serves HTTP only."
  type        = string
  default     = null
}

variable "environment_variables" {
  description = "Extra plain settings for the service. Never secrets: those go to Secrets Manager."
  type        = map(string)
  default     = {}
}

variable "tags" {
  description = "Tags for every resource of the service, merged over the provider's default tags."
  type        = map(string)
  default     = {}
}
