# Settings of the production environment. Versions are pinned here (one place for the three regions);
# account-specific values are in production.auto.tfvars; secrets only come from the environment
# (TF_VAR_trafficpeak_url, TF_VAR_trafficpeak_token) and are never defaulted.

variable "environment" {
  description = "Environment name: tags env:<environment>, labels globalevents.dev/environment."
  type        = string
  default     = "production"

  validation {
    condition     = contains(["production", "staging"], var.environment)
    error_message = "environment must be production or staging."
  }
}

variable "domain" {
  description = "Public DNS zone (Linode DNS): edges at https://edge.<region>.<domain>."
  type        = string

  validation {
    condition     = can(regex("^([a-z0-9]([a-z0-9-]*[a-z0-9])?\\.)+[a-z]{2,}$", var.domain))
    error_message = "domain must be a lower-case DNS name such as globalevents.example."
  }
}

variable "soa_email" {
  description = "SOA e-mail of the DNS zone."
  type        = string

  validation {
    condition     = can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", var.soa_email))
    error_message = "soa_email must be an e-mail address."
  }
}

variable "regions" {
  description = "Linode placement per system region: the LKE region and the Object Storage region of its Redis backups (eu-west/London has no Object Storage: gb-lon)."
  type = map(object({
    linode_region         = string
    object_storage_region = string
  }))
  default = {
    "us-east"  = { linode_region = "us-east", object_storage_region = "us-east" }
    "eu-west"  = { linode_region = "eu-west", object_storage_region = "gb-lon" }
    "ap-south" = { linode_region = "ap-south", object_storage_region = "ap-south" }
  }

  validation {
    condition     = toset(keys(var.regions)) == toset(["us-east", "eu-west", "ap-south"])
    error_message = "regions must hold exactly us-east, eu-west and ap-south."
  }
}

# ---- clusters ---------------------------------------------------------------------------------------------------

variable "k8s_version" {
  description = "LKE Kubernetes minor of all three clusters (check what LKE offers: linode-cli lke versions-list)."
  type        = string
  default     = "1.35"

  validation {
    condition     = can(regex("^1\\.[0-9]{2}$", var.k8s_version))
    error_message = "k8s_version must be a pinned major.minor such as 1.35."
  }
}

variable "ha_control_plane" {
  description = "LKE HA control plane in every region (cannot be turned off once on)."
  type        = bool
  default     = true
}

variable "api_allowed_cidrs" {
  description = "IPv4 CIDRs allowed to reach the clusters' Kubernetes API (operators, CI runners); empty leaves the ACL off."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for c in var.api_allowed_cidrs : can(cidrhost(c, 0)) && c != "0.0.0.0/0"])
    error_message = "api_allowed_cidrs must be IPv4 CIDRs, and not 0.0.0.0/0."
  }
}

variable "node_type" {
  description = "Linode plan of the node pools."
  type        = string
  default     = "g6-standard-4"

  validation {
    condition     = can(regex("^g[0-9]+-(standard|dedicated|highmem)-[0-9]+$", var.node_type))
    error_message = "node_type must be a Linode plan ID such as g6-standard-4."
  }
}

variable "node_min" {
  description = "Autoscaler minimum per region (at least 3: one Kafka node per Kubernetes node)."
  type        = number
  default     = 3

  validation {
    condition     = var.node_min >= 3
    error_message = "node_min must be at least 3."
  }
}

variable "node_max" {
  description = "Autoscaler maximum per region."
  type        = number
  default     = 8

  validation {
    condition     = var.node_max >= 3 && var.node_max <= 100
    error_message = "node_max must be between 3 and 100."
  }
}

# ---- platform versions (pinned) ---------------------------------------------------------------------------------

variable "knative_operator_chart_version" {
  description = "Helm chart knative-operator version."
  type        = string
  default     = "v1.21.0"

  validation {
    condition     = can(regex("^v1\\.[0-9]+\\.[0-9]+$", var.knative_operator_chart_version))
    error_message = "knative_operator_chart_version must be an exact chart version such as v1.21.0."
  }
}

variable "knative_version" {
  description = "Knative Serving and Eventing minor (the operator moves one minor at a time)."
  type        = string
  default     = "1.21"

  validation {
    condition     = can(regex("^1\\.[0-9]+$", var.knative_version))
    error_message = "knative_version must be a minor such as 1.21."
  }
}

variable "kafka_broker_version" {
  description = "eventing-kafka-broker release, same minor as knative_version."
  type        = string
  default     = "knative-v1.21.5"

  validation {
    condition     = can(regex("^knative-v1\\.[0-9]+\\.[0-9]+$", var.kafka_broker_version))
    error_message = "kafka_broker_version must be a release tag such as knative-v1.21.5."
  }
}

variable "strimzi_chart_version" {
  description = "Helm chart strimzi-kafka-operator version (knative/kafka uses kafka.strimzi.io/v1, Kafka 4.3.1)."
  type        = string
  default     = "1.2.0"

  validation {
    condition     = can(regex("^[0-9]+\\.[0-9]+\\.[0-9]+$", var.strimzi_chart_version))
    error_message = "strimzi_chart_version must be an exact chart version such as 1.2.0."
  }
}

