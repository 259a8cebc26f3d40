# Providers this module uses. The root passes the region's own kubernetes, helm and kubectl configurations
# (providers = { ... } in environments/production/main.tf); linode and random are the root's defaults.
terraform {
  required_version = ">= 1.6"

  required_providers {
    linode = {
      source  = "linode/linode"
      version = "~> 3.13"
    }
    kubernetes = {
      source  = "hashicorp/kubernetes"
      version = "~> 3.0"
    }
    helm = {
      source  = "hashicorp/helm"
      version = "~> 3.0"
    }
    # alekc/kubectl: kubectl_manifest does not look the kind up when planning, so the operator CRs
    # (KnativeServing, KnativeEventing, ClusterIssuer, ClusterDomainClaim) plan before their CRDs exist
    # (the kubernetes_manifest pitfall: hashicorp/terraform-provider-kubernetes#1367, #1775, #2597).
    kubectl = {
      source  = "alekc/kubectl"
      version = "~> 2.1"
    }
    random = {
      source  = "hashicorp/random"
      version = "~> 3.7"
    }
  }
}
