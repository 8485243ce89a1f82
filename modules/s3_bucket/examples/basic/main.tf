# A private, encrypted, versioned bucket for a service's files. Other teams use the registry
# address instead of the relative path, for example:
#   source  = "<registry-host>/blueprint/s3-bucket/aws"
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
  region = "us-east-1"
}

module "files" {
  source = "../.."

  bucket_name                        = "example-service-files"
  noncurrent_version_expiration_days = 30
  enable_force_destroy               = true

  tags = {
    service = "example"
  }
}

output "bucket_name" {
  value = module.files.bucket_name
}
