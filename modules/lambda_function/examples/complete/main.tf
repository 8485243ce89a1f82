# All three functions of lambda_src wired the way an environment does it: the archiver reads a
# Kinesis stream into a bucket prefix, the sweeper runs nightly, and the thumbnailer follows
# uploads/ in the files bucket. The bucket and the stream come from their own modules.

provider "aws" {
  region = var.region
}

locals {
  tags = { example = "lambda_function/complete" }
}

module "files" {
  source = "../../../s3_bucket"

  bucket_name          = "${var.name}-files"
  enable_force_destroy = true

  tags = local.tags
}

module "events" {
  source = "../../../kinesis_stream"

  name = "${var.name}-events"

  tags = local.tags
}

# Receives the details of Kinesis batches and S3 events that failed every retry.
resource "aws_sqs_queue" "failures" {
  # checkov:skip=CKV2_AWS_73:The example keeps the AWS-managed key; a CMK needs its own key policy
  name                      = "${var.name}-failures"
  message_retention_seconds = 1209600
  kms_master_key_id         = "alias/aws/sqs"

  tags = local.tags
}

module "event_archiver" {
  source = "../.."

  function_name    = "${var.name}-event-archiver"
  description      = "Archives the events stream to S3, partitioned by day."
  zip_path         = var.packages["event_archiver"].zip_path
  source_code_hash = var.packages["event_archiver"].source_code_hash
  runtime          = var.runtime
  memory_size      = 256
  timeout          = 60

  environment_variables = {
    ARCHIVE_BUCKET = module.files.bucket_name
    ARCHIVE_PREFIX = "events/"
    # Provider 3.39 cannot switch on partial batch responses for the mapping (see the module's
    # README), so failed records must raise to be retried.
    REPORT_BATCH_ITEM_FAILURES = "false"
  }

  policy_statements = [
    {
      sid       = "WriteArchive"
      actions   = ["s3:PutObject"]
      resources = ["${module.files.bucket_arn}/events/*"]
    },
  ]

  create_kinesis_trigger             = true
  kinesis_stream_arn                 = module.events.stream_arn
  kinesis_batch_size                 = 500
  kinesis_starting_position          = "TRIM_HORIZON"
  kinesis_maximum_retry_attempts     = 5
  kinesis_on_failure_destination_arn = aws_sqs_queue.failures.arn

  tags = local.tags
}

module "scheduled_sweeper" {
  source = "../.."

  function_name    = "${var.name}-scheduled-sweeper"
  description      = "Deletes files under tmp/ older than 7 days."
  zip_path         = var.packages["scheduled_sweeper"].zip_path
  source_code_hash = var.packages["scheduled_sweeper"].source_code_hash
  runtime          = var.runtime
  timeout          = 300

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
  dead_letter_target_arn  = aws_sqs_queue.failures.arn

  tags = local.tags
}

module "image_thumbnailer" {
  source = "../.."

  function_name    = "${var.name}-image-thumbnailer"
  description      = "Writes thumbnails/ copies of images uploaded to uploads/."
  zip_path         = var.packages["image_thumbnailer"].zip_path
  source_code_hash = var.packages["image_thumbnailer"].source_code_hash
  runtime          = var.runtime
  memory_size      = 1024
  timeout          = 60
  tracing_mode     = "Active"

  # Bounds the cost of an upload burst; S3 retries throttled invocations.
  reserved_concurrent_executions = 10

  environment_variables = {
    SOURCE_PREFIX    = "uploads/"
    THUMBNAIL_PREFIX = "thumbnails/"
  }

  policy_statements = [
    {
      sid       = "WriteThumbnails"
      actions   = ["s3:PutObject"]
      resources = ["${module.files.bucket_arn}/thumbnails/*"]
    },
  ]

  create_s3_trigger      = true
  s3_bucket_name         = module.files.bucket_name
  s3_filter_prefix       = "uploads/"
  dead_letter_target_arn = aws_sqs_queue.failures.arn

  tags = local.tags
}
