#!/usr/bin/env bash
# How far a model's closed-form rollouts stray from starts spread over a box, away from the demos:
# for an N x N grid of starts over [XMIN, XMAX] x [YMIN, YMAX] (planar models), each rolled out for
# SECONDS, the largest distance from the goal along the rollout against the start's own distance.
# The goal is taken as the rollout's last point (the rollouts end at the goal). Prints one line per
# start and a summary: how many rollouts got farther from the goal than their start, and the worst.
#
#   scripts/field-excursion.sh out/model.dmm 0 0.8 -0.4 0.65 7 6.6    # the sample bag's field plot region
#
# Used for trainer/BENCHMARK.md, "The funnel base" (why it is not the default).
set -euo pipefail
if [ $# -ne 7 ]; then
  echo "usage: $0 MODEL XMIN XMAX YMIN YMAX N SECONDS" >&2
  exit 2
fi
model=$1 xmin=$2 xmax=$3 ymin=$4 ymax=$5 n=$6 secs=$7
here=$(cd "$(dirname "$0")" && pwd)
"$here/diffeo" inspect "$model" > /dev/null # builds once, fails early on a bad file
for i in $(seq 0 $((n - 1))); do
  for j in $(seq 0 $((n - 1))); do
    x=$(awk -v a="$xmin" -v b="$xmax" -v k="$i" -v n="$n" 'BEGIN{printf "%.6g", a + (b - a) * k / (n - 1)}')
    y=$(awk -v a="$ymin" -v b="$ymax" -v k="$j" -v n="$n" 'BEGIN{printf "%.6g", a + (b - a) * k / (n - 1)}')
    "$here/diffeo" rollout "$model" --start="$x,$y" --duration="$secs" --count=400 2> /dev/null |
      awk -F, -v x="$x" -v y="$y" 'NR > 1 { px[NR] = $2; py[NR] = $3; last = NR }
        END { gx = px[last]; gy = py[last]; mx = 0
              for (k = 2; k <= last; k++) { d = sqrt((px[k] - gx) ^ 2 + (py[k] - gy) ^ 2); if (d > mx) mx = d }
              d0 = sqrt((x - gx) ^ 2 + (y - gy) ^ 2)
              printf "start %s,%s distance %.4g max %.4g ratio %.3g\n", x, y, d0, mx, (d0 > 0 ? mx / d0 : 1) }'
  done
done | tee /dev/stderr | awk '{ n++; if ($8 > 1.01) far++; if ($8 > w) { w = $8; ws = $2; wm = $6 } }
  END { printf "summary: %d of %d rollouts got more than 1%% farther from the goal than their start; worst ratio %.3g (start %s, max distance %.4g)\n", far, n, w, ws, wm }'
