variable "environment" {
  description = "Environment name, in every tag (env:<environment>)."
  type        = string

  validation {
    condition     = contains(["production", "staging"], var.environment)
    error_message = "environment must be production or staging."
  }
}

variable "domain" {
  description = "The public DNS zone, managed in Linode DNS; edges are edge.<region>.<domain>."
  type        = string

  validation {
    condition     = can(regex("^([a-z0-9]([a-z0-9-]*[a-z0-9])?\\.)+[a-z]{2,}$", var.domain))
    error_message = "domain must be a lower-case DNS name such as globalevents.example."
  }
}

variable "soa_email" {
  description = "SOA e-mail of the Linode DNS zone."
  type        = string

  validation {
    condition     = can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", var.soa_email))
    error_message = "soa_email must be an e-mail address."
  }
}

variable "edges" {
  description = "The regions' edges, by region name: the NodeBalancer's IPv4 address and the host name its DomainMapping serves."
  type = map(object({
    ipv4 = string
    host = string
  }))

  validation {
    condition     = toset(keys(var.edges)) == toset(["us-east", "eu-west", "ap-south"])
    error_message = "edges must hold exactly us-east, eu-west and ap-south."
  }
}

variable "gtm_domain" {
  description = "Akamai GTM domain (must end in .akadns.net, at most 100 characters)."
  type        = string

  validation {
    condition     = endswith(var.gtm_domain, ".akadns.net") && length(var.gtm_domain) <= 100
    error_message = "gtm_domain must end in .akadns.net and be at most 100 characters."
  }
}

variable "gtm_domain_type" {
  description = "Akamai GTM domain type; it bounds the property types allowed (performance needs full: check the GTM property type descriptions)."
  type        = string

  validation {
    condition     = contains(["failover-only", "static", "weighted", "basic", "full"], var.gtm_domain_type)
    error_message = "gtm_domain_type must be failover-only, static, weighted, basic or full."
  }
}

variable "gtm_property_type" {
  description = "Akamai GTM property type over the three edges: performance (nearest healthy edge), weighted-round-robin, failover, ranked-failover or geographic."
  type        = string

  validation {
    condition     = contains(["performance", "weighted-round-robin", "failover", "ranked-failover"], var.gtm_property_type)
    error_message = "gtm_property_type must be performance, weighted-round-robin, failover or ranked-failover."
  }
}

variable "akamai_contract_id" {
  description = "Akamai contract ID of the GTM domain (an identifier, not a secret)."
  type        = string

  validation {
    condition     = length(var.akamai_contract_id) > 0
    error_message = "akamai_contract_id must be set."
  }
}

variable "akamai_group_id" {
  description = "Akamai group ID of the GTM domain."
  type        = string

  validation {
    condition     = length(var.akamai_group_id) > 0
    error_message = "akamai_group_id must be set."
  }
}

variable "notification_emails" {
  description = "Who GTM notifies when a liveness test changes state."
  type        = list(string)

  validation {
    condition     = alltrue([for e in var.notification_emails : can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", e))])
    error_message = "notification_emails must be e-mail addresses."
  }
}
