# The JVM's start-up cache for the CLI: classes already parsed, linked and (JDK 25+) profiled, so that a fresh
# `portcullis serve` or `policy check` spends its first second loading the policy rather than loading classes.
# Sourced by bin/portcullis (and by the cli module's JvmCacheScriptTest).
#
#   portcullis_jvm_cache_flags DIR CLASSPATH MAIN [TRAINING ARGS...]
#
# prints the java options that use the cache kept in DIR for this JDK and these jars, creating it first when missing:
#   - JDK 25 and newer: an AOT cache (-XX:AOTCache), made by one training run of MAIN with TRAINING ARGS;
#   - JDK 21 to 24: a dynamic CDS archive (-XX:SharedArchiveFile with -XX:+AutoCreateSharedArchive), which the JVM
#     writes itself when the first command exits.
# The file's name carries the JDK (its release file and path) and the jars (names, sizes, times), so a new JDK or a
# rebuild gets a new cache and never a stale one. A cache that is still unusable (damaged, say) only costs its benefit:
# the JVM runs without it and says nothing. A training run that fails leaves no cache and prints no flags.
# PORTCULLIS_JVM_CACHE=off disables the cache; =cds forces the dynamic archive (for tests on JDK 25).

portcullis_jvm_cache_flags() {
  local dir="$1" cp="$2" main="$3"
  shift 3
  local mode="${PORTCULLIS_JVM_CACHE:-auto}"
  [ "$mode" = off ] && return 0
  local java="$JAVA_HOME/bin/java" release="$JAVA_HOME/release" version major key
  [ -f "$release" ] || return 0
  version="$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$release")"
  major="${version%%.*}"
  case "$major" in '' | *[!0-9]*) return 0 ;; esac
  [ "$major" -ge 21 ] || return 0
  # The JDK and every jar on the class path, by name, size and time: any change names another cache.
  key="$( ( cat "$release"; echo "$JAVA_HOME"; IFS=:; for entry in $cp; do
            case "$entry" in *'*') stat -c '%n %s %Y' "${entry%\*}"*.jar ;; *) stat -c '%n %s %Y' "$entry" ;; esac
          done ) 2>/dev/null | cksum | cut -d ' ' -f 1)"
  mkdir -p "$dir" 2>/dev/null || return 0
  if [ "$major" -ge 25 ] && [ "$mode" != cds ]; then
    local cache="$dir/portcullis-jdk$major-$key.aot"
    if [ ! -s "$cache" ] && [ ! -e "$cache.failed" ]; then
      echo "portcullis: preparing the JVM's start-up cache for this build and JDK (once; a few seconds)..." >&2
      local tmp="$cache.$$.tmp"
      if "$java" -XX:AOTCacheOutput="$tmp" -Xlog:aot=off -Xlog:cds=off --enable-native-access=ALL-UNNAMED \
          -cp "$cp" "$main" "$@" >/dev/null 2>&1 && [ -s "$tmp" ]; then
        find "$dir" -maxdepth 1 -name 'portcullis-*.aot' ! -name "${cache##*/}" -delete 2>/dev/null
        mv -f "$tmp" "$cache"
      else
        rm -f "$tmp" "$tmp.config"
        : >"$cache.failed" # not retried for this build and JDK
      fi
    fi
    [ -s "$cache" ] && printf '%s\n' "-XX:AOTCache=$cache" -Xlog:aot=off -Xlog:cds=off
  else
    printf '%s\n' "-XX:SharedArchiveFile=$dir/portcullis-jdk$major-$key.jsa" -XX:+AutoCreateSharedArchive \
      -Xlog:cds=off -Xlog:cds+dynamic=off
  fi
  return 0
}
