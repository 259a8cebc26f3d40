output "zone_id" {
  description = "ID of the Linode DNS zone."
  value       = linode_domain.zone.id
}

output "edge_records" {
  description = "The edges' DNS names and the addresses they point at, by region."
  value       = { for region, record in linode_domain_record.edge : region => "${record.name}.${var.domain} A ${record.target}" }
}

output "gtm_hostname" {
  description = "The GTM property's host name (edge.<gtm domain>); edge.<domain> is a CNAME to it."
  value       = local.gtm_hostname
}
