# State in S3 with DynamoDB locking, one key per environment. The bucket, table and region come
# from backend.hcl, written once per account by the state backend bootstrap.
terraform {
  backend "s3" {
    key     = "staging/terraform.tfstate"
    encrypt = true
  }
}
