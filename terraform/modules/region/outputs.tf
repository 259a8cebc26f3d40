output "cluster_id" {
  description = "ID of the region's LKE cluster (linode-cli lke ..., CI)."
  value       = linode_lke_cluster.this.id
}

output "cluster_label" {
  description = "Label of the region's LKE cluster."
  value       = linode_lke_cluster.this.label
}

output "kubeconfig" {
  description = "Kubeconfig (YAML) of the region's cluster, with an admin token."
  value       = base64decode(linode_lke_cluster.this.kubeconfig)
  sensitive   = true
}

output "kube_host" {
  description = "API server URL of the cluster, for the root's kubernetes/helm/kubectl providers."
  # Read from the kubeconfig, which the provider marks sensitive as a whole; the URL itself is not a secret.
  value = nonsensitive(local.kubeconfig.clusters[0].cluster.server)
}

output "kube_ca_certificate" {
  description = "PEM CA certificate of the cluster's API server, for the root's providers."
  value       = base64decode(local.kubeconfig.clusters[0].cluster["certificate-authority-data"])
  sensitive   = true
}

output "kube_token" {
  description = "Bearer token of the kubeconfig's user, for the root's providers."
  value       = local.kubeconfig.users[0].user.token
  sensitive   = true
}

output "namespace" {
  description = "Namespace of the region's Knative resources (globalevents-<region>)."
  value       = kubernetes_namespace_v1.app.metadata[0].name
}

output "edge_host" {
  description = "Host name of the region's edge (edge.<region>.<domain>)."
  value       = local.edge_host
}

output "edge_url" {
  description = "HTTPS URL of the region's edge, what the gateway calls."
  value       = local.edge_url
}

output "edge_ipv4" {
  description = "Public IPv4 address of the edge NodeBalancer (DNS A record, GTM traffic target)."
  value       = linode_nodebalancer.edge.ipv4
}

output "edge_key" {
  description = "The edge's x-edge-key (Secret edge-credentials, key EDGE_KEY)."
  value       = random_password.edge_key.result
  sensitive   = true
}

output "sync_key" {
  description = "The region's sync key (Secret sync-credentials, key SYNC_KEY): sync-relay's bearer token at the gateway."
  value       = random_password.sync_key.result
  sensitive   = true
}

output "backup_bucket" {
  description = "Object Storage bucket of the Redis backups, with its region and S3 endpoint."
  value = {
    name     = linode_object_storage_bucket.backups.label
    region   = var.object_storage_region
    endpoint = local.backup_endpoint
  }
}
