output "vpc_id" {
  description = "ID of the VPC."
  value       = aws_vpc.this.id
}

output "vpc_cidr_block" {
  description = "IPv4 range of the VPC."
  value       = aws_vpc.this.cidr_block
}

output "availability_zones" {
  description = "Zones the subnets are spread over, in the order of the subnet lists."
  value       = local.azs
}

output "public_subnet_ids" {
  description = "Public subnets (load balancers, NAT gateway), one per zone in zone order."
  value       = [for az in local.azs : aws_subnet.public[az].id]
}

output "private_subnet_ids" {
  description = "Private subnets (services, database), one per zone in zone order."
  value       = [for az in local.azs : aws_subnet.private[az].id]
}

output "public_route_table_id" {
  description = "Route table of the public subnets (default route to the internet gateway)."
  value       = aws_route_table.public.id
}

output "private_route_table_id" {
  description = "Route table of the private subnets, e.g. for VPC gateway endpoints."
  value       = aws_route_table.private.id
}

output "internet_gateway_id" {
  description = "ID of the internet gateway."
  value       = aws_internet_gateway.this.id
}

output "nat_gateway_id" {
  description = "ID of the NAT gateway; null when create_nat_gateway is false."
  value       = try(aws_nat_gateway.this[0].id, null)
}

output "nat_public_ip" {
  description = "Public address private subnets reach the internet from; null without NAT."
  value       = try(aws_eip.nat[0].public_ip, null)
}

output "load_balancer_security_group_id" {
  description = "Group for the load balancer: 80 and 443 in from the allowed ranges."
  value       = aws_security_group.load_balancer.id
}

output "service_security_group_id" {
  description = <<-EOT
    Group for the service instances: service_port in from the load balancer only. Pass it to the
    database module as an allowed source.
  EOT
  value       = aws_security_group.service.id
}

output "flow_log_id" {
  description = "ID of the VPC flow log; null when enable_flow_logs is false."
  value       = try(aws_flow_log.this[0].id, null)
}

output "flow_log_group_name" {
  description = "CloudWatch log group of the flow logs; null when enable_flow_logs is false."
  value       = try(aws_cloudwatch_log_group.flow_logs[0].name, null)
}
