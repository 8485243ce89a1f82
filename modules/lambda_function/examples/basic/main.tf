# The smallest useful call: a nightly job that cleans one prefix of a bucket. The bucket comes
# from the s3_bucket module.

provider "aws" {
  region = var.region
}

module "files" {
  source = "../../../s3_bucket"

  bucket_name          = "${var.name}-files"
  enable_force_destroy = true
}

module "sweeper" {
  source = "../.."

  function_name    = "${var.name}-sweeper"
  description      = "Deletes files under tmp/ older than 7 days."
  zip_path         = var.zip_path
  source_code_hash = var.source_code_hash
  runtime          = var.runtime

  environment_variables = {
    SWEEP_BUCKET       = module.files.bucket_name
    SWEEP_PREFIX       = "tmp/"
    SWEEP_MAX_AGE_DAYS = "7"
  }

  policy_statements = [
    {
      sid       = "ListFiles"
      actions   = ["s3:ListBucket"]
      resources = [module.files.bucket_arn]
    },
    {
      sid       = "DeleteScratchFiles"
      actions   = ["s3:DeleteObject"]
      resources = ["${module.files.bucket_arn}/tmp/*"]
    },
  ]

  create_schedule_trigger = true
  schedule_expression     = "cron(0 2 * * ? *)"

  tags = { example = "lambda_function/basic" }
}
