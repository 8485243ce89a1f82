terraform {
  required_version = ">= 1.5"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # 3.39 is the oldest provider this module is tested with; nothing it uses was removed up to
      # 6.x. See README.md for what 3.39 lacks.
      version = ">= 3.39, < 7.0"
    }
  }
}
