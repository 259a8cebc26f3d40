#!/usr/bin/env bash
# Posts a binary-mode CloudEvent, read as an HTTP response (curl -i output) on stdin, to the URL given: what a
# Knative broker does with a function's reply. Until the local broker exists, this wires validate to aggregate.
set -euo pipefail
url=${1:?usage: local/forward.sh URL < curl-i-output}
headers=(); body=""; in_body=0
while IFS= read -r line || [ -n "$line" ]; do
  line=${line%$'\r'}
  if [ $in_body -eq 1 ]; then body+="$line"; continue; fi
  if [ -z "$line" ]; then in_body=1; continue; fi
  case "${line,,}" in
    ce-*|content-type:*) headers+=(-H "$line") ;;
  esac
done
[ -n "$body" ] || { echo "no CloudEvent in the input (a duplicate or a rejection has no body)" >&2; exit 1; }
curl -sS -i "${headers[@]}" --data-binary "$body" "$url"
