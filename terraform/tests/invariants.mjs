// The invariants of the Terraform tree (issue 16). Each check takes the parsed files (lib.mjs) and returns the
// violations, each naming the file and the block ("modules/region/firewall.tf: resource "linode_firewall" "edge":
// ..."); an empty list means the invariant holds. terraform.test.mjs runs them on the real tree,
// invariants-catch.test.mjs on broken fixtures (so each check is shown to fail when it should).
import { blocks, locals, localRef, moduleDirs, resources, rootDirs, terraformBlocks, tf, varRef } from './lib.mjs';

export const REGIONS = ['us-east', 'eu-west', 'ap-south'];
export const REGION_MODULE_SOURCE = '../../modules/region';

/** Linode resource types that take tags: each must be tagged env:<environment> and region:<region>. */
export const TAGGABLE = new Set([
  'linode_lke_cluster', 'linode_firewall', 'linode_nodebalancer', 'linode_domain', 'linode_instance', 'linode_volume',
  'linode_lke_node_pool', 'linode_image', 'linode_vpc',
]);

/** Local names of providers and the resource type prefix that uses them. */
const PROVIDER_OF_TYPE = (type) => type.split('_')[0];
const BUILTIN = new Set(['terraform']);

/** Variables with a closed set of values or a fixed format: they must have a validation block. */
const ENUMERATED = /^(environment|region|regions|linode_region|object_storage_region|gtm_domain|gtm_domain_type|gtm_property_type|acme_server|domain|edges|api_allowed_cidrs|node_type|node_min|node_max|k8s_version|backup_schedule|backup_retention_days|redis_volume_size|.*_version|.*_image|.*_email|.*_emails)$/;

/** Names that hold a secret (outputs, variables). */
const SECRET_NAME = /(^|_)(keys?|secrets?|passwords?|tokens?|kubeconfigs?|credentials?)($|_)/i;
/** Values that carry a secret. */
const SECRET_VALUE = /random_password\.\w+\.result|\.secret_key\b|\.access_key\b|\.kubeconfig\b(?!\.clusters)|\.(edge|sync)_key\b|var\.\w*(token|secret|password)\w*/i;

const isExpr = (v) => typeof v === 'string' && v.startsWith('${');
const first = (v) => (Array.isArray(v) ? v[0] : v);

// ---- 1. three regions through the one region module ------------------------------------------------------------

export function regionModules(files) {
  const problems = [];
  const roots = rootDirs(files);
  if (roots.length === 0) problems.push('no root under environments/');
  if (!moduleDirs(files).includes('modules/region')) problems.push('modules/region does not exist');
  for (const root of roots) {
    const calls = blocks(files, 'module').filter((m) => m.dir === root && m.body.source === REGION_MODULE_SOURCE);
    const regions = calls.map((m) => m.body.region);
    for (const region of REGIONS) {
      const n = regions.filter((r) => r === region).length;
      if (n !== 1) problems.push(`${root}: ${n} module blocks with source "${REGION_MODULE_SOURCE}" and region = "${region}" (want exactly 1)`);
    }
    for (const call of calls) {
      if (!REGIONS.includes(call.body.region)) problems.push(`${call.where}: region "${call.body.region}" is not one of ${REGIONS.join(', ')}`);
      const providers = call.body.providers ?? {};
      for (const p of ['kubernetes', 'helm', 'kubectl']) {
        const alias = providers[p];
        if (!alias || !new RegExp(`^\\$\\{${p}\\.[a-z_]+\\}$`).test(alias)) problems.push(`${call.where}: providers.${p} must be the region's own ${p}.<alias>`);
      }
    }
    const aliases = calls.map((c) => c.body.providers?.kubernetes);
    if (new Set(aliases).size !== aliases.length) problems.push(`${root}: two regions share a kubernetes provider configuration`);
    for (const other of blocks(files, 'module').filter((m) => m.dir === root && m.body.source !== REGION_MODULE_SOURCE)) {
      if (other.body.region !== undefined) problems.push(`${other.where}: a region outside ${REGION_MODULE_SOURCE}`);
    }
  }
  return problems;
}

// ---- 2. firewalls: deny by default, 443 (+ HTTP-01) public, LKE's own traffic from its private ranges -----------

const LKE_PRIVATE = new Set(['192.168.128.0/17', '192.168.255.0/24']);
const LKE_PORTS = /^(10250|10256|51820|53|179|30000-32767)$/;

