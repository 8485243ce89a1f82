data "aws_caller_identity" "current" {}

locals {
  name_prefix = "${var.project}-${var.environment}"
  account_id  = data.aws_caller_identity.current.account_id
}

module "files_bucket" {
  source = "../../modules/s3_bucket"

  # The account id keeps the globally shared bucket namespace free of collisions between forks.
  bucket_name                        = "${local.name_prefix}-files-${local.account_id}"
  noncurrent_version_expiration_days = var.files_noncurrent_version_expiration_days
  enable_force_destroy               = var.enable_force_destroy
  tags                               = { service = "platform" }
}

# Source bundles of the services, one object per version under <service>/; the versions point
# at them, so they are kept as long as the application keeps its versions.
module "artifacts_bucket" {
  source = "../../modules/s3_bucket"

  bucket_name          = "${local.name_prefix}-artifacts-${local.account_id}"
  enable_force_destroy = var.enable_force_destroy
  tags                 = { service = "platform" }
}

module "network" {
  source = "../../modules/network"

  name               = local.name_prefix
  cidr_block         = var.network.cidr_block
  availability_zones = var.network.availability_zones
  create_nat_gateway = var.network.create_nat_gateway
  enable_flow_logs   = var.network.enable_flow_logs
  tags               = { service = "platform" }
}

module "database" {
  source = "../../modules/rds_postgres"

  identifier                     = local.name_prefix
  vpc_id                         = module.network.vpc_id
  subnet_ids                     = module.network.private_subnet_ids
  allowed_security_group_ids     = { services = module.network.service_security_group_id }
  master_password                = var.database_master_password
  instance_class                 = var.database.instance_class
  allocated_storage              = var.database.allocated_storage_gib
  max_allocated_storage          = var.database.max_allocated_storage_gib
  multi_az                       = var.database.multi_az
  deletion_protection            = var.database.deletion_protection
  skip_final_snapshot            = var.database.skip_final_snapshot
  backup_retention_period        = var.database.backup_retention_days
  secret_recovery_window_in_days = var.database.secret_recovery_window_days
  apply_immediately              = var.database.apply_immediately
  tags                           = { service = "platform" }
}

module "service" {
  source   = "../../modules/microservice"
  for_each = var.services

  name = "${local.name_prefix}-${each.key}"
  network = {
    vpc_id                          = module.network.vpc_id
    private_subnet_ids              = module.network.private_subnet_ids
    public_subnet_ids               = module.network.public_subnet_ids
    service_security_group_id       = module.network.service_security_group_id
    load_balancer_security_group_id = module.network.load_balancer_security_group_id
  }
  files_bucket = {
    name = module.files_bucket.bucket_name
    arn  = module.files_bucket.bucket_arn
  }
  database = {
    endpoint   = module.database.endpoint
    secret_arn = module.database.secret_arn
  }
  event_archiver = merge(
    var.lambda_packages["event_archiver"], { runtime = var.lambda_runtime }
  )
  # No bundle (no services/<name>/ folder): the environment keeps the platform's sample app.
  bundle = lookup(var.service_bundles, each.key, null)
  artifacts_bucket = {
    name = module.artifacts_bucket.bucket_name
    arn  = module.artifacts_bucket.bucket_arn
  }
  failure_queue_arn     = aws_sqs_queue.lambda_failures.arn
  sizing                = each.value
  certificate_arn       = var.certificate_arn
  environment_variables = { ENVIRONMENT = var.environment }
  tags                  = { service = each.key }
}

# Receives what the Lambda functions failed on after every retry, for a person to look at.
resource "aws_sqs_queue" "lambda_failures" {
  # checkov:skip=CKV2_AWS_73:AWS-managed key; a CMK needs a key policy for Lambda and EventBridge
  name                      = "${local.name_prefix}-lambda-failures"
  message_retention_seconds = 1209600
  kms_master_key_id         = "alias/aws/sqs"
  tags                      = { service = "platform" }
}

module "scheduled_sweeper" {
  source = "../../modules/lambda_function"

  function_name    = "${local.name_prefix}-scheduled-sweeper"
  description      = "Nightly: deletes files under tmp/ older than 7 days."
  zip_path         = var.lambda_packages["scheduled_sweeper"].zip_path
  source_code_hash = var.lambda_packages["scheduled_sweeper"].source_code_hash
  runtime          = var.lambda_runtime
  timeout          = 300

  environment_variables = {
    SWEEP_BUCKET       = module.files_bucket.bucket_name
    SWEEP_PREFIX       = "tmp/"
    SWEEP_MAX_AGE_DAYS = "7"
  }

  policy_statements = [
    {
      sid       = "ListFiles"
      actions   = ["s3:ListBucket"]
      resources = [module.files_bucket.bucket_arn]
    },
    {
      sid       = "DeleteScratchFiles"
      actions   = ["s3:DeleteObject"]
      resources = ["${module.files_bucket.bucket_arn}/tmp/*"]
    },
  ]

  create_schedule_trigger = true
  schedule_expression     = "cron(0 2 * * ? *)"
  dead_letter_target_arn  = aws_sqs_queue.lambda_failures.arn
  tags                    = { service = "platform" }
}

module "image_thumbnailer" {
  source = "../../modules/lambda_function"

  function_name    = "${local.name_prefix}-image-thumbnailer"
  description      = "Writes thumbnails/ copies of images uploaded to uploads/."
  zip_path         = var.lambda_packages["image_thumbnailer"].zip_path
  source_code_hash = var.lambda_packages["image_thumbnailer"].source_code_hash
  runtime          = var.lambda_runtime
  memory_size      = 1024
  timeout          = 60

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
      resources = ["${module.files_bucket.bucket_arn}/thumbnails/*"]
    },
  ]

  create_s3_trigger      = true
  s3_bucket_name         = module.files_bucket.bucket_name
  s3_filter_prefix       = "uploads/"
  dead_letter_target_arn = aws_sqs_queue.lambda_failures.arn
  tags                   = { service = "platform" }
}
