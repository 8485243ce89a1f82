data "aws_partition" "current" {}

data "aws_caller_identity" "current" {
  count = var.create_s3_trigger ? 1 : 0
}

locals {
  partition     = data.aws_partition.current.partition
  role_name     = coalesce(var.role_name, var.function_name)
  log_group_arn = trimsuffix(aws_cloudwatch_log_group.this.arn, ":*")

  # Without a bucket name the S3 trigger's precondition fails the plan with a clear message; the
  # empty name only keeps this expression from failing first with a less helpful one.
  s3_bucket_name = var.s3_bucket_name == null ? "" : var.s3_bucket_name
  s3_bucket_arn  = "arn:${local.partition}:s3:::${local.s3_bucket_name}"

  # Sending to an SQS queue or an SNS topic needs a different action.
  send_action = { sqs = "sqs:SendMessage", sns = "sns:Publish" }

  # The statements the role needs for what is switched on; each appears only when needed.
  statements = concat(
    [
      {
        Sid      = "WriteOwnLogs"
        Effect   = "Allow"
        Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
        Resource = ["${local.log_group_arn}:*"]
      },
    ],
    var.tracing_mode == "Active" ? [
      {
        Sid    = "WriteTraces"
        Effect = "Allow"
        Action = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]
        # X-Ray has no resource-level permissions for these two actions.
        Resource = ["*"]
      },
    ] : [],
    var.dead_letter_target_arn != null ? [
      {
        Sid      = "SendToDeadLetterTarget"
        Effect   = "Allow"
        Action   = [local.send_action[split(":", var.dead_letter_target_arn)[2]]]
        Resource = [var.dead_letter_target_arn]
      },
    ] : [],
    var.create_kinesis_trigger ? [
      {
        Sid    = "ReadKinesisStream"
        Effect = "Allow"
        Action = [
          "kinesis:DescribeStream",
          "kinesis:DescribeStreamSummary",
          "kinesis:GetRecords",
          "kinesis:GetShardIterator",
          "kinesis:ListShards",
        ]
        Resource = [var.kinesis_stream_arn]
      },
    ] : [],
    var.create_kinesis_trigger && var.kinesis_on_failure_destination_arn != null ? [
      {
        Sid      = "SendFailedBatches"
        Effect   = "Allow"
        Action   = [local.send_action[split(":", var.kinesis_on_failure_destination_arn)[2]]]
        Resource = [var.kinesis_on_failure_destination_arn]
      },
    ] : [],
    var.create_s3_trigger ? [
      {
        Sid      = "ReadTriggeringObjects"
        Effect   = "Allow"
        Action   = ["s3:GetObject"]
        Resource = ["${local.s3_bucket_arn}/${var.s3_filter_prefix}*"]
      },
    ] : [],
    [
      for statement in var.policy_statements : {
        Sid      = statement.sid
        Effect   = "Allow"
        Action   = statement.actions
        Resource = statement.resources
      }
    ],
  )
}

################################################################################
# Logs
################################################################################

# Created here rather than by Lambda on first run, so that retention and encryption are set and
# the role needs no logs:CreateLogGroup.
resource "aws_cloudwatch_log_group" "this" {
  # checkov:skip=CKV_AWS_158:CloudWatch encrypts logs at rest; a CMK is the log_kms_key_id input
  # checkov:skip=CKV_AWS_338:Retention is the caller's log_retention_in_days, 30 days by default
  name              = "/aws/lambda/${var.function_name}"
  retention_in_days = var.log_retention_in_days
  kms_key_id        = var.log_kms_key_id

  tags = var.tags
}

################################################################################
# IAM
################################################################################

resource "aws_iam_role" "this" {
  name                 = local.role_name
  description          = "Execution role of the ${var.function_name} Lambda function."
  permissions_boundary = var.role_permissions_boundary_arn
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect    = "Allow"
        Action    = "sts:AssumeRole"
        Principal = { Service = "lambda.amazonaws.com" }
      },
    ]
  })

  tags = var.tags
}

resource "aws_iam_role_policy" "this" {
  name = "${var.function_name}-permissions"
  role = aws_iam_role.this.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = local.statements
  })
}

################################################################################
# Function
################################################################################

