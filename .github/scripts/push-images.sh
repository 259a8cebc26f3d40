#!/usr/bin/env bash
# Pushes every function's image with Jib and writes what a release is made of (docs/release.md). Run after
# `make build` (the images workflow does; by hand the same way, with the registry's credentials in Docker's config):
#
#   IMAGE_REGISTRY=ghcr.io/acme/globalevents IMAGE_TAG=$(git rev-parse HEAD) .github/scripts/push-images.sh [out dir]
#
# The out dir (default target/release) then holds:
#   images.env            <function>=<registry>/<function>@sha256:<digest> per function: what
#                         knative/canary/release-region.sh deploys
#   images.json           the same as [{"function","image","digest"}], for the attestations
#   sbom/<function>.json  a CycloneDX SBOM of each function (its jar's Maven dependencies; not the base image's packages)
#   canary.jar            the canary analysis the deploy runs (built by make build)
# Registry credentials: Docker's config (~/.docker/config.json), where Jib reads them (.github/scripts/registry-login.sh).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
# the function images: the modules with the Jib plugin, each image named <registry>/<module> (root pom, image.*)
FUNCTIONS=(validate aggregate generate export-metrics quarantine edge)
# SBOMs: the CycloneDX Maven plugin as a CLI goal (it needs Maven online, so it is not part of make build or make test)
CYCLONEDX=org.cyclonedx:cyclonedx-maven-plugin:2.9.3
: "${IMAGE_REGISTRY:?set IMAGE_REGISTRY, e.g. ghcr.io/acme/globalevents}"
: "${IMAGE_TAG:?set IMAGE_TAG, the commit SHA the images are built from}"
out=${1:-$ROOT/target/release}

# the images carry the Java runtime make build linked from this machine's JDK (functions/java-runtime.sh)
[ "$(uname -sm)" = "Linux x86_64" ] || { echo "push-images: build the images on Linux x86-64 (the nodes' platform), not $(uname -sm)" >&2; exit 1; }
canary_jar=knative/canary/target/canary.jar
[ -f "$canary_jar" ] || { echo "push-images: $canary_jar is missing: run make build first" >&2; exit 1; }

modules=$(printf 'functions/%s,' "${FUNCTIONS[@]}")
modules=${modules%,}
# the same goal docs/deploy.md runs per function (./mvnw -pl functions/<f> jib:build -Dimage.registry=… -Dimage.tag=…),
# for all six in one Maven run, and each function's SBOM
./mvnw -B -ntp -pl "$modules" jib:build "$CYCLONEDX:makeBom" \
  -Dimage.registry="$IMAGE_REGISTRY" -Dimage.tag="$IMAGE_TAG" -DoutputFormat=json -DoutputName=bom -DprojectType=application

rm -rf "$out"
mkdir -p "$out/sbom"
cp "$canary_jar" "$out/canary.jar"
for f in "${FUNCTIONS[@]}"; do
  cp "functions/$f/target/bom.json" "$out/sbom/$f.json"
done
# Jib writes target/jib-image.json per module: the image it pushed (with its tag) and the digest
python3 - "$out" "${FUNCTIONS[@]}" <<'PY'
import json, sys
out, functions = sys.argv[1], sys.argv[2:]
images = []
for function in functions:
    with open(f"functions/{function}/target/jib-image.json") as file:
        jib = json.load(file)
    image, digest = jib["image"], jib["imageDigest"]
    if image.rfind(":") > image.rfind("/"):
        image = image[:image.rfind(":")]
    if not digest.startswith("sha256:") or len(digest) != 71:
        sys.exit(f"push-images: {function}: not a sha256 digest: {digest}")
    images.append({"function": function, "image": image, "digest": digest})
with open(f"{out}/images.json", "w") as file:
    json.dump(images, file)
with open(f"{out}/images.env", "w") as file:
    for entry in images:
        file.write(f"{entry['function']}={entry['image']}@{entry['digest']}\n")
PY

cat "$out/images.env"
if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  {
    echo "### Images ($IMAGE_TAG)"
    echo
    echo "| function | image |"
    echo "| --- | --- |"
    while IFS='=' read -r function ref; do echo "| $function | \`$ref\` |"; done < "$out/images.env"
  } >> "$GITHUB_STEP_SUMMARY"
fi
if [ -n "${GITHUB_OUTPUT:-}" ]; then
  echo "images=$(cat "$out/images.json")" >> "$GITHUB_OUTPUT"
fi
