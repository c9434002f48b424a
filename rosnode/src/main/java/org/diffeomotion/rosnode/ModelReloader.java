package org.diffeomotion.rosnode;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.diffeomotion.model.ModelArtifacts;
import org.diffeomotion.model.MotionModel;

/**
 * {@code ~reload}: reads {@code ~model} (a changed path is followed) again, validates it, checks
 * that the node can serve it with its fixed topic types, and swaps it in (the goal resets to the
 * new model's); on any failure the served model stays. The embedded gRPC server follows.
 */
final class ModelReloader {

  /** What a reload did: {@code loaded} false means the old model is still served. */
  record Result(boolean loaded, String message) {}

  private final NodeContext ctx;
  private final GrpcBridge grpc;
  private final Object lock;

  /**
   * @param lock serializes reloads with goal changes ({@link GoalListener})
   */
  ModelReloader(NodeContext ctx, GrpcBridge grpc, Object lock) {
    this.ctx = ctx;
    this.grpc = grpc;
    this.lock = lock;
  }

  Result reload() {
    synchronized (lock) {
      ServedMotion old = ctx.served.get();
      Object p = ctx.param("~model", old.file.toString());
      Path file = Path.of(p == null ? old.file.toString() : p.toString());
      MotionModel m;
      try {
        m = ModelArtifacts.read(file);
      } catch (IOException | RuntimeException e) {
        return refusedKeeping(old, file, "failed", e.getMessage());
      }
      String why = incompatibility(old.model, m);
      if (why != null) {
        return refusedKeeping(
            old,
            file,
            "refused",
            why + " (the topic types are fixed; restart the node for another kind of model)");
      }
      String input = NodeContext.inputTypeProblem(m, ctx.config);
      if (input != null) {
        return refusedKeeping(old, file, "refused", input);
      }
      String precision = NodeContext.precisionProblem(m, ctx.config.precision());
      if (precision != null) {
        return refusedKeeping(old, file, "refused", precision);
      }
      ServedMotion s = ctx.serve(m, file);
      ctx.served.set(s);
      ctx.announceGoal();
      grpc.update(m, file, ctx.ros);
      String msg =
          "loaded '"
              + m.name()
              + "' ("
              + MotionNode.describe(m)
              + ") from "
              + file
              + "; goal reset to the model's "
              + Arrays.toString(s.goal)
              + (s.pose
                  ? ", goal orientation to the model's "
                      + Arrays.toString(s.goalOrientation)
                      + (ctx.startedPose
                          ? ""
                          : " (~goal is a PointStamped in this node: it moves the position only;"
                              + " restart the node to move the goal orientation)")
                  : "");
      ctx.info(msg);
      ctx.warmUp(s);
      return new Result(true, msg);
    }
  }

  /** "reload of FILE VERB, still serving 'NAME' from OLD: REASON", logged as an error. */
  private Result refusedKeeping(ServedMotion old, Path file, String verb, String reason) {
    String msg =
        "reload of "
            + file
            + " "
            + verb
            + ", still serving '"
            + old.model.name()
            + "' from "
            + old.file
            + ": "
            + reason;
    ctx.error(msg);
    return new Result(false, msg);
  }

  private String incompatibility(MotionModel old, MotionModel m) {
    // Pose and position-only Cartesian models share the topic types (PoseStamped in, Path and
    // TwistStamped out): the dimension may change between them.
    boolean poseSwap =
        (m.isPose() || old.isPose())
            && ctx.space == MotionNode.Space.CARTESIAN
            && MotionNode.spaceOf(m) == MotionNode.Space.CARTESIAN;
    if (m.stateDim() != old.stateDim() && !poseSwap) {
      return "state dimension " + m.stateDim() + " differs from " + old.stateDim();
    }
    if (MotionNode.spaceOf(m) != ctx.space) {
      return "the new model is " + MotionNode.spaceOf(m) + " space, the node serves " + ctx.space;
    }
    if (ctx.space == MotionNode.Space.JOINT && !m.dimensionNames().equals(old.dimensionNames())) {
      return "joint names " + m.dimensionNames() + " differ from " + old.dimensionNames();
    }
    if (ctx.space == MotionNode.Space.CARTESIAN
        && ctx.config.frameId().isEmpty()
        && !m.frameId().equals(ctx.frame)) {
      return "frame '" + m.frameId() + "' differs from the node's frame '" + ctx.frame + "'";
    }
    return null;
  }
}
