package org.diffeomotion.rosnode;

import java.util.Arrays;
import org.diffeomotion.ros1.msg.JointState;
import org.diffeomotion.ros1.msg.PointStamped;

/**
 * {@code ~goal}: moves the attractor of plans and commands. A goal in another frame, with a NaN,
 * the wrong joints or outside the workspace is refused with a throttled error, and the old goal
 * stays. Goal changes and reloads are serialized on {@link #lock}, shared with {@link
 * ModelReloader}.
 */
final class GoalListener {
  private final NodeContext ctx;
  private final Object lock;

  GoalListener(NodeContext ctx, Object lock) {
    this.ctx = ctx;
    this.lock = lock;
  }

  void onPoint(PointStamped g) {
    String f = g.header.frameId();
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
    double[] goal = {g.point.x, g.point.y, g.point.z};
    set(Arrays.copyOf(goal, ctx.d), "~goal");
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

  private void set(double[] goal, String from) {
    for (double v : goal) {
      if (!Double.isFinite(v)) {
        if (ctx.errors.ready(ErrorKind.GOAL_INPUT)) {
          ctx.error(
              from
                  + ": goal "
                  + Arrays.toString(goal)
                  + " is not finite; goal ignored"
                  + ctx.errors.suppressedSuffix(ErrorKind.GOAL_INPUT));
        }
        ctx.rejected.incrementAndGet();
        return;
      }
    }
    synchronized (lock) {
      ServedMotion s = ctx.served.get();
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
