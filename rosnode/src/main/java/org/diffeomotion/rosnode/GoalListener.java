package org.diffeomotion.rosnode;

import java.util.Arrays;
import org.diffeomotion.ros1.msg.JointState;
import org.diffeomotion.ros1.msg.PointStamped;
import org.diffeomotion.ros1.msg.PoseStamped;

/**
 * {@code ~goal}: moves the attractor of plans and commands. A node started with a pose model takes
 * a PoseStamped: the goal pose (position and orientation; the orientation must be a unit
 * quaternion); while it serves a position-only model (after a reload) only the position is used. A
 * node started with a position model takes a PointStamped (the position; a pose model reloaded into
 * it keeps its goal orientation). A goal in another frame, with a NaN, a bad orientation, the wrong
 * joints or outside the workspace is refused with a throttled error, and the old goal stays. Goal
 * changes and reloads are serialized on {@link #lock}, shared with {@link ModelReloader}.
 */
final class GoalListener {
  private final NodeContext ctx;
  private final Object lock;

  GoalListener(NodeContext ctx, Object lock) {
    this.ctx = ctx;
    this.lock = lock;
  }

  void onPoint(PointStamped g) {
    onPosition(g.header, g.point.x, g.point.y, g.point.z);
  }

  /** A goal pose (nodes started with a pose model). */
  void onPose(PoseStamped g) {
    ServedMotion s = ctx.served.get();
    if (!s.pose) {
      onPosition(g.header, g.pose.position.x, g.pose.position.y, g.pose.position.z);
      return;
    }
    double[] q = new double[4];
    double[] goal;
    InputStatus st;
    synchronized (lock) {
      s = ctx.served.get();
      if (!s.pose) { // a reload just swapped in a position model
        goal = null;
        st = InputStatus.OK;
      } else {
        goal = new double[s.d];
        st = ctx.goalPose(s, g.header, g.pose, goal, q);
        if (st == InputStatus.OK) {
          ctx.served.set(s.withGoalPose(goal, q));
        }
      }
    }
    if (goal == null) {
      onPosition(g.header, g.pose.position.x, g.pose.position.y, g.pose.position.z);
      return;
    }
    if (st != InputStatus.OK) {
      ctx.rejected.incrementAndGet();
      ErrorKind kind = st == InputStatus.FRAME ? ErrorKind.GOAL_FRAME : ErrorKind.GOAL_INPUT;
      if (ctx.errors.ready(kind)) {
        ctx.error(
            "~goal: "
                + ctx.inputProblem(s, g.header, st, goal, g.pose)
                + "; goal ignored, the old goal "
                + Arrays.toString(s.goal)
                + " with orientation "
                + Arrays.toString(s.goalOrientation)
                + " is kept"
                + ctx.errors.suppressedSuffix(kind));
      }
      return;
    }
    ctx.announceGoal();
    ctx.info("goal pose moved to " + Arrays.toString(goal) + ", orientation " + Arrays.toString(q));
  }

  private void onPosition(org.diffeomotion.ros1.msg.Header h, double x, double y, double z) {
    String f = h.frameId();
    if (!f.isEmpty() && !f.equals(ctx.frame)) {
      if (ctx.errors.ready(ErrorKind.GOAL_FRAME)) {
        ctx.error(
            "~goal: frame '"
                + f
                + "' is not the node's frame '"
                + ctx.frame
                + "' (no TF lookup); goal "
                + "ignored"
                + ctx.errors.suppressedSuffix(ErrorKind.GOAL_FRAME));
      }
      ctx.rejected.incrementAndGet();
      return;
    }
    set(new double[] {x, y, z}, "~goal");
  }

  void onJoints(JointState g) {
    JointMap map = new JointMap(ctx.jointNames);
    double[] goal = new double[ctx.d];
    InputStatus st = map.read(g, goal);
    if (st != InputStatus.OK) {
      if (ctx.errors.ready(ErrorKind.GOAL_INPUT)) {
        ctx.error(
            "~goal: "
                + map.problem(g, st)
                + "; goal ignored"
                + ctx.errors.suppressedSuffix(ErrorKind.GOAL_INPUT));
      }
      ctx.rejected.incrementAndGet();
      return;
    }
    set(goal, "~goal");
  }

  /**
   * Moves the goal to {@code xyz} (x, y, z: on the position dimensions of the model in force; a 2-D
   * model ignores z) or, for a joint model, to the d joint positions.
   */
  private void set(double[] xyz, String from) {
    double[] goal;
    synchronized (lock) {
      ServedMotion s = ctx.served.get();
      int n = ctx.space == MotionNode.Space.JOINT ? xyz.length : s.positionDims.length;
      for (int k = 0; k < n; k++) {
        if (!Double.isFinite(xyz[k])) {
          if (ctx.errors.ready(ErrorKind.GOAL_INPUT)) {
            ctx.error(
                from
                    + ": goal "
                    + Arrays.toString(Arrays.copyOf(xyz, n))
                    + " is not finite; goal ignored"
                    + ctx.errors.suppressedSuffix(ErrorKind.GOAL_INPUT));
          }
          ctx.rejected.incrementAndGet();
          return;
        }
      }
      if (ctx.space == MotionNode.Space.JOINT) {
        goal = xyz;
      } else {
        goal = new double[s.d]; // a pose model's rotation part: 0, relative to its orientation
        for (int k = 0; k < n; k++) {
          goal[s.positionDims[k]] = xyz[k];
        }
      }
      int i = s.bounds.outside(goal);
      if (i >= 0) {
        ctx.rejected.incrementAndGet();
        if (ctx.errors.ready(ErrorKind.GOAL_INPUT)) {
          ctx.error(
              from
                  + ": "
                  + s.bounds.describe("goal[" + i + "]", i, goal[i])
                  + "; the old goal "
                  + Arrays.toString(s.goal)
                  + " is kept (~workspace_sigmas widens the workspace)"
                  + ctx.errors.suppressedSuffix(ErrorKind.GOAL_INPUT));
        }
        return;
      }
      ctx.served.set(s.withGoal(goal));
    }
    ctx.announceGoal();
    ctx.info("goal moved to " + Arrays.toString(goal));
  }
}