variable "cert_manager_chart_version" {
  description = "Helm chart cert-manager version."
  type        = string
  default     = "v1.19.1"

  validation {
    condition     = can(regex("^v1\\.[0-9]+\\.[0-9]+$", var.cert_manager_chart_version))
    error_message = "cert_manager_chart_version must be an exact chart version such as v1.19.1."
  }
}

# ---- TLS --------------------------------------------------------------------------------------------------------

variable "letsencrypt_email" {
  description = "Contact e-mail of the Let's Encrypt account."
  type        = string

  validation {
    condition     = can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", var.letsencrypt_email))
    error_message = "letsencrypt_email must be an e-mail address."
  }
}

variable "acme_server" {
  description = "ACME directory (Let's Encrypt production, or staging while trying)."
  type        = string
  default     = "https://acme-v02.api.letsencrypt.org/directory"

  validation {
    condition = contains([
      "https://acme-v02.api.letsencrypt.org/directory",
      "https://acme-staging-v02.api.letsencrypt.org/directory",
    ], var.acme_server)
    error_message = "acme_server must be the Let's Encrypt production or staging directory."
  }
}

# ---- Redis ------------------------------------------------------------------------------------------------------

variable "redis_image" {
  description = "Redis image, exact tag."
  type        = string
  default     = "redis:8.2.2"

  validation {
    condition     = can(regex("^[a-z0-9./-]+:[0-9]+\\.[0-9]+\\.[0-9]+[a-z0-9.-]*$", var.redis_image))
    error_message = "redis_image must carry an exact version tag."
  }
}

variable "redis_volume_size" {
  description = "Redis data volume (AOF + RDB) per region."
  type        = string
  default     = "20Gi"

  validation {
    condition     = can(regex("^[0-9]+Gi$", var.redis_volume_size))
    error_message = "redis_volume_size must be in Gi."
  }
}

variable "backup_image" {
  description = "AWS CLI image of the backup upload, exact tag (check the tag exists before an upgrade)."
  type        = string
  default     = "amazon/aws-cli:2.27.50"

  validation {
    condition     = can(regex("^[a-z0-9./-]+:[0-9]+\\.[0-9]+\\.[0-9]+$", var.backup_image))
    error_message = "backup_image must carry an exact version tag."
  }
}

variable "backup_schedule" {
  description = "Cron schedule (UTC) of the Redis backups."
  type        = string
  default     = "17 * * * *"

  validation {
    condition     = length(split(" ", trimspace(var.backup_schedule))) == 5
    error_message = "backup_schedule must be a five-field cron expression."
  }
}

variable "backup_retention_days" {
  description = "Days a Redis backup is kept in Object Storage."
  type        = number
  default     = 14

  validation {
    condition     = var.backup_retention_days >= 1 && var.backup_retention_days <= 365
    error_message = "backup_retention_days must be between 1 and 365."
  }
}

# ---- Akamai GTM -------------------------------------------------------------------------------------------------

variable "akamai_edgerc_path" {
  description = "Path of the .edgerc file with the Akamai API client credentials (the file, not its content)."
  type        = string
  default     = "~/.edgerc"
}

variable "akamai_edgerc_section" {
  description = "Section of the .edgerc file to use."
  type        = string
  default     = "default"
}

variable "akamai_contract_id" {
  description = "Akamai contract ID of the GTM domain."
  type        = string
}

variable "akamai_group_id" {
  description = "Akamai group ID of the GTM domain."
  type        = string
}

variable "gtm_domain" {
  description = "Akamai GTM domain, ending in .akadns.net."
  type        = string

  validation {
    condition     = endswith(var.gtm_domain, ".akadns.net")
    error_message = "gtm_domain must end in .akadns.net."
  }
}

variable "gtm_domain_type" {
  description = "Akamai GTM domain type."
  type        = string
  default     = "full"

  validation {
    condition     = contains(["failover-only", "static", "weighted", "basic", "full"], var.gtm_domain_type)
    error_message = "gtm_domain_type must be failover-only, static, weighted, basic or full."
  }
}

variable "gtm_property_type" {
  description = "Akamai GTM property type over the edges (performance: nearest healthy edge)."
  type        = string
  default     = "performance"

  validation {
    condition     = contains(["performance", "weighted-round-robin", "failover", "ranked-failover"], var.gtm_property_type)
    error_message = "gtm_property_type must be performance, weighted-round-robin, failover or ranked-failover."
  }
}

variable "notification_emails" {
  description = "Who GTM notifies about liveness changes."
  type        = list(string)

  validation {
    condition     = alltrue([for e in var.notification_emails : can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", e))])
    error_message = "notification_emails must be e-mail addresses."
  }
}

# ---- secrets (from the environment: TF_VAR_...) -----------------------------------------------------------------

variable "trafficpeak_url" {
  description = "TrafficPeak ingest URL (Secret trafficpeak, key url, in every region). Set TF_VAR_trafficpeak_url."
  type        = string
  sensitive   = true
}

variable "trafficpeak_token" {
  description = "TrafficPeak ingest token (Secret trafficpeak, key token). Set TF_VAR_trafficpeak_token."
  type        = string
  sensitive   = true
}