export function firewalls(files) {
  const problems = [];
  const all = resources(files, 'linode_firewall');
  if (all.length === 0) problems.push('no linode_firewall');
  let https = false;
  for (const fw of all) {
    const b = fw.body;
    if (b.inbound_policy !== 'DROP') problems.push(`${fw.where}: inbound_policy is ${JSON.stringify(b.inbound_policy)}, want "DROP"`);
    if (!['ACCEPT', 'DROP'].includes(b.outbound_policy)) problems.push(`${fw.where}: outbound_policy must be set (ACCEPT or DROP)`);
    if (b.dynamic?.inbound) problems.push(`${fw.where}: dynamic "inbound" cannot be checked; write the rules out`);
    for (const rule of b.inbound ?? []) {
      const where = `${fw.where}: inbound "${rule.label}"`;
      if (rule.action !== 'ACCEPT') problems.push(`${where}: action ${rule.action} (rules only accept; the policy drops)`);
      const sources = [...(rule.ipv4 ?? []), ...(rule.ipv6 ?? [])];
      if (sources.length === 0) problems.push(`${where}: no source addresses`);
      const ports = String(rule.ports ?? '').split(',').map((p) => p.trim()).filter(Boolean);
      const isPublic = sources.some((s) => !LKE_PRIVATE.has(s));
      if (isPublic) {
        const ok = rule.protocol === 'TCP' && ports.length === 1 && (ports[0] === '443' || (ports[0] === '80' && /acme|http-?01/i.test(rule.label ?? '')));
        if (!ok) problems.push(`${where}: open to ${sources.join(', ')} on ${rule.protocol} ${rule.ports ?? '(all ports)'}; only TCP 443 (and 80 for the ACME HTTP-01 challenge) may be public`);
        if (ports[0] === '443' && rule.protocol === 'TCP') https = true;
      } else if (rule.protocol === 'IPENCAP') {
        if (ports.length) problems.push(`${where}: IPENCAP takes no ports`);
      } else if (ports.length === 0 || !ports.every((p) => LKE_PORTS.test(p))) {
        problems.push(`${where}: ports "${rule.ports}" are not what LKE needs (kubelet 10250/10256, WireGuard 51820, DNS 53, BGP 179, NodePorts 30000-32767)`);
      }
    }
  }
  if (all.length && !https) problems.push('no firewall accepts the edge\'s HTTPS (TCP 443)');
  for (const c of resources(files, 'linode_lke_cluster')) {
    for (const pool of c.body.pool ?? []) {
      if (!/\$\{linode_firewall\.\w+\.id\}/.test(pool.firewall_id ?? '')) problems.push(`${c.where}: pool without firewall_id = linode_firewall.<name>.id`);
    }
  }
  const onNodeBalancer = all.some((fw) => JSON.stringify(fw.body.nodebalancers ?? []).includes('linode_nodebalancer.'));
  if (resources(files, 'linode_nodebalancer').length && !onNodeBalancer) problems.push('no linode_firewall is attached to the edge NodeBalancer (nodebalancers = [...])');
  return problems;
}

// ---- 3. pinned Terraform, providers, charts, Kubernetes ---------------------------------------------------------

const PINNED_CONSTRAINT = /^(~>\s*\d+\.\d+(\.\d+)?|=?\s*\d+\.\d+\.\d+|>=\s*\d+\.\d+(\.\d+)?\s*,\s*<\s*\d+(\.\d+)*)$/;

