locals {
  enable_https  = var.certificate_arn != null
  enable_deploy = var.version_label != null

  # Region, account and partition come from the application's ARN, so the module needs no data
  # source (aws_region's "name" attribute is deprecated from provider 6.0 on).
  arn_parts = split(":", aws_elastic_beanstalk_application.this.arn)
  partition = local.arn_parts[1]
  region    = local.arn_parts[3]
  account   = local.arn_parts[4]

  environment_arn = join(":", [
    "arn", local.partition, "elasticbeanstalk", local.region, local.account,
    "environment/${var.name}/${var.name}",
  ])
  # Where Elastic Beanstalk keeps an account's environment data in a region.
  storage_bucket_arn = join("-", [
    "arn:${local.partition}:s3:::elasticbeanstalk", local.region, local.account,
  ])
  log_group_arn = join(":", [
    "arn", local.partition, "logs", local.region, local.account,
    "log-group:/aws/elasticbeanstalk/${var.name}/*",
  ])

  # Sorted: the provider sorts the subnet lists it reads back before comparing them.
  instance_subnets      = join(",", sort(var.private_subnet_ids))
  load_balancer_subnets = join(",", sort(var.public_subnet_ids))

  module_variables = merge(
    var.s3_bucket_arn == null ? {} : { S3_BUCKET = split(":::", var.s3_bucket_arn)[1] },
    var.s3_bucket_arn == null || var.s3_prefix == "" ? {} : { S3_PREFIX = var.s3_prefix },
    var.kinesis_stream_arn == null ? {} : {
      KINESIS_STREAM_NAME = split("/", var.kinesis_stream_arn)[1]
    },
    var.database_endpoint == null ? {} : { DATABASE_ENDPOINT = var.database_endpoint },
    var.database_secret_arn == null ? {} : { DATABASE_SECRET_ARN = var.database_secret_arn },
  )
  environment_variables = merge(var.environment_variables, local.module_variables)

  # Every value is a string exactly as Elastic Beanstalk echoes it back: the provider compares
  # settings as a set, so anything it would rewrite (such as subnet order) shows as a change.
  base_settings = [
    { namespace = "aws:ec2:vpc", name = "VPCId", value = var.vpc_id },
    { namespace = "aws:ec2:vpc", name = "Subnets", value = local.instance_subnets },
    { namespace = "aws:ec2:vpc", name = "ELBSubnets", value = local.load_balancer_subnets },
    { namespace = "aws:ec2:vpc", name = "ELBScheme", value = "public" },
    { namespace = "aws:ec2:vpc", name = "AssociatePublicIpAddress", value = "false" },
    { namespace = "aws:ec2:instances", name = "InstanceTypes", value = var.instance_type },
    {
      namespace = "aws:autoscaling:launchconfiguration", name = "IamInstanceProfile",
      value     = aws_iam_instance_profile.this.name
    },
    { namespace = "aws:autoscaling:launchconfiguration", name = "DisableIMDSv1", value = "true" },
    { namespace = "aws:autoscaling:launchconfiguration", name = "RootVolumeType", value = "gp3" },
    { namespace = "aws:autoscaling:asg", name = "MinSize", value = tostring(var.min_instances) },
    { namespace = "aws:autoscaling:asg", name = "MaxSize", value = tostring(var.max_instances) },
    {
      namespace = "aws:elasticbeanstalk:environment", name = "EnvironmentType",
      value     = "LoadBalanced"
    },
    {
      namespace = "aws:elasticbeanstalk:environment", name = "LoadBalancerType",
      value     = "application"
    },
    {
      namespace = "aws:elasticbeanstalk:environment", name = "ServiceRole",
      value     = aws_iam_role.service.arn
    },
    {
      namespace = "aws:elasticbeanstalk:environment:process:default", name = "HealthCheckPath",
      value     = var.health_check_path
    },
    {
      namespace = "aws:elasticbeanstalk:healthreporting:system", name = "SystemType",
      value     = "enhanced"
    },
    {
      namespace = "aws:elasticbeanstalk:command", name = "DeploymentPolicy",
      value     = var.deployment_policy
    },
    { namespace = "aws:elasticbeanstalk:command", name = "BatchSizeType", value = "Fixed" },
    {
      namespace = "aws:elasticbeanstalk:command", name = "BatchSize",
      value     = tostring(var.deployment_batch_size)
    },
    # Configuration changes that replace instances roll through the group as well.
    {
      namespace = "aws:autoscaling:updatepolicy:rollingupdate", name = "RollingUpdateEnabled",
      value     = "true"
    },
    {
      namespace = "aws:autoscaling:updatepolicy:rollingupdate", name = "RollingUpdateType",
      value     = "Health"
    },
    {
      namespace = "aws:autoscaling:updatepolicy:rollingupdate", name = "MaxBatchSize",
      value     = tostring(var.deployment_batch_size)
    },
    {
      namespace = "aws:autoscaling:updatepolicy:rollingupdate", name = "MinInstancesInService",
      value     = tostring(min(var.min_instances, var.max_instances - 1))
    },
    {
      namespace = "aws:elasticbeanstalk:managedactions", name = "ManagedActionsEnabled",
      value     = tostring(var.enable_managed_platform_updates)
    },
    { namespace = "aws:elasticbeanstalk:cloudwatch:logs", name = "StreamLogs", value = "true" },
    {
      namespace = "aws:elasticbeanstalk:cloudwatch:logs", name = "RetentionInDays",
      value     = tostring(var.log_retention_days)
    },
    {
      namespace = "aws:elasticbeanstalk:cloudwatch:logs", name = "DeleteOnTerminate",
      value     = tostring(var.enable_log_deletion_on_terminate)
    },
    {
      namespace = "aws:elasticbeanstalk:cloudwatch:logs:health", name = "HealthStreamingEnabled",
      value     = "true"
    },
    {
      namespace = "aws:elasticbeanstalk:cloudwatch:logs:health", name = "RetentionInDays",
      value     = tostring(var.log_retention_days)
    },
    {
      namespace = "aws:elasticbeanstalk:cloudwatch:logs:health", name = "DeleteOnTerminate",
      value     = tostring(var.enable_log_deletion_on_terminate)
    },
  ]

  managed_update_settings = !var.enable_managed_platform_updates ? [] : [
    {
      namespace = "aws:elasticbeanstalk:managedactions", name = "ServiceRoleForManagedUpdates",
      value     = "AWSServiceRoleForElasticBeanstalkManagedUpdates"
    },
    {
      namespace = "aws:elasticbeanstalk:managedactions", name = "PreferredStartTime",
      value     = var.platform_update_window
    },
    {
      namespace = "aws:elasticbeanstalk:managedactions:platformupdate", name = "UpdateLevel",
      value     = var.platform_update_level
    },
  ]

  instance_group_settings = length(var.instance_security_group_ids) == 0 ? [] : [
    {
      namespace = "aws:autoscaling:launchconfiguration", name = "SecurityGroups",
      value     = join(",", sort(var.instance_security_group_ids))
    },
  ]

  load_balancer_group_settings = length(var.load_balancer_security_group_ids) == 0 ? [] : [
    {
      namespace = "aws:elbv2:loadbalancer", name = "SecurityGroups",
      value     = join(",", sort(var.load_balancer_security_group_ids))
    },
    {
      namespace = "aws:elbv2:loadbalancer", name = "ManagedSecurityGroup",
      value     = var.load_balancer_security_group_ids[0]
    },
  ]

  https_settings = !local.enable_https ? [] : [
    { namespace = "aws:elbv2:listener:443", name = "ListenerEnabled", value = "true" },
    { namespace = "aws:elbv2:listener:443", name = "Protocol", value = "HTTPS" },
    {
      namespace = "aws:elbv2:listener:443", name = "SSLCertificateArns",
      value     = var.certificate_arn
    },
    { namespace = "aws:elbv2:listener:443", name = "SSLPolicy", value = var.ssl_policy },
  ]

  variable_settings = [
    for key in sort(keys(local.environment_variables)) : {
      namespace = "aws:elasticbeanstalk:application:environment", name = key,
      value     = local.environment_variables[key]
    }
  ]

  settings = concat(
    local.base_settings, local.managed_update_settings, local.instance_group_settings,
    local.load_balancer_group_settings, local.https_settings, local.variable_settings,
  )
}

