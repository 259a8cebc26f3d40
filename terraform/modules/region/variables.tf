# ---- identity ---------------------------------------------------------------------------------------------------

variable "environment" {
  description = "Environment name, in every tag (env:<environment>) and label (globalevents.dev/environment)."
  type        = string

  validation {
    condition     = contains(["production", "staging"], var.environment)
    error_message = "environment must be production or staging."
  }
}

variable "region" {
  description = "The system's region name (functions/events' regions): names the namespace globalevents-<region>, the edge host edge.<region>.<domain> and every tag region:<region>."
  type        = string

  validation {
    condition     = contains(["us-east", "eu-west", "ap-south"], var.region)
    error_message = "region must be one of us-east, eu-west, ap-south."
  }
}

variable "domain" {
  description = "The public DNS zone; this region's edge is https://edge.<region>.<domain>."
  type        = string

  validation {
    condition     = can(regex("^([a-z0-9]([a-z0-9-]*[a-z0-9])?\\.)+[a-z]{2,}$", var.domain))
    error_message = "domain must be a lower-case DNS name such as globalevents.example."
  }
}

# ---- Linode placement -------------------------------------------------------------------------------------------

variable "linode_region" {
  description = "Linode region ID of the LKE cluster and the edge NodeBalancer (us-east = Newark, eu-west = London, ap-south = Singapore; newer core IDs: us-iad, gb-lon, sg-sin-2)."
  type        = string

  validation {
    condition     = contains(["us-east", "us-iad", "us-ord", "eu-west", "gb-lon", "ap-south", "sg-sin-2"], var.linode_region)
    error_message = "linode_region must be a Linode region with LKE for one of the three system regions."
  }
}

variable "object_storage_region" {
  description = "Linode Object Storage region of the Redis backup bucket. eu-west (London) has no Object Storage endpoint, so its backups go to gb-lon (gb-lon-1.linodeobjects.com); sg-sin-2 is served by sg-sin-1.linodeobjects.com."
  type        = string

  validation {
    condition     = contains(["us-east", "us-iad", "us-ord", "gb-lon", "ap-south", "sg-sin-2"], var.object_storage_region)
    error_message = "object_storage_region must be a Linode region with Object Storage (eu-west has none: use gb-lon)."
  }
}

# ---- LKE --------------------------------------------------------------------------------------------------------

variable "k8s_version" {
  description = "LKE Kubernetes version, major.minor (LKE deploys the newest patch). Pinned: upgrade one minor at a time (docs/deploy.md). Strimzi 1.2.0 needs 1.30+."
  type        = string

  validation {
    condition     = can(regex("^1\\.[0-9]{2}$", var.k8s_version))
    error_message = "k8s_version must be a pinned major.minor such as 1.35."
  }
}

variable "ha_control_plane" {
  description = "LKE high-availability control plane (replicated API server and etcd). Cannot be turned off once on."
  type        = bool
}

variable "api_allowed_cidrs" {
  description = "IPv4 CIDRs allowed to reach the Kubernetes API (control-plane ACL: everything else is denied). Empty leaves the ACL off."
  type        = list(string)

  validation {
    condition     = alltrue([for c in var.api_allowed_cidrs : can(cidrhost(c, 0)) && c != "0.0.0.0/0"])
    error_message = "api_allowed_cidrs must be IPv4 CIDRs, and not 0.0.0.0/0."
  }
}

variable "node_type" {
  description = "Linode plan of the node pool (2-4 cores: knative/README.md sizes Kafka and the functions for that)."
  type        = string

  validation {
    condition     = can(regex("^g[0-9]+-(standard|dedicated|highmem)-[0-9]+$", var.node_type))
    error_message = "node_type must be a Linode plan ID such as g6-standard-4."
  }
}

variable "node_min" {
  description = "Autoscaler minimum of the node pool; at least 3 (one Kafka node per Kubernetes node, knative/kafka)."
  type        = number

  validation {
    condition     = var.node_min >= 3
    error_message = "node_min must be at least 3: the Kafka pods need one node each."
  }
}

variable "node_max" {
  description = "Autoscaler maximum of the node pool."
  type        = number

  validation {
    # node_max >= node_min is a precondition on the cluster (lke.tf): a validation may name only its own
    # variable before Terraform 1.9.
    condition     = var.node_max >= 3 && var.node_max <= 100
    error_message = "node_max must be between 3 and 100."
  }
}

# ---- platform (pinned chart versions) ---------------------------------------------------------------------------

