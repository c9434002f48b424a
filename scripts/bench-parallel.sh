#!/usr/bin/env bash
# Batches of rollouts on one thread against ParallelRollouts on every core, around the crossover
# (ParallelRollouts.DEFAULT_MIN_POINTS_PER_THREAD), then one rollout by its length (RolloutLengthBench). Not pinned: it measures the use of all cores,
# so run it on an otherwise idle machine.
# Usage: scripts/bench-parallel.sh [seconds-per-measurement]   (default 2)
set -euo pipefail
cd "$(dirname "$0")/.."
cp_file=$(mktemp)
trap 'rm -f "$cp_file"' EXIT
# One reactor build (no install): model's class path file names proto's class folder.
mvn -B -q -ntp -pl model -am test-compile dependency:build-classpath \
  -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=test
cp="model/target/test-classes:model/target/classes:$(cat "$cp_file")"
for main in ParallelBench RolloutLengthBench; do
  java --add-modules jdk.incubator.vector -XX:+UseSerialGC -Xms256m -Xmx256m \
    -cp "$cp" "org.diffeomotion.model.bench.$main" "${1:-2}" 2>&1 | grep -v '^WARNING: Using incubator'
done