################################################################################
# Application and version
################################################################################

data "aws_elastic_beanstalk_solution_stack" "this" {
  most_recent = true
  name_regex  = var.solution_stack_name_regex
}

resource "aws_elastic_beanstalk_application" "this" {
  name        = var.name
  description = var.description

  appversion_lifecycle {
    service_role          = aws_iam_role.service.arn
    max_count             = var.application_version_limit
    delete_source_from_s3 = false
  }

  tags = var.tags
}

resource "aws_elastic_beanstalk_application_version" "this" {
  count = local.enable_deploy ? 1 : 0

  name        = var.version_label
  application = aws_elastic_beanstalk_application.this.name
  description = "Deployed by Terraform from s3://${var.artifacts_bucket}/${var.artifact_key}"
  bucket      = var.artifacts_bucket
  key         = var.artifact_key
  tags        = var.tags

  lifecycle {
    # The environment moves to the new version before the old one is deleted.
    create_before_destroy = true

    precondition {
      condition     = var.artifacts_bucket != null && var.artifact_key != null
      error_message = "version_label needs artifacts_bucket and artifact_key as well."
    }
  }
}

################################################################################
# Environment
################################################################################

resource "aws_elastic_beanstalk_environment" "this" {
  # checkov:skip=CKV_AWS_312:Enhanced health is always on, in a setting checkov cannot read
  # checkov:skip=CKV_AWS_340:Managed updates: enable_managed_platform_updates, on by default
  name                   = var.name
  application            = aws_elastic_beanstalk_application.this.name
  description            = var.description
  tier                   = "WebServer"
  solution_stack_name    = data.aws_elastic_beanstalk_solution_stack.this.name
  version_label          = try(aws_elastic_beanstalk_application_version.this[0].name, null)
  wait_for_ready_timeout = var.wait_for_ready_timeout

  dynamic "setting" {
    for_each = local.settings

    content {
      namespace = setting.value.namespace
      name      = setting.value.name
      value     = setting.value.value
    }
  }

  tags = var.tags

  lifecycle {
    precondition {
      condition     = var.min_instances <= var.max_instances
      error_message = "min_instances must not exceed max_instances."
    }

    precondition {
      condition = (
        local.enable_deploy || (var.artifacts_bucket == null && var.artifact_key == null)
      )
      error_message = "artifacts_bucket and artifact_key need a version_label to deploy."
    }
  }

  # Elastic Beanstalk checks at launch that the instance profile and its permissions exist.
  depends_on = [aws_iam_role_policy.instance, aws_iam_role_policy.service]
}

