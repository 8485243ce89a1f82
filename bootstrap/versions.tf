terraform {
  required_version = ">= 1.5"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 3.39.0"
    }
  }

  # The glue passes the path: a small local state per account under the home folder. Lost, it
  # is rebuilt by importing the bucket and table that exist.
  backend "local" {}
}

provider "aws" {
  region              = var.region
  allowed_account_ids = var.allowed_account_ids

  default_tags {
    tags = {
      project     = "blueprint"
      environment = var.environment
      owner       = var.owner
      service     = "terraform-state"
      managed_by  = "terraform"
    }
  }
}
