# Account-specific, non-secret settings of production (replace the example values). Secrets are never written
# here: TF_VAR_trafficpeak_url and TF_VAR_trafficpeak_token come from the environment, the Linode token from
# LINODE_TOKEN, Akamai credentials from ~/.edgerc, the state bucket's keys from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY.

domain              = "globalevents.example"
soa_email           = "hostmaster@globalevents.example"
letsencrypt_email   = "ops@globalevents.example"
notification_emails = ["ops@globalevents.example"]

gtm_domain         = "globalevents.akadns.net"
akamai_contract_id = "ctr_C-0000000"
akamai_group_id    = "grp_00000"

# Who may reach the Kubernetes APIs (operators' and CI's egress addresses); empty: no ACL.
api_allowed_cidrs = []
