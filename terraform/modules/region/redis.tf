# The region's Redis: one instance (StatefulSet) in namespace redis, password from random_password, persistence
# with AOF (appendfsync everysec) plus RDB snapshots on a Linode Block Storage volume of the class
# linode-block-storage-retain (the volume outlives its claim). Backups to Object Storage: backup.tf.

locals {
  redis_host = "redis.redis.svc.cluster.local"
  # Redis 6+ ACL user "default" carries requirepass; the functions (Lettuce) read the user and the generated password
  # from the URL.
  redis_url = "redis://default:${random_password.redis.result}@${local.redis_host}:6379"

  redis_labels = merge(local.labels, { "app.kubernetes.io/name" = "redis" })

  redis_conf = <<-CONF
    dir /data
    appendonly yes
    appendfsync everysec
    appenddirname appendonlydir
    aof-use-rdb-preamble yes
    save 3600 1 300 100 60 10000
    maxmemory-policy noeviction
    # reachable from other pods (the NetworkPolicy below limits which); every client authenticates
    protected-mode no
  CONF
}

resource "random_password" "redis" {
  length  = 40
  special = false # goes into a URL
}

resource "kubernetes_namespace_v1" "redis" {
  metadata {
    name   = "redis"
    labels = local.labels
  }
}

resource "kubernetes_secret_v1" "redis_auth" {
  metadata {
    name      = "redis-auth"
    namespace = kubernetes_namespace_v1.redis.metadata[0].name
    labels    = local.redis_labels
  }

  data = {
    password = random_password.redis.result
  }
}

resource "kubernetes_config_map_v1" "redis" {
  metadata {
    name      = "redis-config"
    namespace = kubernetes_namespace_v1.redis.metadata[0].name
    labels    = local.redis_labels
  }

  data = {
    "redis.conf" = local.redis_conf
  }
}

resource "kubernetes_service_v1" "redis" {
  metadata {
    name      = "redis"
    namespace = kubernetes_namespace_v1.redis.metadata[0].name
    labels    = local.redis_labels
  }

  spec {
    selector = { "app.kubernetes.io/name" = "redis" }

    port {
      name        = "redis"
      port        = 6379
      target_port = 6379
    }
  }
}

resource "kubernetes_stateful_set_v1" "redis" {
  metadata {
    name      = "redis"
    namespace = kubernetes_namespace_v1.redis.metadata[0].name
    labels    = local.redis_labels
  }

  spec {
    service_name = kubernetes_service_v1.redis.metadata[0].name
    replicas     = 1

    selector {
      match_labels = { "app.kubernetes.io/name" = "redis" }
    }

    template {
      metadata {
        labels = local.redis_labels
        annotations = {
          # a changed redis.conf rolls the pod
          "globalevents.dev/config-sha" = sha256(local.redis_conf)
        }
      }

      spec {
        security_context {
          run_as_user  = 999
          run_as_group = 999
          fs_group     = 999
        }

        container {
          name  = "redis"
          image = var.redis_image
          args  = ["/etc/redis/redis.conf", "--requirepass", "$(REDIS_PASSWORD)"]

          env {
            name = "REDIS_PASSWORD"
            value_from {
              secret_key_ref {
                name = kubernetes_secret_v1.redis_auth.metadata[0].name
                key  = "password"
              }
            }
          }

          port {
            name           = "redis"
            container_port = 6379
          }

          resources {
            requests = { cpu = "250m", memory = "1Gi" }
            limits   = { cpu = "2", memory = "2Gi" }
          }

          readiness_probe {
            tcp_socket {
              port = 6379
            }
            period_seconds = 5
          }

          liveness_probe {
            tcp_socket {
              port = 6379
            }
            initial_delay_seconds = 30
            period_seconds        = 10
          }

          volume_mount {
            name       = "data"
            mount_path = "/data"
          }

          volume_mount {
            name       = "config"
            mount_path = "/etc/redis"
          }
        }

        volume {
          name = "config"
          config_map {
            name = kubernetes_config_map_v1.redis.metadata[0].name
          }
        }
      }
    }

    # The AOF (appendonlydir/) and dump.rdb live here: Linode Block Storage, kept when the claim is deleted.
    volume_claim_template {
      metadata {
        name   = "data"
        labels = local.redis_labels
      }

      spec {
        access_modes       = ["ReadWriteOnce"]
        storage_class_name = "linode-block-storage-retain"

        resources {
          requests = { storage = var.redis_volume_size }
        }
      }
    }
  }
}

# Only the region's functions (namespace globalevents-<region>) and the backup job (namespace redis) reach Redis.
resource "kubernetes_network_policy_v1" "redis" {
  metadata {
    name      = "redis-clients"
    namespace = kubernetes_namespace_v1.redis.metadata[0].name
    labels    = local.redis_labels
  }

  spec {
    pod_selector {
      match_labels = { "app.kubernetes.io/name" = "redis" }
    }

    policy_types = ["Ingress"]

    ingress {
      from {
        namespace_selector {
          match_labels = { "kubernetes.io/metadata.name" = local.namespace }
        }
      }

      from {
        pod_selector {
          match_labels = { "app.kubernetes.io/name" = "redis-backup" }
        }
      }

      ports {
        port     = "6379"
        protocol = "TCP"
      }
    }
  }
}
