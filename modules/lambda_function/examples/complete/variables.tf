variable "region" {
  description = "AWS region to deploy to."
  type        = string
  default     = "us-east-1"
}

variable "name" {
  description = "Prefix of every name in the example."
  type        = string
  default     = "lambda-complete"
}

variable "packages" {
  description = <<-EOT
    The zips built by 'blueprint package', by function name: event_archiver, scheduled_sweeper
    and image_thumbnailer, each with its zip_path and source_code_hash.
  EOT
  type = map(object({
    zip_path         = string
    source_code_hash = string
  }))
}

variable "runtime" {
  description = "Runtime the zips were built for: python3.8 on provider 3.39, python3.12 later."
  type        = string
}
