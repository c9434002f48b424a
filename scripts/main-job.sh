#!/usr/bin/env bash
# The main job: build the trainer, learn a stable motion from the bundled sample bag, write the
# model and its report, roll the model out in closed form from a start no demo used, show what
# the model file holds, then serve it: over gRPC (standalone server on an ephemeral loopback
# port, queried by a client) and, when the ROS tools are installed, as a ROS node on a private
# roscore (a start published with rostopic, the plan received).
#
# Usage: scripts/main-job.sh [OUT_DIR]   (default: out/) -> OUT_DIR/model.dmm, OUT_DIR/report/
# Environment: ITERATIONS (default 2000, the CLI's default: about 30-45 s of training on 2 CPU cores, both bases side by side).
# Every training option is the CLI's default (the engine's TrainOptions.defaults()).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-out}
iterations=${ITERATIONS:-2000}
command -v mvn >/dev/null 2>&1 || { echo "Maven is missing: apt-get install -y maven" >&2; exit 1; }

echo "== build (trainer, model, proto)"
DIFFEO_BUILD=1 scripts/diffeo --version

echo
echo "== train on data/sample/demos_2d.bag (7 demos on /demo/pose, split at 1 s gaps, still phases trimmed)"
mkdir -p "$out"
scripts/diffeo train data/sample/demos_2d.bag \
  --topic /demo/pose --dims x,y --gap-threshold 1.0 --trim 0.02,0.3 \
  --iterations "$iterations" --seed 1 --name sample_2d \
  --progress-every 200 --out "$out/model.dmm" --report "$out/report"

echo
echo "== closed-form rollout from a new start (0.30, 0.45) m, every 0.2 s until it arrives at the goal"
scripts/diffeo rollout "$out/model.dmm" --start 0.30,0.45 --dt 0.2

echo
echo "== inspect"
scripts/diffeo inspect "$out/model.dmm"

# Servers run in their own process groups (setsid), so that stopping one stops its children too
# (roscore's rosmaster and rosout): SIGTERM (background jobs of a script ignore SIGINT), then
# SIGKILL after 5 s.
pids=()
cleanup() {
  for p in "${pids[@]}"; do
    kill -TERM -- "-$p" 2>/dev/null || true
  done
  for p in "${pids[@]}"; do
    for _ in $(seq 1 50); do kill -0 -- "-$p" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$p" 2>/dev/null || true
  done
}
trap cleanup EXIT

# Waits (at most $3 seconds) until file $1 contains the pattern $2.
wait_for() {
  for _ in $(seq 1 $(( $3 * 10 ))); do
    grep -q "$2" "$1" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "timed out waiting for '$2' in $1:" >&2
  cat "$1" >&2
  return 1
}

echo
echo "== serve over gRPC: standalone server on 127.0.0.1 (ephemeral port), models from $out/"
log="$out/grpc-server.log"
setsid scripts/grpc-server.sh --models "$out" --port 0 > "$log" 2>&1 &
pids+=($!)
wait_for "$log" "listening on" 120
target=$(sed -n "s/.*listening on //p" "$log" | head -1)
# The client runs on the class path grpc-server.sh has just built (the grpc module, no ROS code).
java -cp "grpc/target/classes:model/target/classes:proto/target/classes:$(cat grpc/target/grpc-server.classpath)" \
  org.diffeomotion.grpc.MotionGrpcClientMain --target "$target" --model sample_2d \
  --start 0.30,0.45 --count 9 --duration 4

if command -v roscore >/dev/null 2>&1 && command -v rostopic >/dev/null 2>&1; then
  echo
  echo "== serve over ROS: roscore on a free port, the motion node, a start in, the plan out"
  port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  export ROS_MASTER_URI="http://127.0.0.1:$port" ROS_IP=127.0.0.1 ROS_HOME="$PWD/$out/ros"
  mkdir -p "$ROS_HOME"
  setsid roscore -p "$port" > "$out/roscore.log" 2>&1 &
  pids+=($!)
  wait_for "$out/roscore.log" "started core service" 60
  setsid nodes/motion_generator __name:=motion_generator _model:="$PWD/$out/model.dmm" _points:=9 \
    > "$out/motion_node.log" 2>&1 &
  node_pid=$!
  pids+=("$node_pid")
  # Until the node advertises its plan (at most 60 s); a node that exits is reported at once.
  deadline=$((SECONDS + 60))
  until rostopic list 2>/dev/null | grep -q /motion_generator/plan; do
    if ! kill -0 "$node_pid" 2>/dev/null; then
      echo "the motion node exited; its log ($out/motion_node.log):" >&2
      tail -n 20 "$out/motion_node.log" >&2
      exit 1
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "the motion node did not advertise /motion_generator/plan within 60 s; see $out/motion_node.log" >&2
      exit 1
    fi
    sleep 0.2
  done
  rostopic pub -1 /motion_generator/start geometry_msgs/PoseStamped \
    '{header: {frame_id: base_link}, pose: {position: {x: 0.30, y: 0.45}, orientation: {w: 1}}}' >/dev/null
  echo "plan received on /motion_generator/plan (nav_msgs/Path), positions [m]:"
  timeout 30 rostopic echo -n 1 /motion_generator/plan/poses | grep -A2 'position:' | grep -E 'x:|y:' \
    | paste - - | sed 's/^ */  /'
else
  echo
  echo "== (ROS tools not installed: skipping the ROS node; scripts/test.sh installs them)"
fi

echo
echo "== done: $out/model.dmm, report in $out/report/ ($(ls "$out/report" | tr '\n' ' '))"
