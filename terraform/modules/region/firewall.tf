# Cloud Firewalls, deny by default inbound.
#
# nodes: attached to the LKE pool (pool.firewall_id). Accepts only what LKE itself needs, from its private ranges
#   (Akamai techdocs "LKE network and firewall details"): 192.168.128.0/17 is the cluster's private network
#   (control plane and nodes), 192.168.255.0/24 the NodeBalancers' back-end addresses. Nothing public reaches a
#   node directly: the edge comes in through the NodeBalancer, whose traffic arrives on a NodePort from
#   192.168.255.0/24.
# edge: attached to the edge NodeBalancer (edge.tf). Accepts HTTPS 443 from anywhere (Zuplo's egress addresses are
#   not fixed, GTM probes come from Akamai), and 80 only because the Let's Encrypt HTTP-01 challenge is served
#   on it through Kourier; every other plain-HTTP request is redirected to HTTPS (http-protocol: Redirected).

resource "linode_firewall" "nodes" {
  label           = "${local.name}-nodes"
  tags            = local.linode_tags
  inbound_policy  = "DROP"
  outbound_policy = "ACCEPT"

  inbound {
    label    = "kubelet"
    action   = "ACCEPT"
    protocol = "TCP"
    ports    = "10250, 10256"
    ipv4     = ["192.168.128.0/17"]
  }

  inbound {
    label    = "wireguard-kubectl"
    action   = "ACCEPT"
    protocol = "UDP"
    ports    = "51820"
    ipv4     = ["192.168.128.0/17"]
  }

  inbound {
    label    = "cluster-dns-tcp"
    action   = "ACCEPT"
    protocol = "TCP"
    ports    = "53"
    ipv4     = ["192.168.128.0/17"]
  }

  inbound {
    label    = "cluster-dns-udp"
    action   = "ACCEPT"
    protocol = "UDP"
    ports    = "53"
    ipv4     = ["192.168.128.0/17"]
  }

  inbound {
    label    = "calico-bgp"
    action   = "ACCEPT"
    protocol = "TCP"
    ports    = "179"
    ipv4     = ["192.168.128.0/17"]
  }

  # Calico's IP-in-IP encapsulation between nodes (pod-to-pod traffic across nodes). No ports: IPENCAP is a protocol.
  inbound {
    label    = "calico-ipip"
    action   = "ACCEPT"
    protocol = "IPENCAP"
    ipv4     = ["192.168.128.0/17"]
  }

  inbound {
    label    = "nodebalancer-tcp"
    action   = "ACCEPT"
    protocol = "TCP"
    ports    = "30000-32767"
    ipv4     = ["192.168.255.0/24"]
  }

  inbound {
    label    = "nodebalancer-udp"
    action   = "ACCEPT"
    protocol = "UDP"
    ports    = "30000-32767"
    ipv4     = ["192.168.255.0/24"]
  }
}

resource "linode_firewall" "edge" {
  label           = "${local.name}-edge"
  tags            = local.linode_tags
  inbound_policy  = "DROP"
  outbound_policy = "ACCEPT"
  nodebalancers   = [linode_nodebalancer.edge.id]

  inbound {
    label    = "edge-https"
    action   = "ACCEPT"
    protocol = "TCP"
    ports    = "443"
    ipv4     = ["0.0.0.0/0"]
    ipv6     = ["::/0"]
  }

  inbound {
    label    = "acme-http01"
    action   = "ACCEPT"
    protocol = "TCP"
    ports    = "80"
    ipv4     = ["0.0.0.0/0"]
    ipv6     = ["::/0"]
  }
}
