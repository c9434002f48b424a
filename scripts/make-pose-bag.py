#!/usr/bin/python3
"""Writes data/sample/demos_pose.bag, the sample full-pose demonstration set, with the real rosbag.

Run with Debian's python (the one that has rospy/rosbag):

    /usr/bin/python3 scripts/make-pose-bag.py [OUT_FILE]

OUT_FILE defaults to data/sample/demos_pose.bag next to this repository's root. The content is
deterministic (seeded).

A pouring-like motion, 7 demonstrations as geometry_msgs/PoseStamped on /tool/pose (frame
base_link), all in one bag, separated by 2.0 s gaps in the header stamps, 50 Hz:

- the tool tip moves from a start about 0.35-0.45 m away (a different start per demo) along a
  3-D arc (lifted by 8-12 cm midway) to the goal position GOAL_P;
- the tool turns by 80-110 degrees, from a start orientation q_g * Exp(theta_0 * a_0) to the goal
  orientation q_g, about an axis that tilts from a_0 to a_1 on the way (each demo its own angle
  and axes), its turn lagging the translation a little;
- the speed profile is bell-shaped (minimum jerk, 10 s^3 - 15 s^4 + 6 s^5): start and end at
  rest; durations 3.0-4.0 s;
- every demo ends within ~1.5 mm and ~1 degree of the common goal pose (a per-demo end offset, as
  a human teacher would leave), with 0.1 mm / 0.03 degree sensor noise;
- the quaternions are published on the w >= 0 hemisphere, as some drivers do, so their sign
  flips wherever a demo crosses w = 0 (the reader makes them continuous); demo 3 also has the
  opposite sign for a stretch of samples, as a driver glitch would give.

Train it with (docs in trainer/TRAINING.md):

    scripts/diffeo train data/sample/demos_pose.bag --topic /tool/pose --pose \\
        --gap-threshold 1.0 --validation-fraction 0.15 -o /tmp/pose.dmm
"""

import math
import os
import random
import sys

import rosbag
import rospy
from geometry_msgs.msg import PoseStamped

SEED = 20261202
EPOCH_NS = 1_700_000_000 * 1_000_000_000  # first header stamp [ns]
RECORD_LATENCY_NS = 1_500_000  # bag record time = stamp + 1.5 ms
RATE = 50.0  # [Hz]
GAP = 2.0  # [s] between demos
N_DEMOS = 7
GOAL_P = (0.45, 0.05, 0.22)  # [m] in base_link
NOISE_P = 0.0001  # [m]
NOISE_R = math.radians(0.03)  # [rad]
END_P = 0.0015  # [m] per-demo end offset (about)
END_R = math.radians(1.0)  # [rad] per-demo end rotation offset (about)
TOPIC = "/tool/pose"
FRAME = "base_link"


def qmul(a, b):
    ax, ay, az, aw = a
    bx, by, bz, bw = b
    return (
        aw * bx + ax * bw + ay * bz - az * by,
        aw * by - ax * bz + ay * bw + az * bx,
        aw * bz + ax * by - ay * bx + az * bw,
        aw * bw - ax * bx - ay * by - az * bz,
    )


def qexp(r):
    t = math.sqrt(sum(v * v for v in r))
    if t < 1e-12:
        return (0.5 * r[0], 0.5 * r[1], 0.5 * r[2], 1.0)
    s = math.sin(0.5 * t) / t
    return (s * r[0], s * r[1], s * r[2], math.cos(0.5 * t))


def normalize(v):
    n = math.sqrt(sum(x * x for x in v))
    return tuple(x / n for x in v)


def min_jerk(s):
    s = min(1.0, max(0.0, s))
    return s * s * s * (10.0 - 15.0 * s + 6.0 * s * s)


# The goal orientation: the tool tilted, as when it has poured.
Q_GOAL = normalize(qmul(qexp((0.0, 0.0, math.radians(35.0))), qexp((math.radians(20.0), 0.0, 0.0))))


