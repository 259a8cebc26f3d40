terraform {
  required_version = ">= 1.6"

  required_providers {
    linode = {
      source  = "linode/linode"
      version = "~> 3.13"
    }
    # Pinned to the major checked against the provider's docs (v9.x); techdocs also show v10 pages: check the
    # registry before moving the constraint.
    akamai = {
      source  = "akamai/akamai"
      version = "~> 9.2"
    }
  }
}
