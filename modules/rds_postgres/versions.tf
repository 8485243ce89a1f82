terraform {
  # 1.5: validation blocks, optional object attributes and lifecycle preconditions are all stable.
  required_version = ">= 1.5"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # Tested on 3.39; written against arguments that exist unchanged up to 6.x (see README).
      version = ">= 3.39, < 7.0"
    }
  }
}
