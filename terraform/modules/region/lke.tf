# The region's LKE cluster: pinned Kubernetes minor, optional HA control plane, one autoscaling node pool behind the
# node firewall (firewall.tf).

resource "linode_lke_cluster" "this" {
  label       = local.name
  region      = var.linode_region
  k8s_version = var.k8s_version
  tags        = local.linode_tags

  control_plane {
    high_availability = var.ha_control_plane

    # With the ACL on, the API answers only the listed CIDRs (default policy DENY).
    acl {
      enabled = length(var.api_allowed_cidrs) > 0
      addresses {
        ipv4 = var.api_allowed_cidrs
      }
    }
  }

  # The only pool, and the first: the order of pool blocks matters to the provider (removing the first rewrites
  # the others). The autoscaler starts it at node_min and moves count, which Terraform then leaves alone.
  pool {
    type        = var.node_type
    labels      = local.labels
    tags        = local.linode_tags
    firewall_id = linode_firewall.nodes.id

    autoscaler {
      min = var.node_min
      max = var.node_max
    }
  }

  lifecycle {
    ignore_changes = [pool[0].count]

    precondition {
      condition     = var.node_max >= var.node_min
      error_message = "node_max must be at least node_min."
    }
  }
}
