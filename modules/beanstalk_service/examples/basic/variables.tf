variable "region" {
  description = "Region to create the example in."
  type        = string
  default     = "us-east-1"
}

variable "name" {
  description = "Name of the example service; also the prefix of its bucket and stream names."
  type        = string
  default     = "example-orders"
}

variable "max_instances" {
  description = "Most instances the service may scale out to."
  type        = number
  default     = 3
}

variable "certificate_arn" {
  description = "ACM certificate for HTTPS; null serves plain HTTP."
  type        = string
  default     = null
}

variable "source_bundle_path" {
  description = <<-EOT
    Zip of the application to deploy (for example from 'blueprint package'). Null runs the
    platform's sample application.
  EOT
  type        = string
  default     = null
}
