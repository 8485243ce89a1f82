# One microservice: its event stream with a Lambda that archives the events, its Elastic
# Beanstalk environment, its prefix in the files bucket and access to the environment's database.
# The database is shared per environment, one instance with a schema per service, which keeps a
# small platform affordable.
locals {
  tags         = merge({ service = var.name }, var.tags)
  files_prefix = "${var.name}/"
  # The label follows the bundle's content: the same code never makes a second version.
  version_label = var.bundle == null ? null : "v-${substr(var.bundle.sha256, 0, 12)}"
}

# aws_s3_bucket_object is the object resource provider 3.39 has. From 4.0 it is deprecated in
# favour of aws_s3_object (absent from 3.x) but still works, up to the 6.x this module allows.
# Switching would raise the provider floor to 4.0 and need a state move for existing bundles.
resource "aws_s3_bucket_object" "bundle" {
  # checkov:skip=CKV_AWS_186:The bucket's default encryption applies; kms_key_id excludes etag
  count = var.bundle == null ? 0 : 1

  bucket = try(var.artifacts_bucket.name, null)
  key    = "${var.name}/${var.bundle.sha256}.zip"
  source = var.bundle.path
  # Uploads again only when the bytes change; the key changes with them anyway.
  etag = filemd5(var.bundle.path)
  tags = local.tags

  lifecycle {
    # A precondition, not a validation: validations may name other variables only from
    # Terraform 1.9, and the module supports 1.5.
    precondition {
      condition     = var.artifacts_bucket != null
      error_message = "artifacts_bucket is required when bundle is set."
    }
  }
}

module "events" {
  source = "../kinesis_stream"

  name                   = "${var.name}-events"
  shard_count            = var.sizing.event_stream_shard_count
  retention_period_hours = var.sizing.event_stream_retention_hours
  tags                   = local.tags
}

module "service" {
  source = "../beanstalk_service"

  name                             = var.name
  vpc_id                           = var.network.vpc_id
  private_subnet_ids               = var.network.private_subnet_ids
  public_subnet_ids                = var.network.public_subnet_ids
  instance_security_group_ids      = [var.network.service_security_group_id]
  load_balancer_security_group_ids = [var.network.load_balancer_security_group_id]
  instance_type                    = var.sizing.instance_type
  min_instances                    = var.sizing.min_instances
  max_instances                    = var.sizing.max_instances
  certificate_arn                  = var.certificate_arn
  kinesis_stream_arn               = module.events.stream_arn
  s3_bucket_arn                    = var.files_bucket.arn
  s3_prefix                        = local.files_prefix
  database_endpoint                = var.database.endpoint
  database_secret_arn              = var.database.secret_arn
  environment_variables            = var.environment_variables
  # Through the uploaded object, so that the version is created only once the bundle is there.
  artifacts_bucket = try(aws_s3_bucket_object.bundle[0].bucket, null)
  artifact_key     = try(aws_s3_bucket_object.bundle[0].key, null)
  version_label    = local.version_label
  tags             = local.tags
}

module "event_archiver" {
  source = "../lambda_function"

  function_name    = "${var.name}-event-archiver"
  description      = "Archives the events of ${var.name} to S3, partitioned by day."
  zip_path         = var.event_archiver.zip_path
  source_code_hash = var.event_archiver.source_code_hash
  runtime          = var.event_archiver.runtime
  memory_size      = 256
  timeout          = 60

  environment_variables = {
    ARCHIVE_BUCKET = var.files_bucket.name
    ARCHIVE_PREFIX = "${local.files_prefix}events/"
    # Provider 3.39 cannot turn on partial batch responses for the mapping (see the
    # lambda_function README), so a batch with a bad record raises and is bisected instead.
    REPORT_BATCH_ITEM_FAILURES = "false"
  }

  policy_statements = [
    {
      sid       = "WriteEventArchive"
      actions   = ["s3:PutObject"]
      resources = ["${var.files_bucket.arn}/${local.files_prefix}events/*"]
    },
  ]

  create_kinesis_trigger             = true
  kinesis_stream_arn                 = module.events.stream_arn
  kinesis_batch_size                 = 500
  kinesis_starting_position          = "TRIM_HORIZON"
  kinesis_maximum_retry_attempts     = 5
  kinesis_on_failure_destination_arn = var.failure_queue_arn

  tags = local.tags
}
