#!/usr/bin/env bash
# Puts the registry's credentials into Docker's config (${DOCKER_CONFIG:-~/.docker}/config.json), where Jib and
# actions/attest read them; no Docker CLI or daemon needed. The password comes from the environment only.
#
#   IMAGE_REGISTRY=ghcr.io/acme/globalevents REGISTRY_USERNAME=… REGISTRY_PASSWORD=… .github/scripts/registry-login.sh
set -euo pipefail

: "${IMAGE_REGISTRY:?set IMAGE_REGISTRY, e.g. ghcr.io/acme/globalevents}"
: "${REGISTRY_USERNAME:?set REGISTRY_USERNAME}"
: "${REGISTRY_PASSWORD:?set REGISTRY_PASSWORD}"
export REGISTRY_HOST=${IMAGE_REGISTRY%%/*}
dir=${DOCKER_CONFIG:-$HOME/.docker}
mkdir -p "$dir"
umask 077
python3 - "$dir/config.json" <<'PY'
import base64, json, os, sys
path = sys.argv[1]
config = {}
if os.path.exists(path):
    with open(path) as file:
        config = json.load(file)
token = f"{os.environ['REGISTRY_USERNAME']}:{os.environ['REGISTRY_PASSWORD']}".encode()
config.setdefault("auths", {})[os.environ["REGISTRY_HOST"]] = {"auth": base64.b64encode(token).decode()}
with open(path, "w") as file:
    os.chmod(path, 0o600)
    json.dump(config, file)
PY
echo "registry-login: credentials for $REGISTRY_HOST in $dir/config.json"
