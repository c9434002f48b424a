#!/usr/bin/env bash
# Standalone motion gRPC server (grpc/README.md): serves every *.dmm model in a directory.
# Usage: scripts/grpc-server.sh --models DIR [--bind 127.0.0.1] [--port 0] [--tls-cert C --tls-key K]
#        [--max-request-bytes N] [--max-points N] [--max-response-values N]
#        [--max-stream-rate-hz HZ] [--workspace-sigmas K] [--threads N] [--precision double|float]
# Prints "listening on HOST:PORT" once it serves; stop it with Ctrl-C (SIGINT) or SIGTERM.
#
# Builds the gRPC server on first use, and again when a pom.xml or a main source file of the
# modules it needs is newer than the cached classpath (grpc/target/grpc-server.classpath);
# DIFFEO_BUILD=1 forces a build. Environment: JAVA (default: java), JAVA_OPTS, MAVEN_ARGS.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cp_file="$root/grpc/target/grpc-server.classpath"

stale() {
  [[ "${DIFFEO_BUILD:-0}" == 1 || ! -s "$cp_file" || ! -d "$root/grpc/target/classes" ]] && return 0
  [[ -n $(find "$root/pom.xml" "$root/proto" "$root/model" "$root/grpc" \
      \( -name pom.xml -o -path '*/src/main/*' \) -newer "$cp_file" -print -quit 2>/dev/null) ]]
}

if stale; then
  command -v mvn >/dev/null 2>&1 || { echo "grpc-server: Maven (mvn) is needed to build the server" >&2; exit 1; }
  echo "grpc-server: building (mvn package -pl grpc -am) ..." >&2
  log=$(mktemp)
  # shellcheck disable=SC2086
  if ! (cd "$root" && mvn -B -q -ntp ${MAVEN_ARGS:-} -pl grpc -am package -DskipTests \
      dependency:build-classpath -Dmdep.includeScope=runtime \
      -Dmdep.outputFile=target/grpc-server.classpath.tmp) >"$log" 2>&1; then
    sed 's/\x1b\[[0-9;]*m//g' "$log" >&2
    rm -f "$log"
    echo "grpc-server: build failed" >&2
    exit 1
  fi
  rm -f "$log"
  mv "$root/grpc/target/grpc-server.classpath.tmp" "$cp_file"
fi

# This checkout's module classes first: ~/.m2 SNAPSHOT jars may come from another checkout.
cp="$root/grpc/target/classes:$root/model/target/classes:$root/proto/target/classes:$(cat "$cp_file")"
# Hide only the JDK's incubator notice; --line-buffered so that warnings (e.g. "skipping
# broken.dmm") reach a log file as they happen, not when a 4 KiB buffer fills.
# shellcheck disable=SC2086
exec "${JAVA:-java}" --add-modules jdk.incubator.vector ${JAVA_OPTS:-} -cp "$cp" \
  org.diffeomotion.grpc.MotionGrpcMain "$@" \
  2> >(grep --line-buffered -v '^WARNING: Using incubator' >&2)
