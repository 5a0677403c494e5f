#!/usr/bin/env bash
# Installs what the load harness needs to measure the plain MCP proxies: Node 22 (into testing/js, via
# bin/lib/node.sh, as bin/test does) and mcp-proxy and supergateway at the versions pinned in bench/js/package.json
# and package-lock.json (into bench/js/node_modules). Idempotent: returns at once when both are in place.
# Prints progress on stderr; on stdout, the Node 22 binary's path (for the caller).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
JS="$ROOT/bench/js"
# shellcheck source=../../bin/lib/node.sh
. "$ROOT/bin/lib/node.sh"
portcullis_npm_install >&2
stamp="$JS/node_modules/.portcullis-installed"
want="$(cat "$JS/package.json" "$JS/package-lock.json" | sha256sum | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "portcullis: installing the plain MCP proxies (mcp-proxy, supergateway) into $JS/node_modules ..." >&2
  (cd "$JS" && npm ci --no-audit --no-fund --loglevel=error >&2) || {
    echo "portcullis: 'npm ci' failed in $JS; run it by hand to see why." >&2; exit 1; }
  echo "$want" > "$stamp"
fi
echo "$PORTCULLIS_NODE"