def demo(rnd, i):
    """(times [s] from the demo's start, positions, quaternions) of demo i."""
    duration = rnd.uniform(3.0, 4.0)
    # Start: around a nominal start, each demo elsewhere on a ring of ~0.4 m.
    ang = 2.0 * math.pi * (i + rnd.uniform(-0.2, 0.2)) / N_DEMOS
    dist = rnd.uniform(0.35, 0.45)
    dz = rnd.uniform(0.05, 0.15)
    horiz = math.sqrt(max(dist * dist - dz * dz, 0.01))
    # Starts lie in the half-space away from the robot's goal side (x smaller), like a pick-up.
    p0 = (
        GOAL_P[0] - horiz * (0.7 + 0.3 * math.cos(ang)),
        GOAL_P[1] + horiz * 0.6 * math.sin(ang),
        GOAL_P[2] + dz,
    )
    lift = rnd.uniform(0.08, 0.12)
    end_dp = tuple(rnd.gauss(0.0, END_P / math.sqrt(3)) for _ in range(3))
    end_dr = tuple(rnd.gauss(0.0, END_R / math.sqrt(3)) for _ in range(3))
    q_end = qmul(Q_GOAL, qexp(end_dr))
    # Orientation: from q_end * Exp(theta0 * axis(0)) to q_end, the axis tilting from a0 to a1.
    theta0 = math.radians(rnd.uniform(80.0, 110.0))
    a0 = normalize((1.0, rnd.uniform(-0.3, 0.3), rnd.uniform(-0.2, 0.2)))
    a1 = normalize((rnd.uniform(0.4, 0.7), rnd.uniform(0.5, 0.8), rnd.uniform(-0.2, 0.3)))
    lag = rnd.uniform(0.05, 0.15)  # the turn starts a little after the translation
    n = int(round(duration * RATE)) + 1
    ts, ps, qs = [], [], []
    for j in range(n):
        t = j / RATE
        s = min_jerk(t / duration)
        u = min_jerk((t / duration - lag) / (1.0 - lag))
        p = []
        for k in range(3):
            p.append(p0[k] + s * (GOAL_P[k] + end_dp[k] - p0[k]))
        # Lifted midway (a parabola of the path parameter) and bowed sideways a little.
        p[2] += lift * 4.0 * s * (1.0 - s)
        p[1] += 0.03 * math.sin(math.pi * s) * math.cos(ang)
        axis = normalize(tuple(a0[k] + u * (a1[k] - a0[k]) for k in range(3)))
        r = tuple((1.0 - u) * theta0 * axis[k] for k in range(3))
        q = qmul(q_end, qexp(r))
        # Sensor noise.
        p = [v + rnd.gauss(0.0, NOISE_P) for v in p]
        q = normalize(qmul(q, qexp(tuple(rnd.gauss(0.0, NOISE_R) for _ in range(3)))))
        if q[3] < 0:
            q = tuple(-v for v in q)
        if i == 3 and n // 3 <= j < n // 2:
            q = tuple(-v for v in q)
        ts.append(t)
        ps.append(p)
        qs.append(q)
    return ts, ps, qs


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "data", "sample", "demos_pose.bag")
    rnd = random.Random(SEED)
    stamp0 = EPOCH_NS
    seq = 0
    with rosbag.Bag(out, "w") as bag:
        for i in range(N_DEMOS):
            ts, ps, qs = demo(rnd, i)
            for t, p, q in zip(ts, ps, qs):
                ns = stamp0 + int(round(t * 1e9))
                msg = PoseStamped()
                msg.header.seq = seq
                msg.header.stamp = rospy.Time(ns // 1_000_000_000, ns % 1_000_000_000)
                msg.header.frame_id = FRAME
                msg.pose.position.x, msg.pose.position.y, msg.pose.position.z = p
                o = msg.pose.orientation
                o.x, o.y, o.z, o.w = q
                rec = ns + RECORD_LATENCY_NS
                bag.write(TOPIC, msg, rospy.Time(rec // 1_000_000_000, rec % 1_000_000_000))
                seq += 1
            stamp0 += int(round((ts[-1] + GAP) * 1e9))
    print("wrote", out, seq, "messages,", N_DEMOS, "demos")


if __name__ == "__main__":
    main()
