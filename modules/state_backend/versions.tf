terraform {
  required_version = ">= 1.5"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # The bucket comes from the s3_bucket module, which does not work on 4.0 to 4.8.
      version = ">= 3.39.0"
    }
  }
}
