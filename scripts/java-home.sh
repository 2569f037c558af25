# Sourced by ./jgrad and ./run-tests: sets JAVA_HOME to a JDK 25 or newer, or explains what to install.
jgrad_java_version() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }
jgrad_find_java() {
  local c
  for c in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-2[5-9]* /usr/lib/jvm/java-2[5-9]-* /usr/lib/jvm/jdk-2[5-9]* \
           "$(dirname "$(dirname "$(readlink -f "$(command -v java 2>/dev/null || echo /nonexistent)")")")"; do
    [ -n "$c" ] && [ -x "$c/bin/java" ] && [ -x "$c/bin/javac" ] || continue
    local v; v=$(jgrad_java_version "$c")
    if [ -n "$v" ] && [ "${v%%.*}" -ge 25 ] 2>/dev/null; then export JAVA_HOME="$c"; return 0; fi
  done
  echo "jgrad: needs a JDK 25 or newer: install Temurin 25 (or set JAVA_HOME to one); found none in JAVA_HOME, /usr/lib/jvm or on the PATH" >&2
  return 1
}
