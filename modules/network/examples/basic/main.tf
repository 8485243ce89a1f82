# A two-zone network with flow logs and no NAT gateway: the cheapest layout that still has
# every tier's security group.

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

module "network" {
  source = "../.."

  name               = "example"
  cidr_block         = "10.20.0.0/16"
  create_nat_gateway = false
  enable_flow_logs   = true

  tags = {
    Project     = "blueprint"
    Environment = "example"
  }
}

output "vpc_id" {
  description = "ID of the example VPC."
  value       = module.network.vpc_id
}

output "availability_zones" {
  description = "Zones the example uses."
  value       = module.network.availability_zones
}

output "public_subnet_ids" {
  description = "Public subnets of the example."
  value       = module.network.public_subnet_ids
}

output "private_subnet_ids" {
  description = "Private subnets of the example."
  value       = module.network.private_subnet_ids
}

output "load_balancer_security_group_id" {
  description = "Load balancer group of the example."
  value       = module.network.load_balancer_security_group_id
}

output "service_security_group_id" {
  description = "Service group of the example."
  value       = module.network.service_security_group_id
}

output "flow_log_group_name" {
  description = "Log group receiving the example's flow logs."
  value       = module.network.flow_log_group_name
}
