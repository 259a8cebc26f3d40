# One region of the system: its LKE cluster with a firewall, the edge's NodeBalancer (edge.tf), the platform the
# knative/ manifests need (platform.tf: Knative Serving + Eventing through the Knative Operator, the Kafka broker,
# Strimzi, cert-manager; tls.tf: the Let's Encrypt issuer), the claim of the edge's name (edge.tf), Redis with persistence
# (redis.tf) and backups to Object Storage (backup.tf), and the Secrets the Knative Services read (secrets.tf).
#
# Applied in two steps (docs/deploy.md, "Stages"): the kubernetes/helm/kubectl providers are configured from
# this module's cluster, so the first apply creates only the clusters (-target=module.<region>.linode_lke_cluster.this);
# the second applies everything. Custom resources go through kubectl_manifest (alekc/kubectl), which plans
# without their CRDs; the CRDs come with the Helm charts in the same apply.

locals {
  # Namespace of the region's Knative resources (knative/overlays/<region> puts everything there).
  namespace = "globalevents-${var.region}"

  # Linode tags (cluster, pool, firewalls, NodeBalancer) and Kubernetes labels on everything created here.
  linode_tags = ["env:${var.environment}", "region:${var.region}"]
  labels = {
    "globalevents.dev/environment" = var.environment
    "globalevents.dev/region"      = var.region
    "app.kubernetes.io/part-of"    = "globalevents"
    "app.kubernetes.io/managed-by" = "terraform"
  }

  # Short prefix for Linode labels (firewall labels are 3-32 characters).
  name = "ge-${var.environment}-${var.region}"

  # The region's one public entry: Knative Service "edge" through a DomainMapping with a Let's Encrypt certificate.
  edge_host = "edge.${var.region}.${var.domain}"
  edge_url  = "https://edge.${var.region}.${var.domain}"

  # The cluster's kubeconfig (base64 YAML from LKE), read for the root's provider configurations.
  kubeconfig = yamldecode(base64decode(linode_lke_cluster.this.kubeconfig))
}

resource "kubernetes_namespace_v1" "app" {
  metadata {
    name   = local.namespace
    labels = local.labels
  }
}
