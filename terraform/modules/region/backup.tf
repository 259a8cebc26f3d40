# Redis backups to Linode Object Storage: a bucket per region, a key scoped to that bucket only, and a CronJob that
# takes a consistent RDB snapshot from the running Redis (redis-cli --rdb: the server's own snapshot, streamed over
# the replication protocol, so the job never mounts the ReadWriteOnce data volume and never copies an AOF half-way
# through a rewrite) and uploads it with the S3 API. The AOF itself stays on the retained Block Storage volume
# (redis.tf); the RDB in the bucket is the off-volume copy to restore from (docs/deploy.md, "Restore Redis").
#
# Where: the bucket's region is var.object_storage_region. us-east -> us-east (us-east-1.linodeobjects.com),
# ap-south -> ap-south (ap-south-1.linodeobjects.com), eu-west (London) has no Object Storage endpoint, so its
# backups go to gb-lon (gb-lon-1.linodeobjects.com, London 2) — the same city, another data center.

# Bucket names are global per Object Storage region: a random suffix keeps ours unique.
resource "random_id" "backup_bucket" {
  byte_length = 4
}

# Versioning and lifecycle rules need Object Storage keys: the root's linode provider sets obj_use_temp_keys.
# Buckets take no tags; the label names environment and region.
resource "linode_object_storage_bucket" "backups" {
  label  = "${local.name}-redis-${random_id.backup_bucket.hex}"
  region = var.object_storage_region
  acl    = "private"

  lifecycle_rule {
    id      = "expire-redis-backups"
    enabled = true

    expiration {
      days = var.backup_retention_days
    }
  }
}

# Read-write on this one bucket, nothing else.
resource "linode_object_storage_key" "backups" {
  label = "${local.name}-redis-backup"

  bucket_access {
    bucket_name = linode_object_storage_bucket.backups.label
    region      = var.object_storage_region
    permissions = "read_write"
  }
}

locals {
  # S3 endpoint per Object Storage region: <region>-1.linodeobjects.com, except sg-sin-2, served by sg-sin-1.
  # (The key also reports it, regions_details[*].s3_endpoint; a fixed map keeps plan output readable.)
  backup_endpoints = {
    "us-east"  = "https://us-east-1.linodeobjects.com"
    "us-iad"   = "https://us-iad-1.linodeobjects.com"
    "us-ord"   = "https://us-ord-1.linodeobjects.com"
    "gb-lon"   = "https://gb-lon-1.linodeobjects.com"
    "ap-south" = "https://ap-south-1.linodeobjects.com"
    "sg-sin-2" = "https://sg-sin-1.linodeobjects.com"
  }
  backup_endpoint = local.backup_endpoints[var.object_storage_region]
}

resource "kubernetes_secret_v1" "backup_s3" {
  metadata {
    name      = "redis-backup-s3"
    namespace = kubernetes_namespace_v1.redis.metadata[0].name
    labels    = local.labels
  }

  data = {
    AWS_ACCESS_KEY_ID     = linode_object_storage_key.backups.access_key
    AWS_SECRET_ACCESS_KEY = linode_object_storage_key.backups.secret_key
    AWS_DEFAULT_REGION    = var.object_storage_region # any value: the endpoint decides
    S3_ENDPOINT           = local.backup_endpoint
    S3_BUCKET             = linode_object_storage_bucket.backups.label
  }
}

resource "kubernetes_cron_job_v1" "redis_backup" {
  metadata {
    name      = "redis-backup"
    namespace = kubernetes_namespace_v1.redis.metadata[0].name
    labels    = local.labels
  }

  spec {
    schedule                      = var.backup_schedule
    concurrency_policy            = "Forbid"
    successful_jobs_history_limit = 3
    failed_jobs_history_limit     = 3

    job_template {
      metadata {
        labels = local.labels
      }

      spec {
        backoff_limit = 2

        template {
          metadata {
            labels = merge(local.labels, { "app.kubernetes.io/name" = "redis-backup" })
          }

          spec {
            restart_policy = "OnFailure"

            # 1. the snapshot: Redis writes a fresh RDB and streams it here
            init_container {
              name    = "snapshot"
              image   = var.redis_image
              command = ["sh", "-c", "redis-cli -h ${local.redis_host} -p 6379 --user default --pass \"$REDIS_PASSWORD\" --no-auth-warning --rdb /backup/dump.rdb"]

              env {
                name = "REDIS_PASSWORD"
                value_from {
                  secret_key_ref {
                    name = kubernetes_secret_v1.redis_auth.metadata[0].name
                    key  = "password"
                  }
                }
              }

              volume_mount {
                name       = "backup"
                mount_path = "/backup"
              }
            }

            # 2. the upload: s3://<bucket>/<region>/dump-<UTC time>.rdb
            container {
              name    = "upload"
              image   = var.backup_image
              command = ["sh", "-c", "aws s3 cp /backup/dump.rdb \"s3://$S3_BUCKET/${var.region}/dump-$(date -u +%Y%m%dT%H%M%SZ).rdb\" --endpoint-url \"$S3_ENDPOINT\""]

              env_from {
                secret_ref {
                  name = kubernetes_secret_v1.backup_s3.metadata[0].name
                }
              }

              volume_mount {
                name       = "backup"
                mount_path = "/backup"
              }
            }

            volume {
              name = "backup"
              empty_dir {
                size_limit = var.redis_volume_size
              }
            }
          }
        }
      }
    }
  }
}
