# Akamai GTM: a domain, one datacenter per region, and a property "edge" over the three edges.
#
# Every liveness test of a property runs against every traffic target, so the one test below probes each region's
# edge: GET /healthz over HTTPS on 443, the path the edge answers without credential. Each traffic target hands out
# the region's own name (handout_cname edge.<region>.<domain>: the name its DomainMapping and certificate serve)
# and lists the NodeBalancer address as its server. UNVERIFIED: which Host header and SNI GTM sends to a server
# of a CNAME target; if it is not the handout CNAME, Kourier answers 404 and the region counts as down — then
# route an extra DomainMapping for that name in each region. The gateway itself does not depend on GTM: it calls
# the regions' URLs (output EDGE_URLS) with its own failover.

locals {
  gtm_hostname = "edge.${var.gtm_domain}"

  # Where each region runs (Linode data centers: Newark, London, Singapore), for GTM's performance maps.
  datacenters = {
    "us-east"  = { city = "Newark", country = "US", continent = "NA", latitude = 40.7357, longitude = -74.1724 }
    "eu-west"  = { city = "London", country = "GB", continent = "EU", latitude = 51.5074, longitude = -0.1278 }
    "ap-south" = { city = "Singapore", country = "SG", continent = "AS", latitude = 1.3521, longitude = 103.8198 }
  }

  datacenter_ids = {
    "us-east"  = akamai_gtm_datacenter.us_east.datacenter_id
    "eu-west"  = akamai_gtm_datacenter.eu_west.datacenter_id
    "ap-south" = akamai_gtm_datacenter.ap_south.datacenter_id
  }
}

resource "akamai_gtm_domain" "this" {
  name                    = var.gtm_domain
  type                    = var.gtm_domain_type
  contract                = var.akamai_contract_id
  group                   = var.akamai_group_id
  email_notification_list = var.notification_emails
  comment                 = "globalevents ${var.environment}: the edges of us-east, eu-west, ap-south"
  wait_on_complete        = true
}

# Datacenter IDs are allocated one after the other: create them in sequence (as the provider's example does).
resource "akamai_gtm_datacenter" "us_east" {
  domain    = akamai_gtm_domain.this.name
  nickname  = "${var.environment}-us-east"
  city      = local.datacenters["us-east"].city
  country   = local.datacenters["us-east"].country
  continent = local.datacenters["us-east"].continent
  latitude  = local.datacenters["us-east"].latitude
  longitude = local.datacenters["us-east"].longitude
}

resource "akamai_gtm_datacenter" "eu_west" {
  domain    = akamai_gtm_domain.this.name
  nickname  = "${var.environment}-eu-west"
  city      = local.datacenters["eu-west"].city
  country   = local.datacenters["eu-west"].country
  continent = local.datacenters["eu-west"].continent
  latitude  = local.datacenters["eu-west"].latitude
  longitude = local.datacenters["eu-west"].longitude

  depends_on = [akamai_gtm_datacenter.us_east]
}

resource "akamai_gtm_datacenter" "ap_south" {
  domain    = akamai_gtm_domain.this.name
  nickname  = "${var.environment}-ap-south"
  city      = local.datacenters["ap-south"].city
  country   = local.datacenters["ap-south"].country
  continent = local.datacenters["ap-south"].continent
  latitude  = local.datacenters["ap-south"].latitude
  longitude = local.datacenters["ap-south"].longitude

  depends_on = [akamai_gtm_datacenter.eu_west]
}

resource "akamai_gtm_property" "edge" {
  domain                 = akamai_gtm_domain.this.name
  name                   = "edge"
  type                   = var.gtm_property_type
  score_aggregation_type = "median"
  handout_limit          = 1
  handout_mode           = "normal"
  dynamic_ttl            = 60
  failover_delay         = 0
  failback_delay         = 0
  ipv6                   = false

  dynamic "traffic_target" {
    for_each = var.edges

    content {
      datacenter_id = local.datacenter_ids[traffic_target.key]
      enabled       = true
      weight        = 1
      servers       = [traffic_target.value.ipv4]
      handout_cname = traffic_target.value.host
    }
  }

  liveness_test {
    name                 = "edge-healthz"
    test_object_protocol = "HTTPS"
    test_object_port     = 443
    test_object          = "/healthz"
    test_interval        = 30
    test_timeout         = 10
    http_error3xx        = true
    http_error4xx        = true
    http_error5xx        = true
    # The certificate names edge.<region>.<domain>; see the note above on the name GTM presents.
    peer_certificate_verification = false
  }

  depends_on = [akamai_gtm_datacenter.us_east, akamai_gtm_datacenter.eu_west, akamai_gtm_datacenter.ap_south]
}
