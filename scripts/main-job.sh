#!/usr/bin/env bash
# The main job: build, make a model, roll it out in closed form, print it and plot it.
# Usage: scripts/main-job.sh [OUT_DIR]   (default: out/)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-out}
command -v mvn >/dev/null 2>&1 || { echo "Maven is missing: apt-get install -y maven" >&2; exit 1; }
echo "== building (mvn install -DskipTests)"
mvn -B -q -ntp install -DskipTests
cp_file=$(mktemp)
trap 'rm -f "$cp_file"' EXIT
mvn -B -q -ntp -pl trainer dependency:build-classpath -Dmdep.outputFile="$cp_file"
cp="trainer/target/classes:$(cat "$cp_file")"
echo "== closed-form rollout demo"
java --add-modules jdk.incubator.vector -Djava.awt.headless=true -cp "$cp" \
  org.diffeomotion.trainer.demo.RolloutDemo "$out" 2>&1 | grep -v '^WARNING: Using incubator'
