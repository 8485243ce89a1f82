locals {
  major_version = split(".", var.engine_version)[0]
  family        = "postgres${local.major_version}"

  # The initial database is not named on the instance: the argument is `name` before provider
  # 4.0 and `db_name` from 4.0 (where `name` is gone in 5.0), so no spelling works on every
  # version. Without one, RDS for PostgreSQL creates the database "postgres"; the services
  # create their own databases or schemas in it through their migrations.
  database_name = "postgres"

  log_exports = ["postgresql", "upgrade"]

  # A name given in var.parameters replaces the module's setting of the same name.
  parameters = merge(
    {
      "rds.force_ssl" = {
        value        = "1"
        apply_method = "immediate"
      }
      "log_min_duration_statement" = {
        value        = tostring(var.log_min_duration_statement)
        apply_method = "immediate"
      }
    },
    { for p in var.parameters : p.name => { value = p.value, apply_method = p.apply_method } },
  )

  final_snapshot_identifier = coalesce(var.final_snapshot_identifier, "${var.identifier}-final")
}

resource "aws_db_subnet_group" "this" {
  name        = var.identifier
  description = "Private subnets of the ${var.identifier} database"
  subnet_ids  = var.subnet_ids

  tags = merge(var.tags, { Name = var.identifier })
}

resource "aws_security_group" "this" {
  name_prefix = "${var.identifier}-db-"
  description = "Database ${var.identifier}: PostgreSQL from the allowed security groups only"
  vpc_id      = var.vpc_id

  # No egress rule: the database answers its clients over the connections they opened and
  # starts none of its own.

  tags = merge(var.tags, { Name = "${var.identifier}-db" })

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_security_group_rule" "ingress" {
  for_each = var.allowed_security_group_ids

  security_group_id        = aws_security_group.this.id
  type                     = "ingress"
  description              = "PostgreSQL from ${each.key}"
  protocol                 = "tcp"
  from_port                = var.port
  to_port                  = var.port
  source_security_group_id = each.value
}

resource "aws_db_parameter_group" "this" {
  # A prefix, so that a major upgrade (a new family) can create the new group before the
  # instance lets go of the old one.
  name_prefix = "${var.identifier}-${local.family}-"
  family      = local.family
  description = "PostgreSQL ${local.major_version} settings of ${var.identifier}"

  dynamic "parameter" {
    for_each = local.parameters

    content {
      name         = parameter.key
      value        = parameter.value.value
      apply_method = parameter.value.apply_method
    }
  }

  tags = merge(var.tags, { Name = var.identifier })

  lifecycle {
    create_before_destroy = true
  }
}

# Created before the instance so that they have a retention period: left to itself, RDS creates
# them on the first export and keeps the logs forever.
resource "aws_cloudwatch_log_group" "this" {
  # checkov:skip=CKV_AWS_158:CloudWatch encrypts logs at rest; a CMK is cloudwatch_log_kms_key_arn
  # checkov:skip=CKV_AWS_338:Retention is cloudwatch_log_retention_days, 30 days by default
  for_each = toset(local.log_exports)

  name              = "/aws/rds/instance/${var.identifier}/${each.key}"
  retention_in_days = var.cloudwatch_log_retention_days
  kms_key_id        = var.cloudwatch_log_kms_key_arn

  tags = merge(var.tags, { Name = "${var.identifier}-${each.key}" })
}

resource "aws_db_instance" "this" {
  # checkov:skip=CKV_AWS_118:Enhanced monitoring needs a monitoring role, not made yet
  # checkov:skip=CKV_AWS_353:Performance Insights is enable_performance_insights, off by default
  identifier     = var.identifier
  engine         = "postgres"
  engine_version = var.engine_version
  instance_class = var.instance_class
  port           = var.port

  username = var.master_username
  password = var.master_password

  allocated_storage     = var.allocated_storage
  max_allocated_storage = var.max_allocated_storage
  storage_type          = var.storage_type
  storage_encrypted     = true
  kms_key_id            = var.kms_key_arn

  db_subnet_group_name   = aws_db_subnet_group.this.name
  vpc_security_group_ids = [aws_security_group.this.id]
  publicly_accessible    = false
  multi_az               = var.multi_az
  ca_cert_identifier     = var.ca_cert_identifier

  parameter_group_name                = aws_db_parameter_group.this.name
  iam_database_authentication_enabled = var.enable_iam_database_authentication
  enabled_cloudwatch_logs_exports     = local.log_exports

  auto_minor_version_upgrade  = true
  allow_major_version_upgrade = false
  apply_immediately           = var.apply_immediately
  maintenance_window          = var.maintenance_window

  backup_retention_period   = var.backup_retention_period
  backup_window             = var.backup_window
  copy_tags_to_snapshot     = true
  deletion_protection       = var.deletion_protection
  skip_final_snapshot       = var.skip_final_snapshot
  final_snapshot_identifier = var.skip_final_snapshot ? null : local.final_snapshot_identifier

  performance_insights_enabled          = var.enable_performance_insights
  performance_insights_retention_period = var.enable_performance_insights ? 7 : null
  performance_insights_kms_key_id = (
    var.enable_performance_insights ? var.performance_insights_kms_key_arn : null
  )

  tags = merge(var.tags, { Name = var.identifier })

  depends_on = [aws_cloudwatch_log_group.this]

  lifecycle {
    # password: set only at creation, rotated outside Terraform (see the README).
    # iops: provider 3.x stores the baseline IOPS RDS reports for gp3 in an argument it does not
    # treat as computed, so every plan would try to clear it; the module never sets IOPS.
    ignore_changes = [password, iops]

    precondition {
      condition = (
        var.max_allocated_storage == 0 || var.max_allocated_storage > var.allocated_storage
      )
      error_message = "The max_allocated_storage must be 0 or more than allocated_storage."
    }
  }
}

# The connection document services read at run time. Its password is the creation-time one, and
# later runs (each with a fresh master_password) must not overwrite it: that would break the
# pairing with the instance, which ignores password changes too. A new instance (a replacement)
# gets the password of the run that creates it, so the document is replaced along with it.
resource "aws_secretsmanager_secret" "this" {
  # checkov:skip=CKV_AWS_149:The AWS-managed key by default; secret_kms_key_arn takes a CMK
  # checkov:skip=CKV2_AWS_57:Rotation runs outside Terraform, which ignores the drift (see README)
  name_prefix             = "rds/${var.identifier}/master-"
  description             = "Master credentials and endpoint of the ${var.identifier} database"
  kms_key_id              = var.secret_kms_key_arn
  recovery_window_in_days = var.secret_recovery_window_in_days

  tags = merge(var.tags, { Name = "${var.identifier}-master" })
}

resource "aws_secretsmanager_secret_version" "this" {
  secret_id = aws_secretsmanager_secret.this.id
  # The keys are the ones the AWS rotation functions for RDS PostgreSQL read.
  secret_string = jsonencode({
    engine   = "postgres"
    host     = aws_db_instance.this.address
    port     = aws_db_instance.this.port
    dbname   = local.database_name
    username = aws_db_instance.this.username
    password = var.master_password
  })

  lifecycle {
    ignore_changes       = [secret_string]
    replace_triggered_by = [aws_db_instance.this.resource_id]
  }
}