################################################################################
# HTTP to HTTPS redirect
################################################################################

# Elastic Beanstalk's listener options can only forward to a process, so the redirect is a rule
# on the port 80 listener that Elastic Beanstalk created.
data "aws_lb_listener" "http" {
  count = local.enable_https ? 1 : 0

  load_balancer_arn = aws_elastic_beanstalk_environment.this.load_balancers[0]
  port              = 80
}

resource "aws_lb_listener_rule" "redirect_to_https" {
  # checkov:skip=CKV_BLUEPRINT_1:aws_lb_listener_rule takes tags only after provider 3.39
  count = local.enable_https ? 1 : 0

  listener_arn = data.aws_lb_listener.http[0].arn
  priority     = 1

  action {
    type = "redirect"

    redirect {
      port        = "443"
      protocol    = "HTTPS"
      status_code = "HTTP_301"
    }
  }

  condition {
    path_pattern {
      values = ["/*"]
    }
  }
}

################################################################################
# Instance role and profile
################################################################################

data "aws_iam_policy_document" "instance_trust" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "instance" {
  name               = "${var.name}-eb-instance"
  description        = "Instances of the ${var.name} Elastic Beanstalk environment."
  assume_role_policy = data.aws_iam_policy_document.instance_trust.json
  tags               = var.tags
}

resource "aws_iam_instance_profile" "this" {
  name = "${var.name}-eb-instance"
  role = aws_iam_role.instance.name
  tags = var.tags
}