resource "aws_lambda_function" "this" {
  # checkov:skip=CKV_AWS_116:The dead_letter_target_arn input; streams use on-failure destinations
  # checkov:skip=CKV_AWS_117:The functions reach only AWS APIs; a VPC would add NAT or endpoints
  # checkov:skip=CKV_AWS_272:No Signer profile yet; the zip is pinned by its source_code_hash
  function_name    = var.function_name
  description      = var.description
  role             = aws_iam_role.this.arn
  filename         = var.zip_path
  source_code_hash = var.source_code_hash
  handler          = var.handler
  runtime          = var.runtime
  memory_size      = var.memory_size
  timeout          = var.timeout
  kms_key_arn      = var.kms_key_arn

  reserved_concurrent_executions = var.reserved_concurrent_executions

  # An empty environment block reads back as none and would show as a change on every plan.
  dynamic "environment" {
    for_each = length(var.environment_variables) > 0 ? [var.environment_variables] : []

    content {
      variables = environment.value
    }
  }

  dynamic "dead_letter_config" {
    for_each = compact([var.dead_letter_target_arn])

    content {
      target_arn = dead_letter_config.value
    }
  }

  tracing_config {
    mode = var.tracing_mode
  }

  tags = var.tags

  # The log group must exist before the first invocation, or Lambda creates one that Terraform
  # does not manage; the permissions must exist before a trigger can invoke it.
  depends_on = [aws_cloudwatch_log_group.this, aws_iam_role_policy.this]
}

################################################################################
# Trigger: schedule
################################################################################

resource "aws_cloudwatch_event_rule" "schedule" {
  count = var.create_schedule_trigger ? 1 : 0

  name                = substr("${var.function_name}-schedule", 0, 64)
  description         = "Runs ${var.function_name} on ${coalesce(var.schedule_expression, "-")}."
  schedule_expression = var.schedule_expression

  tags = var.tags

  lifecycle {
    precondition {
      condition     = var.schedule_expression != null
      error_message = "The create_schedule_trigger input needs a schedule_expression."
    }
  }
}

resource "aws_cloudwatch_event_target" "schedule" {
  count = var.create_schedule_trigger ? 1 : 0

  rule      = aws_cloudwatch_event_rule.schedule[0].name
  target_id = "lambda"
  arn       = aws_lambda_function.this.arn
}

resource "aws_lambda_permission" "schedule" {
  count = var.create_schedule_trigger ? 1 : 0

  statement_id  = "AllowScheduleRule"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.this.function_name
  principal     = "events.amazonaws.com"
  source_arn    = aws_cloudwatch_event_rule.schedule[0].arn
}

################################################################################
# Trigger: Kinesis
################################################################################

# Partial batch responses (function_response_types = ["ReportBatchItemFailures"]) are not set:
# provider 3.39 does not have that argument, and setting it would break the module there. Without
# it Lambda ignores a returned batchItemFailures list and treats the batch as done, so a function
# must raise to have records retried (event_archiver's REPORT_BATCH_ITEM_FAILURES=false does).
# Once every environment runs a provider that has it, add it here.
resource "aws_lambda_event_source_mapping" "kinesis" {
  # checkov:skip=CKV_BLUEPRINT_1:aws_lambda_event_source_mapping takes tags only after provider 3.39
  count = var.create_kinesis_trigger ? 1 : 0

  event_source_arn                   = var.kinesis_stream_arn
  function_name                      = aws_lambda_function.this.arn
  starting_position                  = var.kinesis_starting_position
  batch_size                         = var.kinesis_batch_size
  maximum_batching_window_in_seconds = var.kinesis_maximum_batching_window_in_seconds
  bisect_batch_on_function_error     = var.enable_kinesis_bisect_batch_on_function_error
  maximum_retry_attempts             = var.kinesis_maximum_retry_attempts
  maximum_record_age_in_seconds      = var.kinesis_maximum_record_age_in_seconds

  dynamic "destination_config" {
    for_each = compact([var.kinesis_on_failure_destination_arn])

    content {
      on_failure {
        destination_arn = destination_config.value
      }
    }
  }

  lifecycle {
    precondition {
      condition     = var.kinesis_stream_arn != null
      error_message = "The create_kinesis_trigger input needs a kinesis_stream_arn."
    }
  }
}

################################################################################
# Trigger: S3
################################################################################

resource "aws_lambda_permission" "s3" {
  count = var.create_s3_trigger ? 1 : 0

  statement_id  = "AllowS3Notifications"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.this.function_name
  principal     = "s3.amazonaws.com"
  source_arn    = local.s3_bucket_arn
  # Bucket names are global: pin the owner too, so that a same-named bucket elsewhere cannot.
  source_account = data.aws_caller_identity.current[0].account_id
}

resource "aws_s3_bucket_notification" "this" {
  count = var.create_s3_trigger ? 1 : 0

  bucket = var.s3_bucket_name

  lambda_function {
    id                  = var.function_name
    lambda_function_arn = aws_lambda_function.this.arn
    events              = var.s3_events
    filter_prefix       = var.s3_filter_prefix != "" ? var.s3_filter_prefix : null
    filter_suffix       = var.s3_filter_suffix != "" ? var.s3_filter_suffix : null
  }

  # S3 checks that it may invoke the function when the notification is saved.
  depends_on = [aws_lambda_permission.s3]

  lifecycle {
    precondition {
      condition     = var.s3_bucket_name != null
      error_message = "The create_s3_trigger input needs an s3_bucket_name."
    }
  }
}
