#!/usr/bin/env bash
# bench-accuracy.sh: the imitation-accuracy benchmark on the handwriting shapes (trainer/BENCHMARK.md).
#
#   scripts/bench-accuracy.sh                                  # every shape, seed 1
#   scripts/bench-accuracy.sh --shapes S,Z,multi_SJ --seeds 1,2,3 --out out/accuracy.md
#   scripts/bench-accuracy.sh --sample-bag                     # also data/sample/demos_2d.bag
#   scripts/bench-accuracy.sh --sensor-noise 0.1               # train on noisy demos, judge on clean ones
#
# Trains on demos 0,1,3,5,6 of each shape with the trainer's default options (one run per shape
# and seed, ~10-30 s each on two cores) and compares the rollouts from held-out demos 2 and 4 with
# them and with the no-learning reference. Table on stdout, progress on stderr.
#
# Builds the trainer like scripts/diffeo (and shares its cached classpath,
# trainer/target/diffeo.classpath; DIFFEO_BUILD=1 forces a build), then runs
# org.diffeomotion.trainer.bench.AccuracyBenchmark with the JVM flags scripts/diffeo uses and one
# native thread (OMP_NUM_THREADS=1). Environment: JAVA, JAVA_OPTS, MAVEN_ARGS as for scripts/diffeo.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cp_file="$root/trainer/target/diffeo.classpath"

stale() {
  [[ "${DIFFEO_BUILD:-0}" == 1 || ! -s "$cp_file" || ! -d "$root/trainer/target/classes" ]] && return 0
  [[ -n $(find "$root/pom.xml" "$root/proto" "$root/model" "$root/trainer" \
      \( -name pom.xml -o -path '*/src/main/*' \) -newer "$cp_file" -print -quit 2>/dev/null) ]]
}

if stale; then
  command -v mvn >/dev/null 2>&1 || { echo "bench-accuracy: Maven (mvn) is needed to build the trainer" >&2; exit 1; }
  echo "bench-accuracy: building the trainer (mvn package -pl trainer -am) ..." >&2
  log=$(mktemp)
  # shellcheck disable=SC2086
  if ! (cd "$root" && mvn -B -q -ntp ${MAVEN_ARGS:-} -pl trainer -am package -DskipTests \
      dependency:build-classpath -Dmdep.outputFile=target/diffeo.classpath.tmp) >"$log" 2>&1; then
    sed 's/\x1b\[[0-9;]*m//g' "$log" >&2
    rm -f "$log"
    echo "bench-accuracy: build failed" >&2
    exit 1
  fi
  rm -f "$log"
  mv "$root/trainer/target/diffeo.classpath.tmp" "$cp_file"
fi

cp="$root/trainer/target/classes:$(cat "$cp_file")"
export OMP_NUM_THREADS=1
# shellcheck disable=SC2086
exec "${JAVA:-java}" --add-modules jdk.incubator.vector -Djava.awt.headless=true \
  -Dorg.bytedeco.javacpp.maxBytes=2G -Dorg.bytedeco.javacpp.maxPhysicalBytes=4G -Xmx1g \
  -Ddiffeo.root="$root" ${JAVA_OPTS:-} -cp "$cp" org.diffeomotion.trainer.bench.AccuracyBenchmark "$@" \
  2> >(grep --line-buffered -v '^WARNING: Using incubator modules: jdk.incubator.vector$' >&2)
