data "aws_availability_zones" "available" {
  # checkov:skip=CKV_AWS_394:Used only when the caller gives no zones; availability_zones pins them
  count = length(var.availability_zones) == 0 ? 1 : 0

  # Only zones that need no opt-in: Local and Wavelength zones lack most services.
  state = "available"
  filter {
    name   = "opt-in-status"
    values = ["opt-in-not-required"]
  }
}

locals {
  azs = (
    length(var.availability_zones) > 0
    ? var.availability_zones
    : slice(data.aws_availability_zones.available[0].names, 0, var.az_count)
  )
  az_index = { for index, az in local.azs : az => index }

  # Private subnets start halfway through the block range, so a new zone takes the next free
  # block of each half and never renumbers an existing subnet.
  private_offset = pow(2, var.subnet_newbits - 1)
}

resource "aws_vpc" "this" {
  cidr_block           = var.cidr_block
  enable_dns_support   = true
  enable_dns_hostnames = true

  tags = merge(var.tags, { Name = var.name })

  lifecycle {
    precondition {
      condition     = length(local.azs) <= local.private_offset
      error_message = "Each half of the VPC holds 2^(subnet_newbits - 1) subnets; use fewer zones."
    }
    precondition {
      condition     = tonumber(split("/", var.cidr_block)[1]) + var.subnet_newbits <= 28
      error_message = "Subnets would be smaller than /28, the smallest AWS allows."
    }
  }
}

# Takes over the default security group every VPC comes with and removes its rules, so that a
# resource launched without an explicit group gets no access at all.
resource "aws_default_security_group" "this" {
  vpc_id = aws_vpc.this.id

  # Explicitly empty, so that a rule added by hand shows up as drift on the next plan.
  ingress = []
  egress  = []

  tags = merge(var.tags, { Name = "${var.name}-default-deny" })
}

resource "aws_internet_gateway" "this" {
  vpc_id = aws_vpc.this.id

  tags = merge(var.tags, { Name = var.name })
}

resource "aws_subnet" "public" {
  for_each = local.az_index

  vpc_id            = aws_vpc.this.id
  availability_zone = each.key
  cidr_block        = cidrsubnet(var.cidr_block, var.subnet_newbits, each.value)

  # Only load balancers and the NAT gateway live here; both get their public addresses
  # explicitly, so nothing else should receive one by accident.
  map_public_ip_on_launch = false

  tags = merge(var.tags, { Name = "${var.name}-public-${each.key}", Tier = "public" })
}

resource "aws_subnet" "private" {
  for_each = local.az_index

  vpc_id            = aws_vpc.this.id
  availability_zone = each.key
  cidr_block = cidrsubnet(
    var.cidr_block, var.subnet_newbits, local.private_offset + each.value,
  )

  tags = merge(var.tags, { Name = "${var.name}-private-${each.key}", Tier = "private" })
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.this.id

  tags = merge(var.tags, { Name = "${var.name}-public" })
}

resource "aws_route" "public_internet" {
  route_table_id         = aws_route_table.public.id
  destination_cidr_block = "0.0.0.0/0"
  gateway_id             = aws_internet_gateway.this.id
}

resource "aws_route_table_association" "public" {
  for_each = aws_subnet.public

  subnet_id      = each.value.id
  route_table_id = aws_route_table.public.id
}

# One private route table for every zone: with a single NAT gateway there is nothing a per-zone
# table could route differently.
resource "aws_route_table" "private" {
  vpc_id = aws_vpc.this.id

  tags = merge(var.tags, { Name = "${var.name}-private" })
}

resource "aws_route_table_association" "private" {
  for_each = aws_subnet.private

  subnet_id      = each.value.id
  route_table_id = aws_route_table.private.id
}

# Neither `vpc` (removed in provider 6.0) nor `domain` (not settable before 5.0) is set: every
# account is VPC-only since EC2-Classic retired, so the default domain is "vpc" on all versions.
resource "aws_eip" "nat" {
  # checkov:skip=CKV2_AWS_19:The address of the NAT gateway, not of an instance
  count = var.create_nat_gateway ? 1 : 0

  tags = merge(var.tags, { Name = "${var.name}-nat" })

  depends_on = [aws_internet_gateway.this]
}

resource "aws_nat_gateway" "this" {
  count = var.create_nat_gateway ? 1 : 0

  allocation_id = aws_eip.nat[0].id
  subnet_id     = aws_subnet.public[local.azs[0]].id

  tags = merge(var.tags, { Name = var.name })

  depends_on = [aws_internet_gateway.this]
}

resource "aws_route" "private_nat" {
  count = var.create_nat_gateway ? 1 : 0

  route_table_id         = aws_route_table.private.id
  destination_cidr_block = "0.0.0.0/0"
  nat_gateway_id         = aws_nat_gateway.this[0].id
}

# Security groups for the tiers. Rules are separate resources because the load balancer and
# service groups refer to each other; inline rules would form a cycle.

