# One service on Elastic Beanstalk with what it talks to: a stream it writes events to, a bucket
# prefix it reads, and its database secret; the buckets come from the s3_bucket module. The
# network is the smallest that fits (two zones, no NAT gateway); in a real account the private
# instances also need a NAT gateway or VPC endpoints to reach Elastic Beanstalk, S3 and
# CloudWatch, which the network module provides.

provider "aws" {
  region = var.region
}

locals {
  azs    = slice(data.aws_availability_zones.available.names, 0, 2)
  deploy = var.source_bundle_path != null
  tags   = { service = var.name }
}

data "aws_availability_zones" "available" {
  # checkov:skip=CKV_AWS_394:The example's own minimal network; environments use the network module
  state = "available"
}

################################################################################
# Network
################################################################################

resource "aws_vpc" "this" {
  # checkov:skip=CKV2_AWS_11:The example's own minimal network; environments use the network module
  # checkov:skip=CKV2_AWS_12:The example's own minimal network; environments use the network module
  cidr_block           = "10.30.0.0/16"
  enable_dns_hostnames = true
  enable_dns_support   = true

  tags = merge(local.tags, { Name = var.name })
}

resource "aws_internet_gateway" "this" {
  vpc_id = aws_vpc.this.id
  tags   = local.tags
}

resource "aws_subnet" "public" {
  count = 2

  vpc_id            = aws_vpc.this.id
  availability_zone = local.azs[count.index]
  cidr_block        = cidrsubnet(aws_vpc.this.cidr_block, 8, count.index)

  tags = merge(local.tags, { Name = "${var.name}-public-${local.azs[count.index]}" })
}

resource "aws_subnet" "private" {
  count = 2

  vpc_id            = aws_vpc.this.id
  availability_zone = local.azs[count.index]
  cidr_block        = cidrsubnet(aws_vpc.this.cidr_block, 8, 10 + count.index)

  tags = merge(local.tags, { Name = "${var.name}-private-${local.azs[count.index]}" })
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.this.id

  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.this.id
  }

  tags = local.tags
}

resource "aws_route_table_association" "public" {
  count = 2

  subnet_id      = aws_subnet.public[count.index].id
  route_table_id = aws_route_table.public.id
}

resource "aws_security_group" "load_balancer" {
  # checkov:skip=CKV2_AWS_5:Attached through the service's option settings
  # checkov:skip=CKV_AWS_260:Port 80 only redirects to HTTPS
  name_prefix = "${var.name}-lb-"
  description = "Load balancer of ${var.name}: HTTP and HTTPS in, HTTP to the VPC out"
  vpc_id      = aws_vpc.this.id

  ingress {
    description = "Clients, HTTP (redirected to HTTPS when a certificate is set)"
    protocol    = "tcp"
    from_port   = 80
    to_port     = 80
    cidr_blocks = ["0.0.0.0/0"]
  }

  ingress {
    description = "Clients, HTTPS"
    protocol    = "tcp"
    from_port   = 443
    to_port     = 443
    cidr_blocks = ["0.0.0.0/0"]
  }

  egress {
    description = "Instances"
    protocol    = "tcp"
    from_port   = 80
    to_port     = 80
    cidr_blocks = [aws_vpc.this.cidr_block]
  }

  tags = local.tags
}

resource "aws_security_group" "service" {
  # checkov:skip=CKV2_AWS_5:Attached through the service's option settings
  name_prefix = "${var.name}-service-"
  description = "Instances of ${var.name}: HTTP from the load balancer, HTTPS out"
  vpc_id      = aws_vpc.this.id

  ingress {
    description     = "Load balancer"
    protocol        = "tcp"
    from_port       = 80
    to_port         = 80
    security_groups = [aws_security_group.load_balancer.id]
  }

  egress {
    description = "AWS APIs"
    protocol    = "tcp"
    from_port   = 443
    to_port     = 443
    cidr_blocks = ["0.0.0.0/0"]
  }

  tags = local.tags
}

################################################################################
# What the service uses
################################################################################

# The blueprint's own bucket module: encrypted, versioned, private and TLS-only.
module "data_bucket" {
  source = "../../../s3_bucket"

  bucket_name          = "${var.name}-data"
  enable_force_destroy = true
  tags                 = local.tags
}

module "artifacts_bucket" {
  source = "../../../s3_bucket"
  count  = local.deploy ? 1 : 0

  bucket_name          = "${var.name}-artifacts"
  enable_force_destroy = true
  tags                 = local.tags
}

# aws_s3_bucket_object rather than aws_s3_object so that the example also runs on provider 3.x,
# which predates the newer name.
resource "aws_s3_bucket_object" "bundle" {
  # checkov:skip=CKV_AWS_186:The example's bucket uses SSE-S3; a CMK is the caller's choice
  count = local.deploy ? 1 : 0

  bucket = module.artifacts_bucket[0].bucket_name
  key    = "${var.name}/${filesha256(var.source_bundle_path)}.zip"
  source = var.source_bundle_path
  etag   = filemd5(var.source_bundle_path)
  tags   = local.tags
}

resource "aws_kinesis_stream" "events" {
  name            = "${var.name}-events"
  shard_count     = 1
  encryption_type = "KMS"
  kms_key_id      = "alias/aws/kinesis"
  tags            = local.tags
}

# The secret's value is set outside Terraform; the service only learns the secret's ARN.
resource "aws_secretsmanager_secret" "database" {
  # checkov:skip=CKV2_AWS_57:A stand-in secret for the example
  # checkov:skip=CKV_AWS_149:A stand-in secret for the example
  name                    = "${var.name}-database"
  recovery_window_in_days = 0
  tags                    = local.tags
}

################################################################################
# The service
################################################################################

module "service" {
  source = "../.."

  name        = var.name
  description = "Example order service."

  vpc_id             = aws_vpc.this.id
  private_subnet_ids = aws_subnet.private[*].id
  public_subnet_ids  = aws_subnet.public[*].id
  min_instances      = 1
  max_instances      = var.max_instances
  certificate_arn    = var.certificate_arn

  instance_security_group_ids      = [aws_security_group.service.id]
  load_balancer_security_group_ids = [aws_security_group.load_balancer.id]

  artifacts_bucket = try(module.artifacts_bucket[0].bucket_name, null)
  artifact_key     = try(aws_s3_bucket_object.bundle[0].key, null)
  version_label    = local.deploy ? filesha256(var.source_bundle_path) : null

  kinesis_stream_arn  = aws_kinesis_stream.events.arn
  s3_bucket_arn       = module.data_bucket.bucket_arn
  s3_prefix           = "orders/"
  database_endpoint   = "orders-db.internal.example:5432"
  database_secret_arn = aws_secretsmanager_secret.database.arn

  environment_variables = {
    LOG_LEVEL = "info"
  }

  tags = local.tags
}
