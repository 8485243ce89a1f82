bucket         = "blueprint-terraform-state-111111111111"
dynamodb_table = "blueprint-terraform-locks"
region         = "eu-west-1"
