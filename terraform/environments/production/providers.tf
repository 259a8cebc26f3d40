# Linode: token from LINODE_TOKEN. obj_use_temp_keys lets the provider make short-lived Object Storage keys for the
# bucket settings that need them (lifecycle rules, versioning).
provider "linode" {
  obj_use_temp_keys = true
}

# Akamai (GTM): credentials from the .edgerc file, section var.akamai_edgerc_section.
provider "akamai" {
  edgerc         = var.akamai_edgerc_path
  config_section = var.akamai_edgerc_section
}

provider "random" {}

# One kubernetes/helm/kubectl configuration per region, from that region's cluster (Terraform cannot for_each a
# provider block). They read module outputs, so on an empty account the clusters are created first with -target
# (docs/deploy.md, "Stages").

provider "kubernetes" {
  alias                  = "us_east"
  host                   = module.us_east.kube_host
  cluster_ca_certificate = module.us_east.kube_ca_certificate
  token                  = module.us_east.kube_token
}

provider "helm" {
  alias = "us_east"
  kubernetes = {
    host                   = module.us_east.kube_host
    cluster_ca_certificate = module.us_east.kube_ca_certificate
    token                  = module.us_east.kube_token
  }
}

provider "kubectl" {
  alias                  = "us_east"
  host                   = module.us_east.kube_host
  cluster_ca_certificate = module.us_east.kube_ca_certificate
  token                  = module.us_east.kube_token
  load_config_file       = false
}

provider "kubernetes" {
  alias                  = "eu_west"
  host                   = module.eu_west.kube_host
  cluster_ca_certificate = module.eu_west.kube_ca_certificate
  token                  = module.eu_west.kube_token
}

provider "helm" {
  alias = "eu_west"
  kubernetes = {
    host                   = module.eu_west.kube_host
    cluster_ca_certificate = module.eu_west.kube_ca_certificate
    token                  = module.eu_west.kube_token
  }
}

provider "kubectl" {
  alias                  = "eu_west"
  host                   = module.eu_west.kube_host
  cluster_ca_certificate = module.eu_west.kube_ca_certificate
  token                  = module.eu_west.kube_token
  load_config_file       = false
}

provider "kubernetes" {
  alias                  = "ap_south"
  host                   = module.ap_south.kube_host
  cluster_ca_certificate = module.ap_south.kube_ca_certificate
  token                  = module.ap_south.kube_token
}

provider "helm" {
  alias = "ap_south"
  kubernetes = {
    host                   = module.ap_south.kube_host
    cluster_ca_certificate = module.ap_south.kube_ca_certificate
    token                  = module.ap_south.kube_token
  }
}

provider "kubectl" {
  alias                  = "ap_south"
  host                   = module.ap_south.kube_host
  cluster_ca_certificate = module.ap_south.kube_ca_certificate
  token                  = module.ap_south.kube_token
  load_config_file       = false
}
