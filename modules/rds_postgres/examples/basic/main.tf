# A disposable single-zone database in the network module's private subnets, reachable from the
# service security group only. Give the password through the environment:
#   TF_VAR_master_password="$(...)" terraform apply

terraform {
  required_version = ">= 1.5"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 3.39, < 7.0"
    }
  }
}

provider "aws" {
  region = var.region
}

variable "region" {
  description = "Region to create the example in."
  type        = string
  default     = "us-east-1"
}

variable "master_password" {
  description = "Master password, used only at creation."
  type        = string
  sensitive   = true
}

locals {
  tags = {
    Project     = "blueprint"
    Environment = "example"
  }
}

module "network" {
  source = "../../../network"

  name       = "example-db"
  cidr_block = "10.30.0.0/16"

  tags = local.tags
}

module "database" {
  source = "../.."

  identifier = "example-db"
  vpc_id     = module.network.vpc_id
  subnet_ids = module.network.private_subnet_ids
  allowed_security_group_ids = {
    service = module.network.service_security_group_id
  }

  master_password = var.master_password

  # The defaults are the safe ones: a standby in a second zone, deletion protection, a final
  # snapshot. A disposable copy turns them off explicitly, as envs/local/terraform.tfvars does.

  tags = local.tags
}

output "address" {
  description = "Host name of the example database."
  value       = module.database.address
}

output "secret_arn" {
  description = "Secret with the example database's connection document."
  value       = module.database.secret_arn
}

output "security_group_id" {
  description = "Security group of the example database."
  value       = module.database.security_group_id
}

output "private_subnet_ids" {
  description = "Subnets the example database may use."
  value       = module.network.private_subnet_ids
}

output "service_security_group_id" {
  description = "The only group admitted to the example database."
  value       = module.network.service_security_group_id
}
