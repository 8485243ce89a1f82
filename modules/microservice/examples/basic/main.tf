# One service composed from the platform's pieces: the network, files bucket and database
# usually come from the environment (see envs/shared/main.tf). Other teams use the registry
# address instead of the relative path, for example:
#   source  = "<registry-host>/blueprint/microservice/aws"
#   version = "~> 1.0"
terraform {
  required_version = ">= 1.5"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 3.39.0, < 7.0.0"
    }
  }
}

provider "aws" {
  region = "eu-west-1"
}

module "orders" {
  source = "../.."

  name = "orders"
  network = {
    vpc_id                          = "vpc-0123456789abcdef0"
    private_subnet_ids              = ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2"]
    public_subnet_ids               = ["subnet-0bbbbbbbbbbbbbbb1", "subnet-0bbbbbbbbbbbbbbb2"]
    service_security_group_id       = "sg-0ccccccccccccccc1"
    load_balancer_security_group_id = "sg-0ccccccccccccccc2"
  }
  files_bucket = {
    name = "acme-files-111111111111"
    arn  = "arn:aws:s3:::acme-files-111111111111"
  }
  database = {
    endpoint   = "acme.abcdefghij.eu-west-1.rds.amazonaws.com:5432"
    secret_arn = "arn:aws:secretsmanager:eu-west-1:111111111111:secret:rds/acme/master-AbCdEf"
  }
  # Built by `blueprint package` from lambda_src/event_archiver.
  event_archiver = {
    zip_path         = "build/lambda/python3.12/event_archiver.zip"
    source_code_hash = "N1es2aHbKjqlvkOfIZJcmOYn5QPy3pf7bFqRaqk7gfI="
    runtime          = "python3.12"
  }
  failure_queue_arn = "arn:aws:sqs:eu-west-1:111111111111:acme-lambda-failures"

  sizing = {
    min_instances = 2
    max_instances = 6
  }
}

output "url" {
  value = module.orders.endpoint_url
}
