# Remote state for one account: an S3 bucket and a DynamoDB lock table. Other teams use the
# registry address instead of the relative path, for example:
#   source  = "<registry-host>/blueprint/state-backend/aws"
#   version = "~> 1.0"
terraform {
  required_version = ">= 1.5"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 3.39.0"
    }
  }
}

provider "aws" {
  region = "eu-west-1"
}

module "state_backend" {
  source = "../.."

  bucket_name     = "example-terraform-state-111111111111"
  lock_table_name = "example-terraform-locks"
}

output "backend_settings" {
  value = {
    bucket         = module.state_backend.bucket_name
    dynamodb_table = module.state_backend.lock_table_name
  }
}
