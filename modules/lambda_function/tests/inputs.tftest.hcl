# Plans and applies against a mocked provider: what the module builds from its inputs, and which
# inputs it refuses. Run with 'terraform test' in the module folder (the integration tests do).

mock_provider "aws" {
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_data "aws_caller_identity" {
    defaults = { account_id = "123456789012" }
  }
  mock_resource "aws_cloudwatch_log_group" {
    defaults = { arn = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/unit:*" }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::123456789012:role/unit" }
  }
  mock_resource "aws_lambda_function" {
    defaults = { arn = "arn:aws:lambda:us-east-1:123456789012:function:unit" }
  }
  mock_resource "aws_cloudwatch_event_rule" {
    defaults = { arn = "arn:aws:events:us-east-1:123456789012:rule/unit-schedule" }
  }
}

variables {
  function_name    = "unit"
  zip_path         = "unit.zip"
  source_code_hash = "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="
  runtime          = "python3.8"
}

run "without_triggers_the_role_may_only_write_its_logs" {
  assert {
    condition     = jsondecode(aws_iam_role_policy.this.policy).Statement[0].Sid == "WriteOwnLogs"
    error_message = "The first statement must be the log permission."
  }
  assert {
    condition     = length(jsondecode(aws_iam_role_policy.this.policy).Statement) == 1
    error_message = "Without triggers or statements the role must get nothing but its logs."
  }
  assert {
    condition = jsondecode(aws_iam_role_policy.this.policy).Statement[0].Resource == [
      "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/unit:*",
    ]
    error_message = "The log permission must name the function's own log group."
  }
  assert {
    condition     = aws_cloudwatch_log_group.this.name == "/aws/lambda/unit"
    error_message = "The log group must be the one Lambda writes to."
  }
  assert {
    condition = (
      length(aws_cloudwatch_event_rule.schedule) + length(aws_lambda_event_source_mapping.kinesis)
      + length(aws_s3_bucket_notification.this) == 0
    )
    error_message = "No trigger may exist unless asked for."
  }
  assert {
    condition     = output.schedule_rule_arn == null && output.event_source_mapping_uuid == null
    error_message = "Outputs of absent triggers must be null."
  }
}

run "each_trigger_adds_its_own_grant" {
  variables {
    tracing_mode                       = "Active"
    dead_letter_target_arn             = "arn:aws:sns:us-east-1:123456789012:failures"
    create_schedule_trigger            = true
    schedule_expression                = "rate(1 day)"
    create_kinesis_trigger             = true
    kinesis_stream_arn                 = "arn:aws:kinesis:us-east-1:123456789012:stream/events"
    kinesis_on_failure_destination_arn = "arn:aws:sqs:us-east-1:123456789012:failed-batches"
    create_s3_trigger                  = true
    s3_bucket_name                     = "files"
    s3_filter_prefix                   = "uploads/"
  }

  assert {
    condition = [for s in jsondecode(aws_iam_role_policy.this.policy).Statement : s.Sid] == [
      "WriteOwnLogs", "WriteTraces", "SendToDeadLetterTarget", "ReadKinesisStream",
      "SendFailedBatches", "ReadTriggeringObjects",
    ]
    error_message = "Every switched-on feature must add exactly its statement."
  }
  assert {
    condition = [
      for s in jsondecode(aws_iam_role_policy.this.policy).Statement : s.Action
      if s.Sid == "SendToDeadLetterTarget"
    ] == [["sns:Publish"]]
    error_message = "An SNS dead-letter target needs sns:Publish."
  }
  assert {
    condition = [
      for s in jsondecode(aws_iam_role_policy.this.policy).Statement : s.Resource
      if s.Sid == "ReadTriggeringObjects"
    ] == [["arn:aws:s3:::files/uploads/*"]]
    error_message = "The S3 read grant must stop at the filter prefix."
  }
  assert {
    condition     = aws_lambda_permission.s3[0].source_account == "123456789012"
    error_message = "The S3 permission must pin the bucket owner's account."
  }
  assert {
    condition = (
      one(aws_s3_bucket_notification.this[0].lambda_function).filter_prefix == "uploads/"
    )
    error_message = "The notification must filter on the prefix."
  }
}

run "a_trigger_without_its_source_is_refused" {
  command = plan

  variables {
    create_kinesis_trigger = true
  }

  expect_failures = [aws_lambda_event_source_mapping.kinesis]
}

run "a_wildcard_action_is_refused" {
  command = plan

  variables {
    policy_statements = [{ sid = "All", actions = ["*"], resources = ["arn:aws:s3:::files/*"] }]
  }

  expect_failures = [var.policy_statements]
}

run "a_service_wide_action_is_refused" {
  command = plan

  variables {
    policy_statements = [{ sid = "S3", actions = ["s3:*"], resources = ["arn:aws:s3:::files/*"] }]
  }

  expect_failures = [var.policy_statements]
}

run "a_write_on_every_resource_is_refused" {
  command = plan

  variables {
    policy_statements = [{ sid = "Put", actions = ["s3:PutObject"], resources = ["*"] }]
  }

  expect_failures = [var.policy_statements]
}

run "a_read_on_every_resource_is_allowed" {
  command = plan

  variables {
    policy_statements = [
      { sid = "Buckets", actions = ["s3:ListAllMyBuckets"], resources = ["*"] },
      { sid = "Metrics", actions = ["cloudwatch:PutMetricData"], resources = ["*"] },
    ]
  }
}

run "a_runtime_that_is_not_python_is_refused" {
  command = plan

  variables {
    runtime = "nodejs20.x"
  }

  expect_failures = [var.runtime]
}

run "limits_outside_lambdas_ranges_are_refused" {
  command = plan

  variables {
    memory_size           = 64
    timeout               = 901
    log_retention_in_days = 42
    tracing_mode          = "On"
  }

  expect_failures = [
    var.memory_size, var.timeout, var.log_retention_in_days, var.tracing_mode,
  ]
}
