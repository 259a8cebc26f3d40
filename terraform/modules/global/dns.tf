# Linode DNS: the zone (delegate it to ns1-ns5.linode.com at the registrar) and the edges' names. The edge
# certificates (HTTP-01) need these A records before Let's Encrypt can reach Kourier.

resource "linode_domain" "zone" {
  domain    = var.domain
  type      = "master"
  soa_email = var.soa_email
  tags      = local.linode_tags
}

# edge.<region>.<domain> A <the region's edge NodeBalancer>
resource "linode_domain_record" "edge" {
  for_each = var.edges

  domain_id   = linode_domain.zone.id
  name        = "edge.${each.key}"
  record_type = "A"
  target      = each.value.ipv4
  ttl_sec     = 300
}

# edge.<domain> CNAME the GTM property: one name answered with the nearest healthy edge.
resource "linode_domain_record" "edge_gtm" {
  domain_id   = linode_domain.zone.id
  name        = "edge"
  record_type = "CNAME"
  target      = local.gtm_hostname
  ttl_sec     = 300
}
