variable "bucket_name" {
  description = "State bucket, from the environment's backend.hcl."
  type        = string
}

variable "lock_table_name" {
  description = "Lock table, from the environment's backend.hcl."
  type        = string
}

variable "region" {
  description = "Region of the state bucket and lock table, from the environment's backend.hcl."
  type        = string
}

variable "allowed_account_ids" {
  description = "Accounts the environment may touch, from its terraform.tfvars."
  type        = list(string)
  default     = null
}

variable "owner" {
  description = "Team that owns the environment, for the owner tag."
  type        = string
}

variable "environment" {
  description = "Environment whose account this backend serves, for the environment tag."
  type        = string
}
