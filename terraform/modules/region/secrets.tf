# The Secrets the region's Knative Services read, in namespace globalevents-<region> (the contract with the
# functions, the edge and knative/), and Vector's in namespace observability: generated with hashicorp/random or
# read from TF_VAR_*, never written in a .tf or .tfvars file.
# They are in the Terraform state, which is why the state bucket is private (docs/deploy.md).

# The edge checks header x-edge-key against EDGE_KEY (constant time). The gateway sends it (output EDGE_KEYS).
resource "random_password" "edge_key" {
  length  = 48
  special = false # header-safe
}

# sync-relay posts this region's summaries to the gateway with Authorization: Bearer SYNC_KEY (output SYNC_KEYS).
resource "random_password" "sync_key" {
  length  = 48
  special = false
}

resource "kubernetes_secret_v1" "edge_credentials" {
  metadata {
    name      = "edge-credentials"
    namespace = kubernetes_namespace_v1.app.metadata[0].name
    labels    = local.labels
  }

  data = {
    EDGE_KEY = random_password.edge_key.result
  }
}

resource "kubernetes_secret_v1" "sync_credentials" {
  metadata {
    name      = "sync-credentials"
    namespace = kubernetes_namespace_v1.app.metadata[0].name
    labels    = local.labels
  }

  data = {
    SYNC_KEY = random_password.sync_key.result
  }
}

# REDIS_URL of every function (knative/base: Secret redis, key url): the region's Redis (redis.tf).
resource "kubernetes_secret_v1" "redis" {
  metadata {
    name      = "redis"
    namespace = kubernetes_namespace_v1.app.metadata[0].name
    labels    = local.labels
  }

  data = {
    url = local.redis_url
  }
}

# export-metrics' TrafficPeak ingest (knative/base/export-metrics.yaml: Secret trafficpeak, keys url and token).
resource "kubernetes_secret_v1" "trafficpeak" {
  metadata {
    name      = "trafficpeak"
    namespace = kubernetes_namespace_v1.app.metadata[0].name
    labels    = local.labels
  }

  data = {
    url   = var.trafficpeak_url
    token = var.trafficpeak_token
  }
}

# Vector's TrafficPeak ingest of the container logs (knative/observability/vector.yaml: Secret trafficpeak-logs,
# keys url and token), in its own namespace: the same TrafficPeak and token as export-metrics, another table.
resource "kubernetes_secret_v1" "trafficpeak_logs" {
  metadata {
    name      = "trafficpeak-logs"
    namespace = kubernetes_namespace_v1.platform["observability"].metadata[0].name
    labels    = local.labels
  }

  data = {
    url   = var.trafficpeak_url
    token = var.trafficpeak_token
  }
}
