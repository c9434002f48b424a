#!/bin/sh
# Runs the training benchmarks (LossPathBench: batched vs row path of one loss evaluation by size;
# TrainBench: per-iteration times and time to a target; in the trainer's test sources) outside
# Maven's test JVM.
# Usage: scripts/bench-train.sh [warmup] [iterations] [target held-out MSE] [max iterations]
# Builds in the reactor only (no install): the classpath is the modules' target/ folders.
set -e
cd "$(dirname "$0")/.."
mvn -B -q -pl trainer -am test-compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt \
  -Dmdep.includeScope=test >/dev/null
CP="trainer/target/test-classes:trainer/target/classes:$(cat trainer/target/classpath.txt)"
java --add-modules jdk.incubator.vector -Dorg.bytedeco.javacpp.maxBytes=2G -Dorg.bytedeco.javacpp.maxPhysicalBytes=4G -Xmx1g \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "$CP" org.diffeomotion.trainer.fit.internal.LossPathBench 200
exec java --add-modules jdk.incubator.vector -Dorg.bytedeco.javacpp.maxBytes=2G -Dorg.bytedeco.javacpp.maxPhysicalBytes=4G -Xmx1g \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "$CP" org.diffeomotion.trainer.fit.TrainBench "$@"
