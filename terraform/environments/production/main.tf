# Three regions through the one region module, then what is global (DNS, GTM) over their edges.
# A module block per region, not for_each: each needs its own kubernetes/helm/kubectl provider configuration,
# and Terraform cannot for_each provider blocks.

module "us_east" {
  source = "../../modules/region"

  providers = {
    linode     = linode
    random     = random
    kubernetes = kubernetes.us_east
    helm       = helm.us_east
    kubectl    = kubectl.us_east
  }

  environment           = var.environment
  region                = "us-east"
  domain                = var.domain
  linode_region         = var.regions["us-east"].linode_region
  object_storage_region = var.regions["us-east"].object_storage_region

  k8s_version       = var.k8s_version
  ha_control_plane  = var.ha_control_plane
  api_allowed_cidrs = var.api_allowed_cidrs
  node_type         = var.node_type
  node_min          = var.node_min
  node_max          = var.node_max

  knative_operator_chart_version = var.knative_operator_chart_version
  knative_version                = var.knative_version
  kafka_broker_version           = var.kafka_broker_version
  strimzi_chart_version          = var.strimzi_chart_version
  cert_manager_chart_version     = var.cert_manager_chart_version
  letsencrypt_email              = var.letsencrypt_email
  acme_server                    = var.acme_server

  redis_image           = var.redis_image
  redis_volume_size     = var.redis_volume_size
  backup_image          = var.backup_image
  backup_schedule       = var.backup_schedule
  backup_retention_days = var.backup_retention_days

  trafficpeak_url   = var.trafficpeak_url
  trafficpeak_token = var.trafficpeak_token
}

module "eu_west" {
  source = "../../modules/region"

  providers = {
    linode     = linode
    random     = random
    kubernetes = kubernetes.eu_west
    helm       = helm.eu_west
    kubectl    = kubectl.eu_west
  }

  environment           = var.environment
  region                = "eu-west"
  domain                = var.domain
  linode_region         = var.regions["eu-west"].linode_region
  object_storage_region = var.regions["eu-west"].object_storage_region

  k8s_version       = var.k8s_version
  ha_control_plane  = var.ha_control_plane
  api_allowed_cidrs = var.api_allowed_cidrs
  node_type         = var.node_type
  node_min          = var.node_min
  node_max          = var.node_max

  knative_operator_chart_version = var.knative_operator_chart_version
  knative_version                = var.knative_version
  kafka_broker_version           = var.kafka_broker_version
  strimzi_chart_version          = var.strimzi_chart_version
  cert_manager_chart_version     = var.cert_manager_chart_version
  letsencrypt_email              = var.letsencrypt_email
  acme_server                    = var.acme_server

  redis_image           = var.redis_image
  redis_volume_size     = var.redis_volume_size
  backup_image          = var.backup_image
  backup_schedule       = var.backup_schedule
  backup_retention_days = var.backup_retention_days

  trafficpeak_url   = var.trafficpeak_url
  trafficpeak_token = var.trafficpeak_token
}

module "ap_south" {
  source = "../../modules/region"

  providers = {
    linode     = linode
    random     = random
    kubernetes = kubernetes.ap_south
    helm       = helm.ap_south
    kubectl    = kubectl.ap_south
  }

  environment           = var.environment
  region                = "ap-south"
  domain                = var.domain
  linode_region         = var.regions["ap-south"].linode_region
  object_storage_region = var.regions["ap-south"].object_storage_region

  k8s_version       = var.k8s_version
  ha_control_plane  = var.ha_control_plane
  api_allowed_cidrs = var.api_allowed_cidrs
  node_type         = var.node_type
  node_min          = var.node_min
  node_max          = var.node_max

  knative_operator_chart_version = var.knative_operator_chart_version
  knative_version                = var.knative_version
  kafka_broker_version           = var.kafka_broker_version
  strimzi_chart_version          = var.strimzi_chart_version
  cert_manager_chart_version     = var.cert_manager_chart_version
  letsencrypt_email              = var.letsencrypt_email
  acme_server                    = var.acme_server

  redis_image           = var.redis_image
  redis_volume_size     = var.redis_volume_size
  backup_image          = var.backup_image
  backup_schedule       = var.backup_schedule
  backup_retention_days = var.backup_retention_days

  trafficpeak_url   = var.trafficpeak_url
  trafficpeak_token = var.trafficpeak_token
}

locals {
  regions = {
    "us-east"  = module.us_east
    "eu-west"  = module.eu_west
    "ap-south" = module.ap_south
  }
}

module "global" {
  source = "../../modules/global"

  providers = {
    linode = linode
    akamai = akamai
  }

  environment = var.environment
  domain      = var.domain
  soa_email   = var.soa_email
  edges       = { for name, region in local.regions : name => { ipv4 = region.edge_ipv4, host = region.edge_host } }

  gtm_domain          = var.gtm_domain
  gtm_domain_type     = var.gtm_domain_type
  gtm_property_type   = var.gtm_property_type
  akamai_contract_id  = var.akamai_contract_id
  akamai_group_id     = var.akamai_group_id
  notification_emails = var.notification_emails
}