variable "knative_operator_chart_version" {
  description = "Helm chart knative-operator (https://knative.github.io/operator), e.g. v1.21.0. The operator ships the last three minors and upgrades one minor at a time."
  type        = string

  validation {
    condition     = can(regex("^v1\\.[0-9]+\\.[0-9]+$", var.knative_operator_chart_version))
    error_message = "knative_operator_chart_version must be an exact chart version such as v1.21.0."
  }
}

variable "knative_version" {
  description = "Knative Serving and Eventing minor the operator installs (spec.version), e.g. 1.21."
  type        = string

  validation {
    condition     = can(regex("^1\\.[0-9]+$", var.knative_version))
    error_message = "knative_version must be a minor such as 1.21."
  }
}

variable "kafka_broker_version" {
  description = "Release of knative-extensions/eventing-kafka-broker, same minor as Knative Eventing (knative/README.md), e.g. knative-v1.21.5."
  type        = string

  validation {
    condition     = can(regex("^knative-v1\\.[0-9]+\\.[0-9]+$", var.kafka_broker_version))
    error_message = "kafka_broker_version must be a release tag such as knative-v1.21.5."
  }
}

variable "strimzi_chart_version" {
  description = "Helm chart strimzi-kafka-operator (https://strimzi.io/charts/), e.g. 1.2.0 (API kafka.strimzi.io/v1, Kafka 4.3.1 in knative/kafka)."
  type        = string

  validation {
    condition     = can(regex("^[0-9]+\\.[0-9]+\\.[0-9]+$", var.strimzi_chart_version))
    error_message = "strimzi_chart_version must be an exact chart version such as 1.2.0."
  }
}

variable "cert_manager_chart_version" {
  description = "Helm chart cert-manager (https://charts.jetstack.io), e.g. v1.19.1."
  type        = string

  validation {
    condition     = can(regex("^v1\\.[0-9]+\\.[0-9]+$", var.cert_manager_chart_version))
    error_message = "cert_manager_chart_version must be an exact chart version such as v1.19.1."
  }
}

variable "letsencrypt_email" {
  description = "Contact e-mail of the Let's Encrypt ACME account (expiry notices)."
  type        = string

  validation {
    condition     = can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", var.letsencrypt_email))
    error_message = "letsencrypt_email must be an e-mail address."
  }
}

variable "acme_server" {
  description = "ACME directory: Let's Encrypt production, or staging while trying things (its certificates are not trusted)."
  type        = string

  validation {
    condition = contains([
      "https://acme-v02.api.letsencrypt.org/directory",
      "https://acme-staging-v02.api.letsencrypt.org/directory",
    ], var.acme_server)
    error_message = "acme_server must be the Let's Encrypt production or staging directory."
  }
}

# ---- Redis and its backups --------------------------------------------------------------------------------------

variable "redis_image" {
  description = "Redis image with an exact tag (no latest)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9./-]+:[0-9]+\\.[0-9]+\\.[0-9]+[a-z0-9.-]*$", var.redis_image))
    error_message = "redis_image must carry an exact version tag such as redis:8.2.2."
  }
}

variable "redis_volume_size" {
  description = "Size of Redis' data volume (AOF and RDB) on linode-block-storage-retain, e.g. 20Gi."
  type        = string

  validation {
    condition     = can(regex("^[0-9]+Gi$", var.redis_volume_size))
    error_message = "redis_volume_size must be in Gi, e.g. 20Gi."
  }
}

variable "backup_image" {
  description = "Image of the backup CronJob's upload step (the AWS CLI, S3 API against Linode Object Storage), exact tag."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9./-]+:[0-9]+\\.[0-9]+\\.[0-9]+$", var.backup_image))
    error_message = "backup_image must carry an exact version tag such as amazon/aws-cli:2.27.50."
  }
}

variable "backup_schedule" {
  description = "Cron schedule (UTC) of the Redis backup to Object Storage."
  type        = string

  validation {
    condition     = length(split(" ", trimspace(var.backup_schedule))) == 5
    error_message = "backup_schedule must be a five-field cron expression."
  }
}

variable "backup_retention_days" {
  description = "Days a backup stays in the bucket (lifecycle rule)."
  type        = number

  validation {
    condition     = var.backup_retention_days >= 1 && var.backup_retention_days <= 365
    error_message = "backup_retention_days must be between 1 and 365."
  }
}

# ---- secrets from outside (never defaulted) ---------------------------------------------------------------------

variable "trafficpeak_url" {
  description = "TrafficPeak (Hydrolix) ingest URL for export-metrics: Secret trafficpeak, key url."
  type        = string
  sensitive   = true
}

variable "trafficpeak_token" {
  description = "TrafficPeak ingest token: Secret trafficpeak, key token."
  type        = string
  sensitive   = true
}
