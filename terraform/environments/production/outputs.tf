# ---- what the gateway (Zuplo) needs: environment variables EDGE_URLS, EDGE_KEYS, SYNC_KEYS ------------------------
# terraform output -raw EDGE_URLS (and -raw EDGE_KEYS, -raw SYNC_KEYS: sensitive, printed only when asked by name).

output "EDGE_URLS" {
  description = "JSON object region -> HTTPS URL of that region's edge (https://edge.<region>.<domain>): the gateway's EDGE_URLS."
  value       = jsonencode({ for name, region in local.regions : name => region.edge_url })
}

output "EDGE_KEYS" {
  description = "JSON object region -> that region's edge key, sent by the gateway as header x-edge-key: the gateway's EDGE_KEYS (secret)."
  value       = jsonencode({ for name, region in local.regions : name => region.edge_key })
  sensitive   = true
}

output "SYNC_KEYS" {
  description = "JSON object region -> that region's sync key, which its sync-relay sends as Authorization: Bearer to the gateway's /v1/regions/<peer>/sync: the gateway's SYNC_KEYS (secret)."
  value       = jsonencode({ for name, region in local.regions : name => region.sync_key })
  sensitive   = true
}

output "gtm_hostname" {
  description = "Akamai GTM host name over the three edges (edge.<gtm domain>); edge.<domain> is a CNAME to it."
  value       = module.global.gtm_hostname
}

# ---- what CI and operators need ---------------------------------------------------------------------------------

output "clusters" {
  description = "LKE cluster per region: id and label."
  value       = { for name, region in local.regions : name => { id = region.cluster_id, label = region.cluster_label } }
}

output "kubeconfigs" {
  description = "Kubeconfig (YAML, admin token) per region: terraform output -json kubeconfigs | jq -r '.\"us-east\"' > us-east.kubeconfig."
  value       = { for name, region in local.regions : name => region.kubeconfig }
  sensitive   = true
}

output "namespaces" {
  description = "Namespace of each region's Knative resources."
  value       = { for name, region in local.regions : name => region.namespace }
}

output "edge_ipv4" {
  description = "Public IPv4 of each region's edge NodeBalancer."
  value       = { for name, region in local.regions : name => region.edge_ipv4 }
}

output "dns_records" {
  description = "The edges' DNS records."
  value       = module.global.edge_records
}

output "backup_buckets" {
  description = "Object Storage bucket (name, region, endpoint) of each region's Redis backups."
  value       = { for name, region in local.regions : name => region.backup_bucket }
}
