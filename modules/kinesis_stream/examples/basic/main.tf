# An encrypted event stream that keeps records for seven days. Other teams use the registry
# address instead of the relative path, for example:
#   source  = "<registry-host>/blueprint/kinesis-stream/aws"
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

module "events" {
  source = "../.."

  name                   = "example-service-events"
  retention_period_hours = 168

  tags = {
    service = "example"
  }
}

output "stream_arn" {
  value = module.events.stream_arn
}
