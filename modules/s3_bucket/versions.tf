terraform {
  required_version = ">= 1.5"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # Provider 4.0 to 4.8 made the inline encryption, versioning and lifecycle blocks read-only
      # and fail on this module; 4.9 restored them. See the README's provider section.
      version = ">= 3.39.0"
    }
  }
}
