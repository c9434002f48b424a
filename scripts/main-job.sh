#!/usr/bin/env bash
# The main job: build the trainer, learn a stable motion from the bundled sample bag, write the
# model and its report, roll the model out in closed form from a start no demo used, and show
# what the model file holds.
#
# Usage: scripts/main-job.sh [OUT_DIR]   (default: out/) -> OUT_DIR/model.dmm, OUT_DIR/report/
# Environment: ITERATIONS (default 1200: about 10-20 s of training on 2 CPU cores).
# The learning rate and initial base (decay 3, no rotation) were picked by a small sweep on this
# data set (trainer/CLI.md, "Main job"); the CLI's defaults are the engine's.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-out}
iterations=${ITERATIONS:-1200}
command -v mvn >/dev/null 2>&1 || { echo "Maven is missing: apt-get install -y maven" >&2; exit 1; }

echo "== build (trainer, model, proto)"
DIFFEO_BUILD=1 scripts/diffeo --version

echo
echo "== train on data/sample/demos_2d.bag (7 demos on /demo/pose, split at 1 s gaps, still phases trimmed)"
mkdir -p "$out"
scripts/diffeo train data/sample/demos_2d.bag \
  --topic /demo/pose --dims x,y --gap-threshold 1.0 --trim 0.02,0.3 \
  --iterations "$iterations" --lr 0.002 --init-decay 3 --init-omega 0 --seed 1 --name sample_2d \
  --progress-every 200 --out "$out/model.dmm" --report "$out/report"

echo
echo "== closed-form rollout from a new start (0.30, 0.45) m, 4 s, every 0.2 s"
scripts/diffeo rollout "$out/model.dmm" --start 0.30,0.45 --duration 4 --dt 0.2

echo
echo "== inspect"
scripts/diffeo inspect "$out/model.dmm"

echo
echo "== done: $out/model.dmm, report in $out/report/ ($(ls "$out/report" | tr '\n' ' '))"
