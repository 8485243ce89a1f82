variable "name" {
  description = "Name of the network; prefixes the Name tag and the names of everything created."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,22}[a-z0-9]$", var.name))
    error_message = "The name must be 2-24 characters of a-z, 0-9 and '-', starting with a letter."
  }
}

variable "cidr_block" {
  description = "IPv4 range of the VPC, a network address with a prefix from /16 to /24."
  type        = string
  default     = "10.0.0.0/16"

  validation {
    condition = (
      can(cidrnetmask(var.cidr_block))
      && try(cidrsubnet(var.cidr_block, 0, 0) == var.cidr_block, false)
      && try(tonumber(split("/", var.cidr_block)[1]) >= 16, false)
      && try(tonumber(split("/", var.cidr_block)[1]) <= 24, false)
    )
    error_message = "The cidr_block must be an IPv4 network address, /16 to /24 (10.0.0.0/16)."
  }
}

variable "availability_zones" {
  description = <<-EOT
    Availability zone names to spread the subnets over, at least two (e.g. ["eu-west-1a",
    "eu-west-1b"]). Empty: the first az_count zones the region offers without opt-in.
  EOT
  type        = list(string)
  default     = []

  validation {
    condition = (
      (length(var.availability_zones) == 0 || length(var.availability_zones) >= 2)
      && length(distinct(var.availability_zones)) == length(var.availability_zones)
      && alltrue([
        for az in var.availability_zones : can(regex("^[a-z]{2}(-[a-z]+)+-[0-9][a-z]$", az))
      ])
    )
    error_message = "Give at least two distinct zone names such as us-east-1a, or none at all."
  }
}

variable "az_count" {
  description = "How many zones to use when availability_zones is empty."
  type        = number
  default     = 2

  validation {
    condition     = var.az_count >= 2 && var.az_count <= 6 && floor(var.az_count) == var.az_count
    error_message = "The az_count must be a whole number from 2 to 6."
  }
}

variable "subnet_newbits" {
  description = <<-EOT
    Bits added to the VPC prefix for every subnet (/16 + 4 = /20). Public subnets take the first
    half of the resulting blocks and private subnets the second half, so adding a zone later never
    renumbers an existing subnet.
  EOT
  type        = number
  default     = 4

  validation {
    condition     = var.subnet_newbits >= 2 && var.subnet_newbits <= 12
    error_message = "The subnet_newbits must be from 2 to 12."
  }
}

variable "create_nat_gateway" {
  description = <<-EOT
    Create one NAT gateway (in the first public subnet) so private subnets reach the internet.
    One gateway keeps the cost down; a zone outage then cuts outbound traffic from every zone.
  EOT
  type        = bool
  default     = false
}

variable "load_balancer_ingress_cidr_blocks" {
  description = "IPv4 ranges admitted to the load balancer on ports 80 and 443."
  type        = list(string)
  default     = ["0.0.0.0/0"]

  validation {
    condition     = alltrue([for c in var.load_balancer_ingress_cidr_blocks : can(cidrnetmask(c))])
    error_message = "Every entry of load_balancer_ingress_cidr_blocks must be an IPv4 CIDR."
  }
}

variable "service_port" {
  description = "Port the service instances listen on; only the load balancer may reach it."
  type        = number
  default     = 80

  validation {
    condition     = var.service_port >= 1 && var.service_port <= 65535
    error_message = "The service_port must be from 1 to 65535."
  }
}

variable "database_port" {
  description = "Port the service instances may open to addresses inside the VPC (the database)."
  type        = number
  default     = 5432

  validation {
    condition     = var.database_port >= 1 && var.database_port <= 65535
    error_message = "The database_port must be from 1 to 65535."
  }
}

variable "enable_flow_logs" {
  description = "Send VPC flow logs to a CloudWatch log group created here."
  type        = bool
  default     = false
}

variable "flow_log_traffic_type" {
  description = "Which traffic the flow logs record: ACCEPT, REJECT or ALL."
  type        = string
  default     = "ALL"

  validation {
    condition     = contains(["ACCEPT", "REJECT", "ALL"], var.flow_log_traffic_type)
    error_message = "The flow_log_traffic_type must be ACCEPT, REJECT or ALL."
  }
}

variable "flow_log_retention_days" {
  description = "Days CloudWatch keeps the flow logs; one of the values CloudWatch Logs accepts."
  type        = number
  default     = 90

  validation {
    condition = contains(
      [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922,
      3288, 3653],
      var.flow_log_retention_days,
    )
    error_message = <<-EOT
      The flow_log_retention_days must be 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545,
      731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653.
    EOT
  }
}

variable "flow_log_kms_key_arn" {
  description = <<-EOT
    ARN of a KMS key to encrypt the flow log group with; null keeps CloudWatch's own encryption.
    The key policy must let the logs service of this region use it.
  EOT
  type        = string
  default     = null

  validation {
    condition = (
      var.flow_log_kms_key_arn == null
      || can(regex("^arn:", var.flow_log_kms_key_arn))
    )
    error_message = "The flow_log_kms_key_arn must be a KMS key ARN (arn:...) or null."
  }
}

variable "tags" {
  description = "Tags for every resource, merged under the Name tag set by the module."
  type        = map(string)
  default     = {}
}
