bucket         = "blueprint-terraform-state-222222222222"
dynamodb_table = "blueprint-terraform-locks"
region         = "eu-west-1"
