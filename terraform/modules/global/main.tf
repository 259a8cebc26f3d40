# What is global: the DNS zone with one A record per region's edge (edge.<region>.<domain> -> the edge NodeBalancer),
# and Akamai GTM over the three edges (gtm.tf). Inputs come from the three region modules (root main.tf).

locals {
  linode_tags = ["env:${var.environment}", "region:global"]
}
