# One microservice: its event stream, its Elastic Beanstalk environment, its prefix in the files
# bucket and access to the environment's database. The database is shared per environment, one
# instance with a schema per service, which keeps a small platform affordable.
locals {
  tags         = merge({ service = var.name }, var.tags)
  files_prefix = "${var.name}/"
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
  tags                             = local.tags
}