export function providerPins(files) {
  const problems = [];
  const dirs = [...new Set(tf(files).map((f) => f.dir))];
  for (const dir of dirs) {
    const tbs = terraformBlocks(files).filter((t) => t.dir === dir);
    const withVersion = tbs.filter((t) => t.body.required_version);
    if (withVersion.length !== 1) {
      problems.push(`${dir}: ${withVersion.length} terraform blocks with required_version (want 1, in versions.tf)`);
    } else {
      const rv = withVersion[0].body.required_version;
      const m = rv.match(/^(>=|~>)\s*1\.(\d+)/);
      if (!m || Number(m[2]) < 6) problems.push(`${withVersion[0].where}: required_version "${rv}" must be ">= 1.6" or newer`);
      if (!withVersion[0].file.endsWith('/versions.tf')) problems.push(`${withVersion[0].where}: required_version belongs in versions.tf`);
    }
    const declared = {};
    for (const t of tbs) for (const rp of t.body.required_providers ?? []) Object.assign(declared, rp);
    for (const [name, spec] of Object.entries(declared)) {
      if (typeof spec !== 'object' || !spec.source) problems.push(`${dir}: required_providers.${name} has no source`);
      else if (!spec.version || !PINNED_CONSTRAINT.test(spec.version.trim())) problems.push(`${dir}: required_providers.${name} version ${JSON.stringify(spec.version)} is not a pinned constraint (~> x.y, x.y.z, or >= a, < b)`);
    }
    const used = new Set();
    for (const r of [...resources(files, undefined, 'resource'), ...resources(files, undefined, 'data')].filter((r) => r.dir === dir)) {
      if (!BUILTIN.has(PROVIDER_OF_TYPE(r.type))) used.add(PROVIDER_OF_TYPE(r.type));
    }
    for (const p of blocks(files, 'provider').filter((p) => p.dir === dir)) used.add(p.name);
    for (const m of blocks(files, 'module').filter((m) => m.dir === dir)) {
      for (const key of Object.keys(m.body.providers ?? {})) used.add(key);
    }
    for (const name of used) if (!declared[name]) problems.push(`${dir}: provider "${name}" is used but not in required_providers`);
  }
  if (!Object.keys(Object.assign({}, ...terraformBlocks(files).flatMap((t) => t.body.required_providers ?? []))).includes('kubectl')) {
    problems.push('no kubectl provider (alekc/kubectl) declared: custom resources need a provider that plans without their CRDs');
  }
  for (const t of terraformBlocks(files)) {
    for (const rp of t.body.required_providers ?? []) {
      if (rp.kubectl && rp.kubectl.source !== 'alekc/kubectl') problems.push(`${t.where}: kubectl provider source is ${rp.kubectl.source}, want alekc/kubectl`);
    }
  }
  return problems;
}

const EXACT_VERSION = /^v?\d+\.\d+\.\d+$/;

/** A value that must be pinned: a literal matching `pattern`, or var.X with a validation and, in some root, a default matching `pattern`. */
function pinned(files, dir, value, pattern, where, what) {
  if (typeof value !== 'string' || value === '') return [`${where}: no ${what}`];
  const name = varRef(value);
  if (!name) {
    if (isExpr(value)) return [`${where}: ${what} ${value} is an expression, not a pinned value`];
    return pattern.test(value) ? [] : [`${where}: ${what} "${value}" is not pinned (${pattern})`];
  }
  const problems = [];
  const own = blocks(files, 'variable').find((v) => v.dir === dir && v.name === name);
  if (!own) return [`${where}: ${what} uses var.${name}, which ${dir} does not declare`];
  if (!own.body.validation) problems.push(`${own.where}: holds the ${what} of ${where} but has no validation`);
  const defaults = blocks(files, 'variable').filter((v) => v.name === name && v.body.default !== undefined);
  const tfvars = files.filter((f) => f.path.endsWith('.tfvars') && f.json[name] !== undefined);
  if (defaults.length === 0 && tfvars.length === 0) problems.push(`${where}: var.${name} has no pinned value in any root (default or .tfvars)`);
  for (const d of defaults) if (!pattern.test(String(d.body.default))) problems.push(`${d.where}: default ${JSON.stringify(d.body.default)} is not pinned (${pattern})`);
  for (const f of tfvars) if (!pattern.test(String(f.json[name]))) problems.push(`${f.path}: ${name} = ${JSON.stringify(f.json[name])} is not pinned (${pattern})`);
  return problems;
}

export function chartAndVersionPins(files) {
  const problems = [];
  const releases = resources(files, 'helm_release');
  if (releases.length === 0) problems.push('no helm_release');
  for (const r of releases) {
    problems.push(...pinned(files, r.dir, r.body.version, EXACT_VERSION, r.where, 'chart version'));
    if (!/^(https:\/\/|oci:\/\/)/.test(r.body.repository ?? '')) problems.push(`${r.where}: repository must be an https:// or oci:// chart repository`);
  }
  const clusters = resources(files, 'linode_lke_cluster');
  if (clusters.length === 0) problems.push('no linode_lke_cluster');
  for (const c of clusters) problems.push(...pinned(files, c.dir, c.body.k8s_version, /^1\.\d{2}$/, c.where, 'k8s_version'));
  // images: an exact tag, never latest
  for (const r of resources(files)) {
    const images = JSON.stringify(r.body).match(/"image":"[^"]*"/g) ?? [];
    for (const image of images) {
      const value = image.slice(9, -1);
      problems.push(...pinned(files, r.dir, value, /^[a-z0-9./-]+:\d+\.\d+\.\d+[a-z0-9.-]*$/, r.where, 'container image'));
    }
  }
  return problems;
}