data "aws_iam_policy_document" "instance" {
  # What the platform's agents need: log streaming, enhanced health, environment data.
  statement {
    sid = "StreamLogs"
    actions = [
      "logs:CreateLogStream",
      "logs:DescribeLogStreams",
      "logs:PutLogEvents",
    ]
    resources = [local.log_group_arn, "${local.log_group_arn}:log-stream:*"]
  }

  statement {
    sid       = "FindLogGroups"
    actions   = ["logs:DescribeLogGroups"]
    resources = ["arn:${local.partition}:logs:${local.region}:${local.account}:log-group:*"]
  }

  statement {
    sid       = "ReportHealth"
    actions   = ["elasticbeanstalk:PutInstanceStatistics"]
    resources = [aws_elastic_beanstalk_application.this.arn, local.environment_arn]
  }

  statement {
    sid       = "EnvironmentData"
    actions   = ["s3:GetObject", "s3:PutObject"]
    resources = ["${local.storage_bucket_arn}/resources/environments/*"]
  }

  dynamic "statement" {
    for_each = local.enable_deploy ? [1] : []

    content {
      sid     = "ReadSourceBundle"
      actions = ["s3:GetObject"]
      resources = [
        "arn:${local.partition}:s3:::${var.artifacts_bucket}/${var.artifact_key}",
      ]
    }
  }

  # What the application needs: its stream, its prefix, its secret, their keys.
  dynamic "statement" {
    for_each = var.kinesis_stream_arn == null ? [] : [var.kinesis_stream_arn]

    content {
      sid = "PutRecords"
      actions = [
        "kinesis:DescribeStreamSummary",
        "kinesis:ListShards",
        "kinesis:PutRecord",
        "kinesis:PutRecords",
      ]
      resources = [statement.value]
    }
  }

  dynamic "statement" {
    for_each = var.s3_bucket_arn == null ? [] : [var.s3_bucket_arn]

    content {
      sid       = "ReadOwnPrefix"
      actions   = ["s3:GetObject"]
      resources = ["${statement.value}/${var.s3_prefix}*"]
    }
  }

  dynamic "statement" {
    for_each = var.s3_bucket_arn == null ? [] : [var.s3_bucket_arn]

    content {
      sid       = "ListOwnPrefix"
      actions   = ["s3:ListBucket"]
      resources = [statement.value]

      condition {
        test     = "StringLike"
        variable = "s3:prefix"
        values   = ["${var.s3_prefix}*"]
      }
    }
  }

  dynamic "statement" {
    for_each = var.database_secret_arn == null ? [] : [var.database_secret_arn]

    content {
      sid       = "ReadDatabaseSecret"
      actions   = ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"]
      resources = [statement.value]
    }
  }

  dynamic "statement" {
    for_each = length(var.kms_key_arns) == 0 ? [] : [var.kms_key_arns]

    content {
      sid       = "UseDataKeys"
      actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
      resources = statement.value
    }
  }
}

resource "aws_iam_role_policy" "instance" {
  name   = "${var.name}-eb-instance"
  role   = aws_iam_role.instance.id
  policy = data.aws_iam_policy_document.instance.json
}

################################################################################
# Service role
################################################################################

data "aws_iam_policy_document" "service_trust" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["elasticbeanstalk.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "sts:ExternalId"
      values   = ["elasticbeanstalk"]
    }
  }
}

resource "aws_iam_role" "service" {
  name               = "${var.name}-eb-service"
  description        = "Elastic Beanstalk acting for the ${var.name} environment."
  assume_role_policy = data.aws_iam_policy_document.service_trust.json
  tags               = var.tags
}

# Our own policy rather than AWS's managed ones for this role: those grant elasticbeanstalk:* and
# writes on every resource. Enhanced health needs the reads below; managed platform updates run
# under the service-linked role named in the settings, which AWS creates and maintains.
data "aws_iam_policy_document" "service" {
  statement {
    sid = "ReadEnvironmentHealth"
    actions = [
      "autoscaling:DescribeAutoScalingGroups",
      "autoscaling:DescribeAutoScalingInstances",
      "autoscaling:DescribeNotificationConfigurations",
      "autoscaling:DescribeScalingActivities",
      "ec2:DescribeAddresses",
      "ec2:DescribeInstanceStatus",
      "ec2:DescribeInstances",
      "ec2:DescribeSecurityGroups",
      "elasticloadbalancing:DescribeInstanceHealth",
      "elasticloadbalancing:DescribeLoadBalancers",
      "elasticloadbalancing:DescribeTargetGroups",
      "elasticloadbalancing:DescribeTargetHealth",
    ]
    # These describe calls support no resource-level permissions.
    resources = ["*"]
  }

  statement {
    sid = "StreamHealthLogs"
    actions = [
      "logs:CreateLogStream",
      "logs:DescribeLogStreams",
      "logs:PutLogEvents",
    ]
    resources = [local.log_group_arn, "${local.log_group_arn}:log-stream:*"]
  }

  # The application version lifecycle deletes old versions of this application only.
  statement {
    sid = "ApplyVersionLifecycle"
    actions = [
      "elasticbeanstalk:DeleteApplicationVersion",
      "elasticbeanstalk:DescribeApplicationVersions",
    ]
    resources = [
      join(":", [
        "arn", local.partition, "elasticbeanstalk", local.region, local.account,
        "applicationversion/${var.name}/*",
      ]),
    ]
  }
}

resource "aws_iam_role_policy" "service" {
  name   = "${var.name}-eb-service"
  role   = aws_iam_role.service.id
  policy = data.aws_iam_policy_document.service.json
}
