#!/usr/bin/python3
"""Writes the sample demonstration data set of diffeo-motion with the real rosbag API.

Run with Debian's python (the one that has rospy/rosbag):

    /usr/bin/python3 scripts/sample-data/make_sample_data.py [OUT_DIR]

OUT_DIR defaults to data/sample next to this repository's root. The output is deterministic
(seeded): running it again gives bit-identical message contents (the bag files can differ in
bytes only where rosbag itself writes nothing time-dependent, which it does not).

What it writes (see trainer/DATA.md for the full description):

- demos_2d.bag, demos_2d_lz4.bag, demos_2d_bz2.bag: the same 7 planar demonstrations as
  geometry_msgs/PoseStamped on /demo/pose (frame base_link), all in one bag, separated by
  2.5 s gaps in the header stamps, each with a still phase at its start and end; plus a
  std_msgs/String on /demo/annotation at each demo start (a second topic, as real bags have).
  Uncompressed, lz4 and bz2 chunks respectively.
- demos_2d.csv: the ground truth of the above in the trainer's CSV format (demo,t,x[m],y[m]),
  t relative to each demo's first sample, computed from the integer nanosecond stamps exactly
  as the Java reader does, values printed with repr() so they parse back bit-exactly.
- demos_joints.bag: 4 demonstrations of a 4-joint arm as sensor_msgs/JointState on
  /joint_states, with a second publisher on the same topic that only carries "gripper"
  (as on real robots), 2.0 s gaps between demos.
- demos_joints.csv: ground truth of the arm joints shoulder_pan, shoulder_lift, elbow, wrist.
"""

import math
import os
import random
import sys

import rosbag
import rospy
from geometry_msgs.msg import PoseStamped
from sensor_msgs.msg import JointState
from std_msgs.msg import String

SEED = 20261122
EPOCH_NS = 1_700_000_000 * 1_000_000_000  # first header stamp [ns]
RECORD_LATENCY_NS = 1_500_000  # bag record time = stamp + 1.5 ms, as a recorder would see it
# Small chunks so that the readers are exercised across several chunks, as in long recordings.
CHUNK_BYTES = 32 * 1024

# 2-D set
GOAL_2D = (0.55, 0.10)  # [m] in base_link
N_DEMOS_2D = 7
RATE_2D = 50.0  # [Hz]
NOISE_2D = 0.0002  # [m] standard deviation of the position noise
STILL_START = 0.6  # [s] the operator holds still before moving
STILL_END = 0.8  # [s] and after arriving
GAP_2D = 2.5  # [s] between the last sample of one demo and the first of the next

# joint set
JOINTS = ["shoulder_pan", "shoulder_lift", "elbow", "wrist"]
GOAL_JOINTS = (0.20, -0.90, 1.40, 0.30)  # [rad]
N_DEMOS_J = 4
RATE_J = 30.0  # [Hz]
NOISE_J = 0.0005  # [rad]
GAP_J = 2.0  # [s]
GRIPPER_RATE = 5.0  # [Hz] the other publisher on /joint_states


def min_jerk(u):
    """Minimum-jerk phase 0..1 with zero velocity and acceleration at both ends."""
    return u * u * u * (10.0 - 15.0 * u + 6.0 * u * u)


def stamp_of(ns):
    t = rospy.Time()
    t.secs, t.nsecs = divmod(ns, 1_000_000_000)
    return t


def sample_times(rng, start_ns, duration, rate):
    """Integer nanosecond stamps at `rate` with +-1 ms jitter (strictly increasing)."""
    period_ns = int(round(1e9 / rate))
    n = int(round(duration * rate)) + 1
    out = []
    for k in range(n):
        jitter = 0 if k == 0 else int(round(rng.uniform(-1e6, 1e6)))
        out.append(start_ns + k * period_ns + jitter)
    return out


def demo_2d(rng, i, start_ns):
    """One planar demo: still, then a curved spiral/S approach to the goal, then still."""
    angle0 = math.radians(95.0 + i * 22.0)  # where it starts, around the goal
    r0 = 0.36 + 0.012 * i + rng.uniform(-0.01, 0.01)  # [m] start distance from the goal
    turn = -1.6 + rng.uniform(-0.15, 0.15)  # [rad] how far it spirals in
    wiggle = 0.35 + rng.uniform(-0.05, 0.05)  # [rad] the S in the approach
    t_move = 3.0 + 0.25 * i + rng.uniform(-0.1, 0.1)  # [s]
    total = STILL_START + t_move + STILL_END
    stamps = sample_times(rng, start_ns, total, RATE_2D)
    pts = []
    for ns in stamps:
        t = (ns - start_ns) / 1e9
        u = min(max((t - STILL_START) / t_move, 0.0), 1.0)
        p = min_jerk(u)
        r = r0 * (1.0 - p)
        a = angle0 + turn * p + wiggle * math.sin(2.0 * math.pi * p)
        x = GOAL_2D[0] + r * math.cos(a) + rng.gauss(0.0, NOISE_2D)
        y = GOAL_2D[1] + r * math.sin(a) + rng.gauss(0.0, NOISE_2D)
        pts.append((x, y))
    return stamps, pts


