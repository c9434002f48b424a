#!/usr/bin/env bash
# gRPC serving benchmark: unary Rollout (1000 points, reference model) in-process and on
# 127.0.0.1 with 1/4/16 clients, and a 1 kHz setpoint stream (grpc/README.md has results), once
# with the double networks and once with --precision float, each in its own JVM (one precision
# per server process, as deployed), then the float/double ratios of p50, p99 and max per row.
# Usage: scripts/bench-grpc.sh [seconds-per-measurement] [stream-seconds]   (default 3 5)
set -euo pipefail
cd "$(dirname "$0")/.."
cp_file=$(mktemp)
sum_d=$(mktemp)
sum_f=$(mktemp)
trap 'rm -f "$cp_file" "$sum_d" "$sum_f"' EXIT
# One reactor build: the grpc module and what it needs, test sources included; the last module
# (grpc) writes the class path file, which names the other modules' class folders (no
# installed SNAPSHOT jars needed, none taken from another checkout).
mvn -B -q -ntp -pl grpc -am test-compile dependency:build-classpath \
  -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=test
cp="grpc/target/test-classes:grpc/target/classes:$(cat "$cp_file")"
bench() {  # precision summary-file
  java --add-modules jdk.incubator.vector -Xms512m -Xmx512m \
    -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dbench.summary="$2" \
    -cp "$cp" org.diffeomotion.grpc.bench.GrpcBench "${ARG1}" "${ARG2}" "$1" 2>&1 \
    | grep -v '^WARNING: Using incubator'
}
ARG1=${1:-3}
ARG2=${2:-5}
bench double "$sum_d"
echo
bench float "$sum_f"
echo
echo "== float / double (p50, p99, max of the same row in the two runs)"
awk -F'|' 'NR == FNR { p50[$1 "|" $2] = $3; p99[$1 "|" $2] = $4; mx[$1 "|" $2] = $5; next }
  ($1 "|" $2) in p50 {
    printf "  %-16s %s  float/double  p50 %.2f  p99 %.2f  max %.2f   (float p50 %.1f / p99 %.1f / max %.1f us)\n",
      $1, ($2 == 0 ? "    " : sprintf("c=%-2d", $2)), $3 / p50[$1 "|" $2], $4 / p99[$1 "|" $2],
      $5 / mx[$1 "|" $2], $3, $4, $5 }' "$sum_d" "$sum_f"