// ---- 4. secrets: sensitive outputs, no secret defaults, no secret literals ---------------------------------------

export function sensitiveOutputs(files) {
  const problems = [];
  for (const o of blocks(files, 'output')) {
    const value = JSON.stringify(o.body.value ?? '');
    const secret = SECRET_NAME.test(o.name) || SECRET_VALUE.test(value);
    if (secret && o.body.sensitive !== true) problems.push(`${o.where}: holds a key, secret, token or kubeconfig but is not sensitive = true`);
  }
  return problems;
}

export function secretVariables(files) {
  const problems = [];
  for (const v of blocks(files, 'variable')) {
    if (!SECRET_NAME.test(v.name) && !/(token|secret|password)/i.test(v.name)) continue;
    if (v.body.default !== undefined) problems.push(`${v.where}: a secret variable has a default`);
    if (v.body.sensitive !== true) problems.push(`${v.where}: a secret variable is not sensitive = true`);
  }
  for (const f of files.filter((f) => f.path.endsWith('.tfvars'))) {
    for (const key of Object.keys(f.json)) {
      if (SECRET_NAME.test(key) || /(token|secret|password)/i.test(key)) problems.push(`${f.path}: sets ${key}; secrets come from the environment (TF_VAR_${key}), never a committed .tfvars`);
    }
  }
  return problems;
}

