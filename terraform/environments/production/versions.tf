# Root of the production environment: three regions through modules/region, the global DNS and GTM through
# modules/global. State in Linode Object Storage through the S3 backend.
terraform {
  required_version = ">= 1.6"

  required_providers {
    linode = {
      source  = "linode/linode"
      version = "~> 3.13"
    }
    akamai = {
      source  = "akamai/akamai"
      version = "~> 9.2"
    }
    kubernetes = {
      source  = "hashicorp/kubernetes"
      version = "~> 3.0"
    }
    helm = {
      source  = "hashicorp/helm"
      version = "~> 3.0"
    }
    kubectl = {
      source  = "alekc/kubectl"
      version = "~> 2.1"
    }
    random = {
      source  = "hashicorp/random"
      version = "~> 3.7"
    }
  }

  # Remote state in Linode Object Storage (S3 API). The bucket is made once by hand, private, with versioning
  # (docs/deploy.md, "Prerequisites"); its keys come from the environment (AWS_ACCESS_KEY_ID /
  # AWS_SECRET_ACCESS_KEY), never from this file. The state holds the generated keys and the kubeconfigs.
  # No state locking here (the S3 backend's DynamoDB locking is AWS-only; use_lockfile needs Terraform 1.10 and
  # conditional writes, UNVERIFIED on Linode Object Storage): run one apply at a time (CI: one concurrency group).
  backend "s3" {
    bucket = "globalevents-tfstate"
    key    = "production/terraform.tfstate"
    region = "us-east-1" # required by the backend, ignored by Linode: the endpoint decides
    endpoints = {
      s3 = "https://us-east-1.linodeobjects.com"
    }
    skip_credentials_validation = true
    skip_region_validation      = true
    skip_requesting_account_id  = true
    skip_metadata_api_check     = true
    skip_s3_checksum            = true
  }
}
