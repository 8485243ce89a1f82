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
}

module "network" {
  source = "../../modules/network"

  name               = local.name_prefix
  cidr_block         = var.network.cidr_block
  availability_zones = var.network.availability_zones
  create_nat_gateway = var.network.create_nat_gateway
  enable_flow_logs   = var.network.enable_flow_logs
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
  sizing                = each.value
  certificate_arn       = var.certificate_arn
  environment_variables = { ENVIRONMENT = var.environment }
  tags                  = { service = each.key }
}