/** Secret-looking literals in the raw text of every .tf and .tfvars (comments included). */
const SECRET_LITERALS = [
  [/\b[\w-]*(password|passwd|token|secret|api[_-]?key|access[_-]?key|private[_-]?key|EDGE_KEY|SYNC_KEY)\b["']?\s*[=:]\s*"(?!\$\{)[^"\s]{6,}"/gi, 'a secret-named setting with a literal value'],
  [/AKIA[0-9A-Z]{16}/g, 'an AWS-style access key id'],
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----/g, 'a private key'],
  [/\b[0-9a-f]{64}\b/g, 'a 64-hex token (Linode personal access token shape)'],
  [/\b(client_secret|client_token|access_token)\s*=\s*[A-Za-z0-9+/=_-]{16,}/g, 'an .edgerc credential'],
  [/[a-z]+:\/\/[^\s"'$/@:]*:[^\s"'$@{}]+@/gi, 'a URL with a literal password'],
  [/Bearer\s+[A-Za-z0-9._~+/-]{20,}/g, 'a literal bearer token'],
];

export function secretLiterals(files) {
  const problems = [];
  for (const f of files) {
    f.text.split('\n').forEach((line, i) => {
      for (const [pattern, what] of SECRET_LITERALS) {
        pattern.lastIndex = 0;
        if (pattern.test(line)) problems.push(`${f.path}:${i + 1}: ${what}: ${line.trim()}`);
      }
    });
  }
  return problems;
}

// ---- 5. the Secrets of the contract, with generated values --------------------------------------------------------

const CONTRACT_SECRETS = {
  'edge-credentials': { keys: ['EDGE_KEY'], from: /^\$\{random_password\.\w+\.result\}$/ },
  'sync-credentials': { keys: ['SYNC_KEY'], from: /^\$\{random_password\.\w+\.result\}$/ },
  redis: { keys: ['url'], from: /^\$\{local\.redis_url\}$/ },
  trafficpeak: { keys: ['url', 'token'], from: /^\$\{var\.trafficpeak_(url|token)\}$/ },
  // Vector's (knative/observability/vector.yaml), beside it in namespace observability, not the functions'
  'trafficpeak-logs': { keys: ['url', 'token'], from: /^\$\{var\.trafficpeak_(url|token)\}$/, namespace: 'observability' },
};

/** The namespace expression of a platform namespace (platform.tf: kubernetes_namespace_v1.platform["<name>"]). */
const platformNamespace = (name) => `\${kubernetes_namespace_v1.platform["${name}"].metadata[0].name}`;

export function contractSecrets(files) {
  const problems = [];
  const inRegion = files.filter((f) => f.dir === 'modules/region');
  const secrets = resources(inRegion, 'kubernetes_secret_v1');
  const ns = resources(inRegion, 'kubernetes_namespace_v1').find((n) => first(n.body.metadata)?.name === '${local.namespace}');
  if (!ns) problems.push('modules/region: no kubernetes_namespace_v1 named local.namespace');
  if (locals(files, 'modules/region').namespace !== 'globalevents-${var.region}') problems.push('modules/region: local.namespace is not "globalevents-${var.region}"');
  for (const [name, spec] of Object.entries(CONTRACT_SECRETS)) {
    const matches = secrets.filter((s) => first(s.body.metadata)?.name === name);
    if (matches.length !== 1) { problems.push(`modules/region: ${matches.length} kubernetes_secret_v1 named "${name}" (want 1)`); continue; }
    const s = matches[0];
    const md = first(s.body.metadata);
    if (spec.namespace) {
      if (md.namespace !== platformNamespace(spec.namespace)) problems.push(`${s.where}: not in namespace ${spec.namespace} (kubernetes_namespace_v1.platform["${spec.namespace}"])`);
      const platform = resources(inRegion, 'kubernetes_namespace_v1').find((n) => n.name === 'platform');
      if (!platform || !String(platform.body.for_each ?? '').includes(`"${spec.namespace}"`)) problems.push(`modules/region: kubernetes_namespace_v1.platform does not create namespace ${spec.namespace}`);
    } else if (!ns || md.namespace !== `\${kubernetes_namespace_v1.${ns.name}.metadata[0].name}`) problems.push(`${s.where}: not in the region's namespace globalevents-<region>`);
    if (JSON.stringify(Object.keys(s.body.data ?? {}).sort()) !== JSON.stringify([...spec.keys].sort())) problems.push(`${s.where}: keys ${Object.keys(s.body.data ?? {}).join(', ')}, want ${spec.keys.join(', ')}`);
    for (const key of spec.keys) if (!spec.from.test(s.body.data?.[key] ?? '')) problems.push(`${s.where}: ${key} = ${s.body.data?.[key]} does not come from ${spec.from}`);
  }
  for (const s of secrets.filter((s) => /^(edge|sync)-credentials$/.test(first(s.body.metadata)?.name))) {
    for (const value of Object.values(s.body.data ?? {})) {
      const pw = value.match(/random_password\.(\w+)\.result/);
      const r = pw && resources(inRegion, 'random_password').find((p) => p.name === pw[1]);
      if (!r) problems.push(`${s.where}: ${value} is not a random_password of the module`);
      else if (!(Number(r.body.length) >= 32)) problems.push(`${r.where}: length ${r.body.length}, want at least 32`);
    }
  }
  const url = locals(files, 'modules/region').redis_url ?? '';
  if (!/^redis:\/\/.*\$\{random_password\.\w+\.result\}@/.test(url)) problems.push('modules/region: local.redis_url is not redis://...:<random_password>@host');
  return problems;
}

// ---- 6. tags and labels with environment and region ---------------------------------------------------------------

function tagsOk(files, dir, tags) {
  let value = tags;
  const name = localRef(tags);
  if (name) value = locals(files, dir)[name];
  if (!Array.isArray(value)) return false;
  return value.some((t) => /^env:/.test(t)) && value.some((t) => /^region:/.test(t));
}

function labelsOk(files, dir, labels, depth = 0) {
  if (labels && typeof labels === 'object' && !Array.isArray(labels)) {
    return 'globalevents.dev/environment' in labels && 'globalevents.dev/region' in labels;
  }
  if (typeof labels !== 'string' || depth > 3) return false;
  const name = localRef(labels) ?? labels.match(/^\$\{merge\(local\.(\w+)\b/)?.[1];
  return name ? labelsOk(files, dir, locals(files, dir)[name], depth + 1) : false;
}

export function tagsAndLabels(files) {
  const problems = [];
  for (const r of resources(files).filter((r) => TAGGABLE.has(r.type))) {
    if (!tagsOk(files, r.dir, r.body.tags)) problems.push(`${r.where}: tags must include env:<environment> and region:<region> (got ${JSON.stringify(r.body.tags)})`);
    for (const pool of r.body.pool ?? []) if (!tagsOk(files, r.dir, pool.tags)) problems.push(`${r.where}: pool tags must include env: and region:`);
  }
  for (const r of resources(files).filter((r) => r.type.startsWith('kubernetes_') && r.body.metadata)) {
    if (!labelsOk(files, r.dir, first(r.body.metadata).labels)) problems.push(`${r.where}: metadata.labels must carry globalevents.dev/environment and globalevents.dev/region`);
  }
  for (const r of resources(files, 'kubectl_manifest')) {
    if (!/\blabels\s*=\s*local\.labels\b/.test(r.body.yaml_body ?? '')) problems.push(`${r.where}: the manifest's metadata.labels must be local.labels`);
  }
  return problems;
}

// ---- 7. variables and outputs documented; enumerations validated -------------------------------------------------

export function variablesAndOutputs(files) {
  const problems = [];
  for (const v of blocks(files, 'variable')) {
    if (typeof v.body.description !== 'string' || v.body.description.trim().length < 10) problems.push(`${v.where}: no description`);
    if (!v.body.type) problems.push(`${v.where}: no type`);
    if (ENUMERATED.test(v.name) && !v.body.validation) problems.push(`${v.where}: an enumerated or formatted variable without validation`);
  }
  for (const o of blocks(files, 'output')) {
    if (typeof o.body.description !== 'string' || o.body.description.trim().length < 10) problems.push(`${o.where}: no description`);
  }
  return problems;
}

/** The outputs the gateway and CI consume, in every environment root. */
export function consumedOutputs(files) {
  const problems = [];
  const want = {
    EDGE_URLS: false, EDGE_KEYS: true, SYNC_KEYS: true, kubeconfigs: true, gtm_hostname: false, clusters: false,
  };
  for (const root of rootDirs(files)) {
    const outputs = blocks(files, 'output').filter((o) => o.dir === root);
    for (const [name, sensitive] of Object.entries(want)) {
      const o = outputs.find((x) => x.name === name);
      if (!o) { problems.push(`${root}: no output "${name}"`); continue; }
      if ((o.body.sensitive === true) !== sensitive) problems.push(`${o.where}: sensitive must be ${sensitive}`);
    }
    for (const name of ['EDGE_URLS', 'EDGE_KEYS', 'SYNC_KEYS']) {
      const o = outputs.find((x) => x.name === name);
      if (o && !/^\$\{jsonencode\(/.test(o.body.value ?? '')) problems.push(`${o.where}: must be a JSON object (jsonencode) region -> value`);
    }
    const clusters = outputs.find((x) => x.name === 'clusters');
    if (clusters && !(/\bid\b/.test(clusters.body.value) && /\blabel\b/.test(clusters.body.value))) problems.push(`${clusters.where}: must give each region's cluster id and label`);
  }
  return problems;
}

// ---- 8. remote state in Object Storage ---------------------------------------------------------------------------

export function backends(files) {
  const problems = [];
  for (const root of rootDirs(files)) {
    const withBackend = terraformBlocks(files).filter((t) => t.dir === root && t.body.backend);
    const s3 = withBackend.flatMap((t) => (t.body.backend.s3 ?? []).map((b) => ({ where: t.where, b })));
    if (s3.length !== 1) { problems.push(`${root}: ${s3.length} backend "s3" blocks (want 1)`); continue; }
    const { where, b } = s3[0];
    if (!b.bucket || !b.key) problems.push(`${where}: backend "s3" needs bucket and key`);
    if (!/^https:\/\/[a-z0-9-]+\.linodeobjects\.com$/.test(b.endpoints?.s3 ?? '')) problems.push(`${where}: backend "s3" endpoints.s3 must be a Linode Object Storage endpoint (https://<cluster>.linodeobjects.com)`);
    for (const flag of ['skip_credentials_validation', 'skip_region_validation', 'skip_requesting_account_id']) {
      if (b[flag] !== true) problems.push(`${where}: backend "s3" needs ${flag} = true for Linode Object Storage`);
    }
    for (const k of ['access_key', 'secret_key', 'token']) if (b[k] !== undefined) problems.push(`${where}: backend "s3" sets ${k}; keys come from the environment`);
  }
  return problems;
}

// ---- 9. the CRD pitfall --------------------------------------------------------------------------------------------

export function customResources(files) {
  const problems = [];
  for (const r of resources(files, 'kubernetes_manifest')) problems.push(`${r.where}: kubernetes_manifest needs the CRD at plan time; use kubectl_manifest`);
  const kinds = resources(files, 'kubectl_manifest').map((r) => (r.body.yaml_body ?? '').match(/kind\s*=\s*"(\w+)"/)?.[1]);
  for (const kind of ['KnativeServing', 'KnativeEventing', 'ClusterIssuer', 'ClusterDomainClaim']) {
    if (!kinds.includes(kind)) problems.push(`no kubectl_manifest of kind ${kind}`);
  }
  const eventing = resources(files, 'kubectl_manifest').find((r) => /kind\s*=\s*"KnativeEventing"/.test(r.body.yaml_body ?? ''));
  for (const file of ['eventing-kafka-controller.yaml', 'eventing-kafka-broker.yaml']) {
    if (eventing && !eventing.body.yaml_body.includes(`/releases/download/\${var.kafka_broker_version}/${file}`)) problems.push(`${eventing.where}: KnativeEventing without the Kafka broker's ${file} (spec.additionalManifests)`);
  }
  const serving = resources(files, 'kubectl_manifest').find((r) => /kind\s*=\s*"KnativeServing"/.test(r.body.yaml_body ?? ''));
  if (serving && !/kourier/.test(serving.body.yaml_body)) problems.push(`${serving.where}: KnativeServing without Kourier`);
  const charts = resources(files, 'helm_release').map((r) => r.body.chart);
  for (const chart of ['knative-operator', 'strimzi-kafka-operator', 'cert-manager']) {
    if (!charts.includes(chart)) problems.push(`no helm_release of chart ${chart}`);
  }
  return problems;
}

// ---- 9b. tracing: Knative's config-observability through the operator --------------------------------------------

/** The OTLP/HTTP address of the collector in knative/observability (otel-collector.yaml: Service, port otlp-http). */
export const TRACING_ENDPOINT = 'http://otel-collector.observability.svc.cluster.local:4318/v1/traces';

export function knativeTracing(files) {
  const problems = [];
  const config = locals(files, 'modules/region').knative_observability;
  if (!config) return ['modules/region: no local.knative_observability (Knative\'s config-observability)'];
  if (config['tracing-protocol'] !== 'http/protobuf') problems.push(`modules/region: local.knative_observability tracing-protocol is ${JSON.stringify(config['tracing-protocol'])}, want "http/protobuf" (Knative >= 1.19 exports OTLP only)`);
  if (config['tracing-endpoint'] !== TRACING_ENDPOINT) problems.push(`modules/region: local.knative_observability tracing-endpoint is ${JSON.stringify(config['tracing-endpoint'])}, want ${TRACING_ENDPOINT}`);
  // 0 or unset is NeverSample (clears the caller's sampled flag), >= 1 AlwaysSample; only (0, 1) is parent-based
  const rate = Number(config['tracing-sampling-rate']);
  if (!(typeof config['tracing-sampling-rate'] === 'string' && rate > 0 && rate < 1)) problems.push(`modules/region: local.knative_observability tracing-sampling-rate is ${JSON.stringify(config['tracing-sampling-rate'])}, want a string strictly between 0 and 1 (parent-based sampling)`);
  for (const kind of ['KnativeServing', 'KnativeEventing']) {
    const r = resources(files, 'kubectl_manifest').find((m) => new RegExp(`kind\\s*=\\s*"${kind}"`).test(m.body.yaml_body ?? ''));
    if (r && !/\bobservability\s*=\s*local\.knative_observability\b/.test(r.body.yaml_body)) problems.push(`${r.where}: ${kind} without spec.config.observability = local.knative_observability`);
  }
  return problems;
}

// ---- 10. Redis: persistence on retained Block Storage, backups to a bucket per region ----------------------------

export function redisPersistence(files) {
  const problems = [];
  const sets = resources(files, 'kubernetes_stateful_set_v1').filter((s) => s.name === 'redis');
  if (sets.length !== 1) problems.push(`${sets.length} kubernetes_stateful_set_v1 "redis" (want 1)`);
  for (const s of sets) {
    const claim = first(first(s.body.spec)?.volume_claim_template);
    if (first(claim?.spec)?.storage_class_name !== 'linode-block-storage-retain') problems.push(`${s.where}: the data volume's storage class must be linode-block-storage-retain`);
    const conf = locals(files, s.dir).redis_conf ?? '';
    if (!/^\s*appendonly yes\s*$/m.test(conf)) problems.push(`${s.dir}: local.redis_conf does not turn on the AOF (appendonly yes)`);
  }
  const buckets = resources(files, 'linode_object_storage_bucket');
  if (buckets.length === 0) problems.push('no linode_object_storage_bucket for the backups');
  for (const b of buckets) if (b.body.region !== '${var.object_storage_region}') problems.push(`${b.where}: region must be var.object_storage_region`);
  const keys = resources(files, 'linode_object_storage_key');
  for (const k of keys) {
    const access = first(k.body.bucket_access);
    if (!access || !/linode_object_storage_bucket\./.test(access.bucket_name ?? '')) problems.push(`${k.where}: the key must be scoped to the backup bucket (bucket_access)`);
  }
  if (keys.length === 0) problems.push('no linode_object_storage_key scoped to the backup bucket');
  const jobs = resources(files, 'kubernetes_cron_job_v1');
  if (!jobs.some((j) => /redis-cli.*?--rdb/.test(JSON.stringify(j.body)) && /aws s3 cp|s3:\/\//.test(JSON.stringify(j.body)))) problems.push('no kubernetes_cron_job_v1 that snapshots Redis (redis-cli --rdb) and copies it to the bucket');
  for (const root of rootDirs(files)) {
    const regions = blocks(files, 'variable').find((v) => v.dir === root && v.name === 'regions');
    const placement = regions?.body.default;
    if (!placement) { problems.push(`${root}: variable "regions" has no default placement`); continue; }
    if (placement['eu-west']?.object_storage_region !== 'gb-lon') problems.push(`${regions.where}: eu-west (London, no Object Storage) must back up to gb-lon`);
    for (const r of REGIONS) if (!placement[r]) problems.push(`${regions.where}: no placement for ${r}`);
  }
  return problems;
}

// ---- 11. global: DNS per edge, GTM over the three edges ---------------------------------------------------------

export function globalTraffic(files) {
  const problems = [];
  if (resources(files, 'linode_domain').length !== 1) problems.push('want exactly one linode_domain');
  const edgeRecords = resources(files, 'linode_domain_record').filter((r) => r.body.record_type === 'A');
  if (!edgeRecords.some((r) => r.body.for_each && r.body.name === 'edge.${each.key}')) problems.push('no linode_domain_record A "edge.<region>" for each edge');
  if (resources(files, 'akamai_gtm_domain').length !== 1) problems.push('want exactly one akamai_gtm_domain');
  const dcs = resources(files, 'akamai_gtm_datacenter');
  for (const region of REGIONS) {
    if (!dcs.some((d) => (d.body.nickname ?? '').endsWith(region))) problems.push(`no akamai_gtm_datacenter for ${region}`);
  }
  const props = resources(files, 'akamai_gtm_property');
  if (props.length !== 1) problems.push(`${props.length} akamai_gtm_property (want 1, over the three edges)`);
  for (const p of props) {
    for (const field of ['score_aggregation_type', 'handout_limit', 'handout_mode', 'type']) if (p.body[field] === undefined) problems.push(`${p.where}: no ${field}`);
    const targets = p.body.traffic_target?.length ?? 0;
    const dynamicTargets = first(p.body.dynamic?.traffic_target);
    if (!(targets === 3 || dynamicTargets?.for_each === '${var.edges}')) problems.push(`${p.where}: traffic targets must cover the three edges`);
    const tests = p.body.liveness_test ?? [];
    if (tests.length === 0) problems.push(`${p.where}: no liveness_test`);
    for (const t of tests) {
      if (t.test_object_protocol !== 'HTTPS' || t.test_object_port !== 443 || t.test_object !== '/healthz') problems.push(`${p.where}: liveness_test "${t.name}" must be GET /healthz over HTTPS 443`);
      if (!(t.test_interval >= 10) || !t.test_timeout) problems.push(`${p.where}: liveness_test "${t.name}" needs test_interval >= 10 and test_timeout`);
    }
  }
  return problems;
}

/** Every check, by name (the tests iterate over this). */
export const CHECKS = {
  regionModules,
  firewalls,
  providerPins,
  chartAndVersionPins,
  sensitiveOutputs,
  secretVariables,
  secretLiterals,
  contractSecrets,
  tagsAndLabels,
  variablesAndOutputs,
  consumedOutputs,
  backends,
  customResources,
  knativeTracing,
  redisPersistence,
  globalTraffic,
};
