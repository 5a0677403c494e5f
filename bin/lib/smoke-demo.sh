#!/usr/bin/env bash
# Runs the README's first command for real: `bin/portcullis demo` starts, serves the demo tools to support-bot over
# MCP, refuses a call outside its grants, and leaves an audit log that verifies. Called by bin/test after the build.
set -euo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
DATA="$(mktemp -d)"
LOG="$DATA/demo.log"
cleanup() {
  [ -n "${DEMO_PID:-}" ] && kill "$DEMO_PID" 2>/dev/null && wait "$DEMO_PID" 2>/dev/null
  rm -rf "$DATA"
}
trap cleanup EXIT
fail() { echo "demo smoke test: $*" >&2; sed 's/pcl_[A-Za-z0-9_-]*/pcl_…/g' "$LOG" >&2 || true; exit 1; }

command -v curl >/dev/null || { echo "demo smoke test: curl is needed (apt-get install curl)" >&2; exit 1; }
"$ROOT/bin/portcullis" --help >/dev/null || fail "bin/portcullis --help failed"
"$ROOT/bin/portcullis" demo --port 0 --data "$DATA/state" >"$LOG" 2>&1 &
DEMO_PID=$!
for _ in $(seq 1 120); do
  grep -q 'MCP endpoint' "$LOG" && break
  kill -0 "$DEMO_PID" 2>/dev/null || fail "bin/portcullis demo exited before listening"
  sleep 1
done
URL="$(sed -n 's/^ *MCP endpoint *\(http[^ ]*\).*/\1/p' "$LOG" | head -n 1)"
KEY="$(sed -n 's/^ *support-bot *\(pcl_[^ ]*\).*/\1/p' "$LOG" | head -n 1)"
[ -n "$URL" ] && [ -n "$KEY" ] || fail "the demo did not print its endpoint and support-bot's key within 120 s"

mcp() { # METHOD PARAMS-JSON
  curl -s --max-time 30 "$URL" -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \
    -H 'Accept: application/json, text/event-stream' -H 'MCP-Protocol-Version: 2026-07-28' -H "Mcp-Method: $1" \
    ${3:+-H "Mcp-Name: $3"} \
    -d "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"$1\",\"params\":$2}"
}
META='"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}}'
LIST="$(mcp tools/list "{$META}")"
grep -q '"acme.crm_search"' <<<"$LIST" || fail "tools/list did not list acme.crm_search: $LIST"
if grep -q '"acme.billing_refund"' <<<"$LIST"; then fail "support-bot was shown acme.billing_refund"; fi
DENIED="$(mcp tools/call "{\"name\":\"acme.billing_refund\",\"arguments\":{\"customer_id\":\"c1\",\"amount\":5},$META}" \
  acme.billing_refund)"
grep -q '"isError":true' <<<"$DENIED" && grep -q 'Denied by Portcullis.*rule default-deny' <<<"$DENIED" \
  || fail "a refund by support-bot was not refused by default-deny: $DENIED"
kill "$DEMO_PID" && wait "$DEMO_PID" 2>/dev/null || true
DEMO_PID=
"$ROOT/bin/portcullis" audit verify --db "$DATA/state/audit.db" >/dev/null || fail "audit verify failed on the demo's log"
echo "demo smoke test: bin/portcullis demo served support-bot, refused a refund, and its audit log verifies"
