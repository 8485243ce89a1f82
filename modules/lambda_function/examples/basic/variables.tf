variable "region" {
  description = "AWS region to deploy to."
  type        = string
  default     = "us-east-1"
}

variable "name" {
  description = "Prefix of every name in the example."
  type        = string
  default     = "lambda-basic"
}

variable "zip_path" {
  description = "The scheduled_sweeper zip built by 'blueprint package'."
  type        = string
}

variable "source_code_hash" {
  description = "Base64 SHA-256 of that zip, as 'blueprint package' reports it."
  type        = string
}

variable "runtime" {
  description = "Runtime the zip was built for: python3.8 on provider 3.39, e.g. python3.12 later."
  type        = string
}
