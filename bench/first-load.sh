#!/usr/bin/env bash
# First load of a policy of thousands of grants in a fresh JVM, the way bin/portcullis starts one: for each policy of
# ConditionHeavyPolicy and each variant, ROUNDS fresh JVMs (variants interleaved, so that a busy machine hurts all
# alike), then the median load time, process CPU time and JVM age at the start of the load.
#
# Usage: bench/first-load.sh [ROUNDS] [POLICY...]      (after `mvn -pl bench,cli -am package -DskipTests`)
#   BEFORE=DIR also runs the variants against the jars in DIR (a copy of an older cli/target/lib plus the cli jar).
# Variants: "policy check" runs C1 alone (-XX:TieredStopAtLevel=1), "serve" the default JIT; "cache" adds the JVM's
# start-up cache that bin/portcullis makes (bin/lib/jvm-cache.sh).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$ROOT/bin/lib/jdk.sh"
portcullis_find_jdk
. "$ROOT/bin/lib/jvm-cache.sh"
ROUNDS="${1:-5}"
shift || true
POLICIES=("$@")
[ ${#POLICIES[@]} -gt 0 ] || POLICIES=(COMMON-5000 ARITHMETIC-5000 CEL_ONLY-5000 MIXED-5000 MIXED-2000)
DIR="$ROOT/bench/target/first-load"
JAVA="$JAVA_HOME/bin/java"
PROBE="$ROOT/bench/target/classes"
"$JAVA" -cp "$PROBE:$(cat "$ROOT/bench/target/classpath.txt")" dev.portcullis.bench.policy.FirstLoad write "$DIR"
CP="$ROOT/cli/target/portcullis-cli-0.1.0-SNAPSHOT.jar:$ROOT/cli/target/lib/*"
mapfile -t CACHE < <(portcullis_jvm_cache_flags "$ROOT/cli/target/jvm-cache" "$CP" dev.portcullis.cli.Main \
  policy check "$ROOT/bin/lib/jvm-training-policy.yaml")
[ ${#CACHE[@]} -gt 0 ] || echo "(no start-up cache on this JDK: the cache variants run without one)" >&2

# name|class path|JVM options
VARIANTS=()
if [ -n "${BEFORE:-}" ]; then
  VARIANTS+=("before, policy check|$BEFORE/*|-XX:TieredStopAtLevel=1" "before, serve|$BEFORE/*|")
fi
VARIANTS+=("policy check, no cache|$CP|-XX:TieredStopAtLevel=1" "policy check, cache|$CP|-XX:TieredStopAtLevel=1 ${CACHE[*]}"
  "serve, no cache|$CP|" "serve, cache|$CP|${CACHE[*]}")

OUT="$DIR/results.txt"
: >"$OUT"
for policy in "${POLICIES[@]}"; do
  for round in $(seq "$ROUNDS"); do
    for v in "${VARIANTS[@]}"; do
      IFS='|' read -r name cp opts <<<"$v"
      # shellcheck disable=SC2086
      line="$("$JAVA" --enable-native-access=ALL-UNNAMED $opts -Xms1g -Xmx1g -cp "$cp:$PROBE" \
        dev.portcullis.bench.policy.FirstLoad load "$DIR/$policy.yaml" 2>/dev/null)"
      echo "$policy|$name|$line" >>"$OUT"
    done
  done
  echo "[first-load] $policy done ($(uptime | sed 's/.*load average/load average/'))" >&2
done

median() { sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print int((a[NR/2]+a[NR/2+1])/2)}'; }
printf '%-16s %-24s %10s %10s %12s\n' policy variant load_ms cpu_ms jvm_age_ms
for policy in "${POLICIES[@]}"; do
  for v in "${VARIANTS[@]}"; do
    name="${v%%|*}"
    rows="$(grep -F "$policy|$name|" "$OUT" || true)"
    l=$(sed -n 's/.*load_ms=\([0-9]*\).*/\1/p' <<<"$rows" | median)
    c=$(sed -n 's/.*cpu_ms=\([0-9]*\).*/\1/p' <<<"$rows" | median)
    a=$(sed -n 's/.*jvm_age_ms=\([0-9]*\).*/\1/p' <<<"$rows" | median)
    printf '%-16s %-24s %10s %10s %12s\n' "$policy" "$name" "$l" "$c" "$a"
  done
done
