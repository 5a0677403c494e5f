#!/usr/bin/env bash
# Reproduces every number in docs/benchmarks.md: builds Portcullis, then runs (with progress output)
#   1. the JMH decision benchmark, Portcullis against Cedar on the same generated policy and requests,
#   2. Cedar's binding floor and the per-call token (mint, verify),
#   3. the gateway-overhead load table (direct vs through Portcullis, 2026 and 2025 wire, fixed rates and clients;
#      Portcullis with a stdio upstream against the plain proxies mcp-proxy and supergateway fronting the same
#      stdio server, on both wires), start-up time, memory per 1,000 sessions (the gateway's heap, and the process
#      tree of Portcullis and of each plain proxy), a JFR profile and a perf profile of the gateway under load,
#      what each kind of thread of the gateway and the fixture costs a lone call, and the system calls per call of
#      the gateway and of two bare relays (Jetty, and plain sockets: the floor of any gateway on this machine),
# and writes bench/results/summary.md (plus CSV, logs and latency-vs-load.png). Under ten minutes on 2 cores.
# Installs Node 22 and the plain proxies (bench/js/install.sh) on first use.
#
# Usage: bench/run.sh [--quick] [--update-docs] [Bench options, e.g. --skip-load or --load-args "--rounds 2"]
#   --quick        short phases (a smoke run, about 4 minutes with --skip-jmh; numbers are rough)
#   --full         the published run: three rounds of the load table, longer profiles (about 25 minutes)
#   --update-docs  copy the chart to docs/benchmarks-latency-vs-load.png afterwards
#   --categories   also time Portcullis decisions per kind of request (adds ~2 minutes)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=../bin/lib/jdk.sh
. "$ROOT/bin/lib/jdk.sh"
portcullis_find_jdk

UPDATE_DOCS=0
LOAD=1
ARGS=()
for arg in "$@"; do
  case "$arg" in
    --update-docs) UPDATE_DOCS=1 ;;
    --skip-load) LOAD=0; ARGS+=("$arg") ;;
    *) ARGS+=("$arg") ;;
  esac
done

cd "$ROOT"
echo "[bench] JDK: $("$JAVA_HOME/bin/java" -version 2>&1 | head -n 1)"
echo "[bench] building (mvn -pl bench -am package, tests skipped) ..."
mvn -q -B -pl bench -am package -DskipTests dependency:build-classpath \
  -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime
CP="$ROOT/bench/target/classes:$(cat "$ROOT/bench/target/classpath.txt")"
NODE_PROPS=()
if [ "$LOAD" = 1 ]; then
  echo "[bench] installing Node 22 and the plain proxies (bench/js/install.sh; nothing to do when installed) ..."
  NODE="$("$ROOT/bench/js/install.sh")"
  echo "[bench] Node: $NODE ($("$NODE" --version)); mcp-proxy and supergateway in bench/js/node_modules"
  NODE_PROPS=(-Dportcullis.node="$NODE" -Dportcullis.bench.js="$ROOT/bench/js")
fi
OUT="$ROOT/bench/results"
mkdir -p "$OUT"
echo "[bench] running; results go to $OUT"
"$JAVA_HOME/bin/java" -Xms1g -Xmx1g --enable-native-access=ALL-UNNAMED \
  -Dslf4j.provider=org.slf4j.helpers.NOP_FallbackServiceProvider ${NODE_PROPS[@]+"${NODE_PROPS[@]}"} \
  -cp "$CP" dev.portcullis.bench.run.Bench --out "$OUT" ${ARGS[@]+"${ARGS[@]}"}
if [ "$UPDATE_DOCS" = 1 ] && [ -f "$OUT/latency-vs-load.png" ]; then
  cp "$OUT/latency-vs-load.png" "$ROOT/docs/benchmarks-latency-vs-load.png"
  echo "[bench] copied the chart to docs/benchmarks-latency-vs-load.png"
fi
echo "[bench] summary: $OUT/summary.md"
