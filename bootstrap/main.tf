# The remote state of one account's environments, made once by `blueprint bootstrap ENV`.
module "state_backend" {
  source = "../modules/state_backend"

  bucket_name     = var.bucket_name
  lock_table_name = var.lock_table_name
}
