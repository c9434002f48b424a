#!/usr/bin/env bash
# Model benchmarks (rollout, velocity query, closed form vs integrators, tanh kernels).
# Usage: scripts/bench-model.sh [seconds-per-measurement]   (default 3)
# Pins the JVM to one core when taskset exists, so "one core" means one core.
set -euo pipefail
cd "$(dirname "$0")/.."
cp_file=$(mktemp)
trap 'rm -f "$cp_file"' EXIT
# One reactor build (no install): model's class path file names proto's class folder.
mvn -B -q -ntp -pl model -am test-compile dependency:build-classpath \
  -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=test
cp="model/target/test-classes:model/target/classes:$(cat "$cp_file")"
rm -f "$cp_file"   # exec below replaces this shell: the EXIT trap would never run
pin=()
command -v taskset >/dev/null 2>&1 && pin=(taskset -c 1)
exec "${pin[@]}" java --add-modules jdk.incubator.vector -XX:+UseSerialGC -Xms256m -Xmx256m \
  -cp "$cp" org.diffeomotion.model.bench.ModelBench "${1:-3}" 2>&1 | grep -v '^WARNING: Using incubator'
