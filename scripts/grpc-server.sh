#!/usr/bin/env bash
# Standalone motion gRPC server (rosnode/GRPC.md): serves every *.dmm model in a directory.
# Usage: scripts/grpc-server.sh --models DIR [--bind 127.0.0.1] [--port 0] [--tls-cert C --tls-key K]
#        [--max-request-bytes N] [--max-points N] [--max-response-values N]
#        [--max-stream-rate-hz HZ] [--threads N]
# Prints "listening on HOST:PORT" once it serves; stop it with Ctrl-C (SIGINT) or SIGTERM.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -ntp -pl rosnode -am install -DskipTests >&2
cp_file=$(mktemp)
trap 'rm -f "$cp_file"' EXIT
mvn -B -q -ntp -pl rosnode dependency:build-classpath -Dmdep.outputFile="$cp_file" \
  -Dmdep.includeScope=runtime >&2
# This checkout's module classes first: ~/.m2 SNAPSHOT jars may come from another checkout.
cp="rosnode/target/classes:model/target/classes:proto/target/classes:$(cat "$cp_file")"
rm -f "$cp_file"   # exec below replaces this shell: the EXIT trap would never run
exec java --add-modules jdk.incubator.vector -cp "$cp" \
  org.diffeomotion.rosnode.grpc.MotionGrpcMain "$@" 2> >(grep -v '^WARNING: Using incubator' >&2)