def demo_joints(rng, i, start_ns):
    """One joint-space demo: a smooth, curved move from a start posture to the goal."""
    q0 = [g + rng.uniform(-0.9, 0.9) for g in GOAL_JOINTS]
    bump = [rng.uniform(-0.3, 0.3) for _ in GOAL_JOINTS]  # [rad] curvature of the path
    t_move = 2.5 + 0.3 * i
    total = 0.3 + t_move + 0.4
    stamps = sample_times(rng, start_ns, total, RATE_J)
    qs = []
    for ns in stamps:
        t = (ns - start_ns) / 1e9
        u = min(max((t - 0.3) / t_move, 0.0), 1.0)
        p = min_jerk(u)
        q = [q0[k] + (GOAL_JOINTS[k] - q0[k]) * p + bump[k] * math.sin(math.pi * p)
             + rng.gauss(0.0, NOISE_J) for k in range(len(JOINTS))]
        qs.append(q)
    return stamps, qs


def write_csv(path, header, frame_id, demos):
    with open(path, "w") as f:
        f.write("# diffeo-motion demonstrations, written by scripts/sample-data/make_sample_data.py\n")
        f.write("# frame_id: %s\n" % frame_id)
        f.write(",".join(header) + "\n")
        for name, stamps, values in demos:
            for ns, v in zip(stamps, values):
                # (ns - first) / 1e9 in binary64 is what the Java reader computes: bit-exact.
                t = (ns - stamps[0]) / 1e9
                f.write(",".join([name, repr(t)] + [repr(c) for c in v]) + "\n")


def make_2d(out_dir):
    rng = random.Random(SEED)
    demos = []
    start_ns = EPOCH_NS
    for i in range(N_DEMOS_2D):
        stamps, pts = demo_2d(rng, i, start_ns)
        demos.append(("demo%d" % i, stamps, pts))
        start_ns = stamps[-1] + int(GAP_2D * 1e9)

    for name, compression in (("demos_2d.bag", "none"), ("demos_2d_lz4.bag", "lz4"),
                              ("demos_2d_bz2.bag", "bz2")):
        with rosbag.Bag(os.path.join(out_dir, name), "w", compression=compression,
                        chunk_threshold=CHUNK_BYTES) as bag:
            seq = 0
            for demo_name, stamps, pts in demos:
                note = String(data="start of %s" % demo_name)
                bag.write("/demo/annotation", note, stamp_of(stamps[0]))
                for ns, (x, y) in zip(stamps, pts):
                    msg = PoseStamped()
                    msg.header.seq = seq
                    msg.header.stamp = stamp_of(ns)
                    msg.header.frame_id = "base_link"
                    msg.pose.position.x = x
                    msg.pose.position.y = y
                    msg.pose.position.z = 0.0
                    msg.pose.orientation.w = 1.0
                    bag.write("/demo/pose", msg, stamp_of(ns + RECORD_LATENCY_NS))
                    seq += 1
    write_csv(os.path.join(out_dir, "demos_2d.csv"), ["demo", "t", "x[m]", "y[m]"], "base_link",
              demos)


def make_joints(out_dir):
    rng = random.Random(SEED + 1)
    demos = []
    start_ns = EPOCH_NS
    for i in range(N_DEMOS_J):
        stamps, qs = demo_joints(rng, i, start_ns)
        demos.append(("demo%d" % i, stamps, qs))
        start_ns = stamps[-1] + int(GAP_J * 1e9)

    # Messages of both publishers, merged in stamp order as the recorder would receive them.
    records = []
    for _, stamps, qs in demos:
        for ns, q in zip(stamps, qs):
            msg = JointState()
            msg.header.stamp = stamp_of(ns)
            msg.name = list(JOINTS)
            msg.position = list(q)
            msg.velocity = []
            msg.effort = []
            records.append((ns, msg))
    first, last = demos[0][1][0], demos[-1][1][-1]
    period = int(1e9 / GRIPPER_RATE)
    ns = first + period // 3
    while ns < last:
        msg = JointState()
        msg.header.stamp = stamp_of(ns)
        msg.name = ["gripper"]
        msg.position = [0.04]
        records.append((ns, msg))
        ns += period
    records.sort(key=lambda r: r[0])
    with rosbag.Bag(os.path.join(out_dir, "demos_joints.bag"), "w", compression="lz4",
                    chunk_threshold=CHUNK_BYTES) as bag:
        for seq, (ns, msg) in enumerate(records):
            msg.header.seq = seq
            bag.write("/joint_states", msg, stamp_of(ns + RECORD_LATENCY_NS))
    write_csv(os.path.join(out_dir, "demos_joints.csv"),
              ["demo", "t"] + ["%s[rad]" % j for j in JOINTS], "", demos)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    out_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "..", "data", "sample")
    os.makedirs(out_dir, exist_ok=True)
    make_2d(out_dir)
    make_joints(out_dir)


if __name__ == "__main__":
    main()
