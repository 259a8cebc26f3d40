# The edge: the one public entry of the region. Terraform owns the NodeBalancer, so its address is known after the
# first apply (DNS and GTM in modules/global point at it) and survives a reinstall of Kourier. Kourier's
# LoadBalancer Service adopts it through the Linode CCM annotation linode-loadbalancer-nodebalancer-id (set in the
# KnativeServing CR, platform.tf); the CCM adds the NodeBalancer's configs and back-end nodes itself.

resource "linode_nodebalancer" "edge" {
  label  = "${local.name}-edge"
  region = var.linode_region
  tags   = local.linode_tags
}

# The DomainMapping https://edge.<region>.<domain> -> Knative Service "edge" is part of the region's manifests
# (knative/overlays/<region>/edge.yaml, applied with kubectl). Terraform claims the name for the region's namespace:
# Knative accepts a DomainMapping only for a name claimed by its namespace (autocreate-cluster-domain-claims stays
# off, so no other namespace can take it). With external-domain-tls on, Knative then asks cert-manager for the
# name's certificate through the ClusterIssuer of tls.tf (HTTP-01 through Kourier; the DNS A record comes from
# modules/global).
resource "kubectl_manifest" "edge_domain_claim" {
  yaml_body = yamlencode({
    apiVersion = "networking.internal.knative.dev/v1alpha1"
    kind       = "ClusterDomainClaim"
    metadata = {
      name   = local.edge_host
      labels = local.labels
    }
    spec = {
      namespace = kubernetes_namespace_v1.app.metadata[0].name
    }
  })

  depends_on = [kubectl_manifest.knative_serving]
}