resource "aws_security_group" "load_balancer" {
  # checkov:skip=CKV2_AWS_5:Attached by the callers (Beanstalk option settings), outside this module
  name_prefix = "${var.name}-lb-"
  description = "Load balancer of ${var.name}: HTTP and HTTPS in, service port out"
  vpc_id      = aws_vpc.this.id

  tags = merge(var.tags, { Name = "${var.name}-lb" })

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_security_group_rule" "load_balancer_ingress" {
  # checkov:skip=CKV_AWS_260:Port 80 on the load balancer only redirects to HTTPS
  for_each = toset(["80", "443"])

  security_group_id = aws_security_group.load_balancer.id
  type              = "ingress"
  description       = "Clients on port ${each.key}"
  protocol          = "tcp"
  from_port         = tonumber(each.key)
  to_port           = tonumber(each.key)
  cidr_blocks       = var.load_balancer_ingress_cidr_blocks
}

resource "aws_security_group_rule" "load_balancer_to_service" {
  security_group_id        = aws_security_group.load_balancer.id
  type                     = "egress"
  description              = "Forward to the service instances"
  protocol                 = "tcp"
  from_port                = var.service_port
  to_port                  = var.service_port
  source_security_group_id = aws_security_group.service.id
}

resource "aws_security_group" "service" {
  # checkov:skip=CKV2_AWS_5:Attached by the callers (Beanstalk option settings), outside this module
  name_prefix = "${var.name}-service-"
  description = "Service instances of ${var.name}: traffic from the load balancer only"
  vpc_id      = aws_vpc.this.id

  tags = merge(var.tags, { Name = "${var.name}-service" })

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_security_group_rule" "service_from_load_balancer" {
  security_group_id        = aws_security_group.service.id
  type                     = "ingress"
  description              = "Requests forwarded by the load balancer"
  protocol                 = "tcp"
  from_port                = var.service_port
  to_port                  = var.service_port
  source_security_group_id = aws_security_group.load_balancer.id
}

resource "aws_security_group_rule" "service_https_out" {
  security_group_id = aws_security_group.service.id
  type              = "egress"
  description       = "HTTPS to AWS APIs and package mirrors"
  protocol          = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_blocks       = ["0.0.0.0/0"]
}

# The database group (made by the database module) decides who may connect; this rule only lets
# the services open the connection, and only inside the VPC.
resource "aws_security_group_rule" "service_database_out" {
  security_group_id = aws_security_group.service.id
  type              = "egress"
  description       = "Database inside the VPC"
  protocol          = "tcp"
  from_port         = var.database_port
  to_port           = var.database_port
  cidr_blocks       = [var.cidr_block]
}

# Flow logs: a log group with retention, and a role the flow log service may assume only for
# this account, allowed to write to that one group.

data "aws_caller_identity" "current" {
  count = var.enable_flow_logs ? 1 : 0
}

resource "aws_cloudwatch_log_group" "flow_logs" {
  # checkov:skip=CKV_AWS_158:CloudWatch encrypts logs at rest; a CMK is flow_log_kms_key_arn
  # checkov:skip=CKV_AWS_338:Retention is the flow_log_retention_days input (90 days by default)
  count = var.enable_flow_logs ? 1 : 0

  name              = "/aws/vpc-flow-logs/${var.name}"
  retention_in_days = var.flow_log_retention_days
  kms_key_id        = var.flow_log_kms_key_arn

  tags = merge(var.tags, { Name = "${var.name}-flow-logs" })
}

data "aws_iam_policy_document" "flow_logs_assume" {
  count = var.enable_flow_logs ? 1 : 0

  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["vpc-flow-logs.amazonaws.com"]
    }
    # Confused-deputy guard: only flow logs of this account may use the role.
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current[0].account_id]
    }
  }
}

data "aws_iam_policy_document" "flow_logs_write" {
  count = var.enable_flow_logs ? 1 : 0

  statement {
    actions = [
      "logs:CreateLogStream",
      "logs:DescribeLogStreams",
      "logs:PutLogEvents",
    ]
    resources = ["${aws_cloudwatch_log_group.flow_logs[0].arn}:*"]
  }
}

resource "aws_iam_role" "flow_logs" {
  count = var.enable_flow_logs ? 1 : 0

  name_prefix        = "${var.name}-flow-logs-"
  description        = "Lets VPC flow logs of ${var.name} write to their log group"
  assume_role_policy = data.aws_iam_policy_document.flow_logs_assume[0].json

  tags = merge(var.tags, { Name = "${var.name}-flow-logs" })
}

resource "aws_iam_role_policy" "flow_logs" {
  count = var.enable_flow_logs ? 1 : 0

  name   = "write-flow-logs"
  role   = aws_iam_role.flow_logs[0].id
  policy = data.aws_iam_policy_document.flow_logs_write[0].json
}

resource "aws_flow_log" "this" {
  count = var.enable_flow_logs ? 1 : 0

  vpc_id               = aws_vpc.this.id
  traffic_type         = var.flow_log_traffic_type
  log_destination_type = "cloud-watch-logs"
  log_destination      = aws_cloudwatch_log_group.flow_logs[0].arn
  iam_role_arn         = aws_iam_role.flow_logs[0].arn

  tags = merge(var.tags, { Name = var.name })
}
