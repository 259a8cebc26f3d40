// Each invariant can fail: the real tree with one deliberate fault (a mutation of one file) must make its check
// report a violation that names the faulty file. A mutation whose text is no longer in the file fails too, so
// these cases follow the tree.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, parseSources, sourcePaths } from './lib.mjs';
import { CHECKS } from './invariants.mjs';

const original = Object.fromEntries(sourcePaths().map((p) => [p, readFileSync(join(ROOT, p), 'utf8')]));

const R = 'modules/region';
const G = 'modules/global';
const P = 'environments/production';

// [check, file, text in the file, replacement, what the violation must mention]
const FAULTS = [
  ['regionModules', `${P}/main.tf`, 'region                = "ap-south"', 'region                = "ap-southeast"', /region = "ap-south"|ap-southeast/],
  ['regionModules', `${P}/main.tf`, 'kubernetes = kubernetes.eu_west', 'kubernetes = kubernetes.us_east', /share a kubernetes provider/],
  ['firewalls', `${R}/firewall.tf`, 'inbound_policy  = "DROP"', 'inbound_policy  = "ACCEPT"', /firewall\.tf: resource "linode_firewall" "nodes": inbound_policy/],
  ['firewalls', `${R}/firewall.tf`, 'ports    = "443"', 'ports    = "22, 443"', /firewall\.tf: resource "linode_firewall" "edge": inbound "edge-https"/],
  ['firewalls', `${R}/firewall.tf`, 'ports    = "179"', 'ports    = "6443"', /inbound "calico-bgp": ports "6443"/],
  ['firewalls', `${R}/lke.tf`, 'firewall_id = linode_firewall.nodes.id', 'firewall_id = null', /lke\.tf: resource "linode_lke_cluster" "this": pool without firewall_id/],
  ['providerPins', `${R}/versions.tf`, 'version = "~> 3.7"', 'version = ">= 3.0"', /modules\/region: required_providers\.random version/],
  ['providerPins', `${G}/versions.tf`, 'required_version = ">= 1.6"', 'required_version = ">= 1.5"', /modules\/global\/versions\.tf: terraform: required_version ">= 1\.5"/],
  ['providerPins', `${G}/versions.tf`, 'akamai = {', 'akamai_old = {', /modules\/global: provider "akamai" is used but not in required_providers/],
  ['chartAndVersionPins', `${P}/variables.tf`, 'default     = "v1.19.1"', 'default     = "latest"', /variables\.tf: variable "cert_manager_chart_version": default "latest"/],
  ['chartAndVersionPins', `${R}/platform.tf`, 'version    = var.strimzi_chart_version', 'version    = null', /platform\.tf: resource "helm_release" "strimzi": no chart version/],
  ['chartAndVersionPins', `${P}/variables.tf`, 'default     = "1.35"', 'default     = "1.35.2"', /variable "k8s_version": default "1\.35\.2"/],
  ['chartAndVersionPins', `${P}/variables.tf`, 'default     = "redis:8.2.2"', 'default     = "redis:latest"', /variable "redis_image": default "redis:latest"/],
  ['sensitiveOutputs', `${P}/outputs.tf`, 'jsonencode({ for name, region in local.regions : name => region.edge_key })\n  sensitive   = true', 'jsonencode({ for name, region in local.regions : name => region.edge_key })', /outputs\.tf: output "EDGE_KEYS": holds a key/],
  ['sensitiveOutputs', `${R}/outputs.tf`, 'value       = base64decode(linode_lke_cluster.this.kubeconfig)\n  sensitive   = true', 'value       = base64decode(linode_lke_cluster.this.kubeconfig)', /region\/outputs\.tf: output "kubeconfig"/],
  ['secretVariables', `${P}/variables.tf`, 'Set TF_VAR_trafficpeak_token."', 'Set TF_VAR_trafficpeak_token."\n  default     = ""', /variables\.tf: variable "trafficpeak_token": a secret variable has a default/],
  ['secretVariables', `${P}/production.auto.tfvars`, 'api_allowed_cidrs = []', 'api_allowed_cidrs = []\ntrafficpeak_token = "x"', /production\.auto\.tfvars: sets trafficpeak_token/],
  ['secretLiterals', `${P}/production.auto.tfvars`, 'api_allowed_cidrs = []', 'api_allowed_cidrs = []\n# edge_key = "Zx81kq0PlmN3"', /production\.auto\.tfvars:\d+: a secret-named setting/],
  ['secretLiterals', `${R}/redis.tf`, 'redis_url = "redis://default:${random_password.redis.result}@', 'redis_url = "redis://default:hunter2hunter2@', /redis\.tf:\d+: a URL with a literal password/],
  ['secretLiterals', `${G}/dns.tf`, 'ttl_sec     = 300\n}', 'ttl_sec     = 300\n  # token 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n}', /dns\.tf:\d+: a 64-hex token/],
  ['contractSecrets', `${R}/secrets.tf`, 'name      = "edge-credentials"', 'name      = "edge-creds"', /0 kubernetes_secret_v1 named "edge-credentials"/],
  ['contractSecrets', `${R}/secrets.tf`, 'SYNC_KEY = random_password.sync_key.result', 'SYNC_KEY = "${var.region}"', /secrets\.tf: resource "kubernetes_secret_v1" "sync_credentials": SYNC_KEY/],
  ['contractSecrets', `${R}/secrets.tf`, 'length  = 48\n  special = false # header-safe', 'length  = 16\n  special = false # header-safe', /secrets\.tf: resource "random_password" "edge_key": length 16/],
  ['contractSecrets', `${R}/secrets.tf`, 'url   = var.trafficpeak_url', 'url   = "https://ingest.example"', /"trafficpeak": url/],
  ['contractSecrets', `${R}/secrets.tf`, 'name      = "trafficpeak-logs"\n    namespace = kubernetes_namespace_v1.platform["observability"].metadata[0].name', 'name      = "trafficpeak-logs"\n    namespace = kubernetes_namespace_v1.app.metadata[0].name', /"trafficpeak_logs": not in namespace observability/],
  ['contractSecrets', `${R}/platform.tf`, '"kafka", "observability"]', '"kafka"]', /kubernetes_namespace_v1\.platform does not create namespace observability/],
  ['knativeTracing', `${R}/platform.tf`, '"tracing-sampling-rate" = "0.1"', '"tracing-sampling-rate" = "0"', /tracing-sampling-rate is "0", want a string strictly between 0 and 1/],
  ['knativeTracing', `${R}/platform.tf`, '"tracing-sampling-rate" = "0.1"', '"tracing-sampling-rate" = "1"', /tracing-sampling-rate is "1"/],
  ['knativeTracing', `${R}/platform.tf`, '"tracing-protocol" = "http/protobuf"', '"tracing-protocol" = "zipkin"', /tracing-protocol is "zipkin"/],
  ['knativeTracing', `${R}/platform.tf`, '      config = {\n        observability = local.knative_observability\n      }\n', '', /platform\.tf: resource "kubectl_manifest" "knative_eventing": KnativeEventing without spec\.config\.observability/],
  ['tagsAndLabels', `${R}/lke.tf`, 'tags        = local.linode_tags\n\n  control_plane', 'tags        = ["env:production"]\n\n  control_plane', /lke\.tf: resource "linode_lke_cluster" "this": tags/],
  ['tagsAndLabels', `${R}/edge.tf`, 'region = var.linode_region\n  tags   = local.linode_tags', 'region = var.linode_region', /edge\.tf: resource "linode_nodebalancer" "edge": tags/],
  ['tagsAndLabels', `${R}/redis.tf`, 'name      = "redis-config"\n    namespace = kubernetes_namespace_v1.redis.metadata[0].name\n    labels    = local.redis_labels', 'name      = "redis-config"\n    namespace = kubernetes_namespace_v1.redis.metadata[0].name', /redis\.tf: resource "kubernetes_config_map_v1" "redis": metadata\.labels/],
  ['tagsAndLabels', `${R}/tls.tf`, 'name   = "letsencrypt-http01"\n      labels = local.labels', 'name   = "letsencrypt-http01"', /tls\.tf: resource "kubectl_manifest" "letsencrypt_issuer"/],
  ['variablesAndOutputs', `${G}/variables.tf`, 'description = "Akamai GTM domain type; it bounds', 'default = "x"\n  # "Akamai GTM domain type; it bounds', /global\/variables\.tf: variable "gtm_domain_type": no description/],
  ['variablesAndOutputs', `${R}/variables.tf`, '\n  validation {\n    condition     = contains(["us-east", "eu-west", "ap-south"], var.region)\n    error_message = "region must be one of us-east, eu-west, ap-south."\n  }', '', /region\/variables\.tf: variable "region": an enumerated/],
  ['variablesAndOutputs', `${G}/outputs.tf`, 'description = "ID of the Linode DNS zone."', '', /global\/outputs\.tf: output "zone_id": no description/],
  ['consumedOutputs', `${P}/outputs.tf`, 'output "SYNC_KEYS"', 'output "SYNC_KEY"', /environments\/production: no output "SYNC_KEYS"/],
  ['consumedOutputs', `${P}/outputs.tf`, 'value       = { for name, region in local.regions : name => region.kubeconfig }\n  sensitive   = true', 'value       = { for name, region in local.regions : name => region.kubeconfig }', /output "kubeconfigs": sensitive must be true/],
  ['consumedOutputs', `${P}/outputs.tf`, 'value       = jsonencode({ for name, region in local.regions : name => region.edge_url })', 'value       = jsonencode({ for name, region in local.regions : name => region.edge_url })\n  sensitive   = true', /output "EDGE_URLS": sensitive must be false/],
  ['backends', `${P}/versions.tf`, 's3 = "https://us-east-1.linodeobjects.com"', 's3 = "https://s3.amazonaws.com"', /versions\.tf: terraform: backend "s3" endpoints\.s3/],
  ['backends', `${P}/versions.tf`, 'skip_region_validation      = true', 'skip_region_validation      = true\n    secret_key = var.x', /sets secret_key/],
  ['customResources', `${R}/tls.tf`, 'resource "kubectl_manifest" "letsencrypt_issuer"', 'resource "kubernetes_manifest" "letsencrypt_issuer"', /tls\.tf: resource "kubernetes_manifest" "letsencrypt_issuer": kubernetes_manifest needs the CRD/],
  ['customResources', `${R}/platform.tf`, '{ URL = "https://github.com/knative-extensions/eventing-kafka-broker/releases/download/${var.kafka_broker_version}/eventing-kafka-broker.yaml" },', '', /platform\.tf: resource "kubectl_manifest" "knative_eventing": KnativeEventing without the Kafka broker's eventing-kafka-broker\.yaml/],
  ['redisPersistence', `${R}/redis.tf`, 'storage_class_name = "linode-block-storage-retain"', 'storage_class_name = "linode-block-storage"', /redis\.tf: resource "kubernetes_stateful_set_v1" "redis": the data volume's storage class/],
  ['redisPersistence', `${R}/redis.tf`, '    appendonly yes\n', '    appendonly no\n', /modules\/region: local\.redis_conf does not turn on the AOF/],
  ['redisPersistence', `${P}/variables.tf`, '"eu-west"  = { linode_region = "eu-west", object_storage_region = "gb-lon" }', '"eu-west"  = { linode_region = "eu-west", object_storage_region = "eu-west" }', /variable "regions": eu-west .* gb-lon/],
  ['globalTraffic', `${G}/gtm.tf`, 'test_object          = "/healthz"', 'test_object          = "/"', /gtm\.tf: resource "akamai_gtm_property" "edge": liveness_test "edge-healthz" must be GET \/healthz/],
  ['globalTraffic', `${G}/gtm.tf`, 'test_object_port     = 443', 'test_object_port     = 80', /liveness_test "edge-healthz" must be GET \/healthz over HTTPS 443/],
  ['globalTraffic', `${G}/dns.tf`, 'name        = "edge.${each.key}"', 'name        = "${each.key}"', /no linode_domain_record A "edge\.<region>"/],
];

/** What a fault does, for the test's name: the first line it adds, or the first line it removes. */
function fault(from, to) {
  const before = from.split('\n').map((l) => l.trim()).filter(Boolean);
  const after = to.split('\n').map((l) => l.trim()).filter(Boolean);
  const added = after.find((l) => !before.includes(l));
  return (added ? `+ ${added}` : `- ${before.find((l) => !after.includes(l))}`).slice(0, 90);
}

for (const [check, file, from, to, expect] of FAULTS) {
  test(`${check} reports ${file}: ${fault(from, to)}`, async () => {
    assert.ok(file in original, `${file} is not in the tree`);
    assert.ok(original[file].includes(from), `${file} no longer contains ${JSON.stringify(from)}: update this case`);
    const files = await parseSources({ ...original, [file]: original[file].replace(from, to) });
    const problems = CHECKS[check](files);
    assert.ok(problems.length > 0, `${check} reported nothing for the fault in ${file}`);
    assert.ok(problems.some((p) => expect.test(p)), `${check} did not report ${expect}; it said:\n  ${problems.join('\n  ')}`);
  });
}

test('the unmutated tree passes every check the faults above break', async () => {
  const files = await parseSources(original);
  for (const check of new Set(FAULTS.map((f) => f[0]))) assert.deepEqual(CHECKS[check](files), [], check);
});

test('a file that is not HCL is refused with its name and position', async () => {
  await assert.rejects(parseSources({ ...original, [`${R}/lke.tf`]: original[`${R}/lke.tf`] + '\nresource "x" "y" {\n  a = }\n' }), /modules\/region\/lke\.tf does not parse as HCL: .*lke\.tf:\d+,\d+/);
});
