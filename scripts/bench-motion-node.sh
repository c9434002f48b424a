#!/usr/bin/env bash
# Motion node benchmark: the nodes/motion_generator executable on a real roscore (free port),
# driven over loopback TCPROS: start -> 1000-point plan latency, and a 1 kHz state -> cmd_vel
# stream (latency, jitter, lost messages). Needs the ROS tools (roscore, rostopic).
# Usage: scripts/bench-motion-node.sh [stream-seconds] [plans]   (default 10 300)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/usr/bin:$PATH"   # the Debian ROS tools need /usr/bin/python3
cp_file=$(mktemp)
trap 'rm -f "$cp_file"' EXIT
# One reactor build: the node and what it needs, test sources included; the last module
# (rosnode) writes the class path file, which names the other modules' class folders.
mvn -B -q -ntp -pl rosnode -am test-compile dependency:build-classpath \
  -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=test
cp="rosnode/target/test-classes:rosnode/target/classes:$(cat "$cp_file")"
java --add-modules jdk.incubator.vector -cp "$cp" org.diffeomotion.rosnode.MotionNodeBenchmark \
  "${1:-10}" "${2:-300}" "$PWD" 2>&1 | grep -v '^WARNING: Using incubator\|\] INFO '
