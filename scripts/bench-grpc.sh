#!/usr/bin/env bash
# gRPC serving benchmark: unary Rollout (1000 points, reference model) in-process and on
# 127.0.0.1 with 1/4/16 clients, and a 1 kHz setpoint stream (grpc/README.md has results).
# Usage: scripts/bench-grpc.sh [seconds-per-measurement] [stream-seconds]   (default 3 5)
set -euo pipefail
cd "$(dirname "$0")/.."
cp_file=$(mktemp)
trap 'rm -f "$cp_file"' EXIT
# One reactor build: the grpc module and what it needs, test sources included; the last module
# (grpc) writes the class path file, which names the other modules' class folders (no
# installed SNAPSHOT jars needed, none taken from another checkout).
mvn -B -q -ntp -pl grpc -am test-compile dependency:build-classpath \
  -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=test
cp="grpc/target/test-classes:grpc/target/classes:$(cat "$cp_file")"
rm -f "$cp_file"   # exec below replaces this shell: the EXIT trap would never run
exec java --add-modules jdk.incubator.vector -Xms512m -Xmx512m \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "$cp" org.diffeomotion.grpc.bench.GrpcBench "${1:-3}" "${2:-5}" 2>&1 \
  | grep -v '^WARNING: Using incubator'
