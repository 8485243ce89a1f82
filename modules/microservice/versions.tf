terraform {
  required_version = ">= 1.5"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # The floor and the ceiling of the modules it composes (beanstalk_service stops at 6.x).
      version = ">= 3.39.0, < 7.0.0"
    }
  }
}
