# Finds a JDK >= 21 and exports JAVA_HOME and PATH accordingly.
# Order: $JAVA_HOME, `java` on PATH, then /usr/lib/jvm/* (newest first). Sourced by bin/portcullis and bin/test.

portcullis_java_major() { # prints the major version of the java binary $1, or nothing
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1
}

portcullis_find_jdk() {
  local candidates=() c major
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v java >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
  fi
  for c in $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV); do candidates+=("${c%/}"); done
  for c in "${candidates[@]}"; do
    [ -x "$c/bin/java" ] && [ -x "$c/bin/javac" ] || continue
    major=$(portcullis_java_major "$c/bin/java")
    if [ -n "$major" ] && [ "$major" -ge 21 ]; then
      export JAVA_HOME="$c"
      export PATH="$c/bin:$PATH"
      # Maven's bundled Guava uses sun.misc.Unsafe; JDK 24+ warns about it on every build unless told it is allowed.
      if [ "$major" -ge 24 ]; then
        case " ${MAVEN_OPTS:-} " in
          *sun-misc-unsafe-memory-access*) ;;
          *) export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow" ;;
        esac
      fi
      return 0
    fi
  done
  echo "portcullis: no JDK 21 or newer found (looked at \$JAVA_HOME, java on PATH, /usr/lib/jvm/*)." >&2
  echo "  Install one, e.g. 'apt-get install openjdk-21-jdk' or Temurin 21+ from https://adoptium.net," >&2
  echo "  then set JAVA_HOME to it." >&2
  return 1
}
