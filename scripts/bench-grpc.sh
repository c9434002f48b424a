#!/usr/bin/env bash
# gRPC serving benchmark: unary Rollout (1000 points, reference model) in-process and on
# 127.0.0.1 with 1/4/16 clients, and a 1 kHz setpoint stream (rosnode/GRPC.md has results).
# Usage: scripts/bench-grpc.sh [seconds-per-measurement] [stream-seconds]   (default 3 5)
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -ntp -pl rosnode -am install -DskipTests   # compiles the test sources too
cp_file=$(mktemp)
trap 'rm -f "$cp_file"' EXIT
mvn -B -q -ntp -pl rosnode dependency:build-classpath -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=test
# This checkout's module classes first: ~/.m2 SNAPSHOT jars may come from another checkout.
cp="rosnode/target/test-classes:rosnode/target/classes:model/target/classes:proto/target/classes:$(cat "$cp_file")"
rm -f "$cp_file"   # exec below replaces this shell: the EXIT trap would never run
exec java --add-modules jdk.incubator.vector -Xms512m -Xmx512m \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "$cp" org.diffeomotion.rosnode.grpc.bench.GrpcBench "${1:-3}" "${2:-5}" 2>&1 \
  | grep -v '^WARNING: Using incubator'
