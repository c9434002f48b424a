package org.diffeomotion.grpc;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.StatusRuntimeException;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.diffeomotion.proto.motion.v1.DescribeModelRequest;
import org.diffeomotion.proto.motion.v1.ModelDescription;
import org.diffeomotion.proto.motion.v1.MotionServiceGrpc;
import org.diffeomotion.proto.motion.v1.RolloutRequest;
import org.diffeomotion.proto.motion.v1.RolloutResponse;
import org.diffeomotion.proto.motion.v1.TimeGrid;
import org.diffeomotion.proto.motion.v1.UniformCount;

/**
 * A small command-line client of the motion service, what a motion planner does in a few lines:
 * describe a model, ask for a closed-form rollout, print it.
 *
 * <pre>
 * MotionGrpcClientMain --target 127.0.0.1:PORT --model NAME (--start X,Y[,..] | --start-pose
 *                      X,Y,Z,QX,QY,QZ,QW) [--count 11] [--duration 4] [--deadline-ms 2000]
 * </pre>
 *
 * For a full-pose model (1.2) the start may be a pose ([m] and a unit quaternion, the ROS order),
 * and the poses and angular velocities [rad/s, the model's frame] are printed after the states.
 *
 * <p>Exit status 0 on success, 1 when the call fails (the gRPC status is printed), 2 for bad flags.
 */
public final class MotionGrpcClientMain {
  private MotionGrpcClientMain() {}

  public static void main(String[] args) throws InterruptedException {
    String target = null;
    String model = null;
    double[] start = null;
    double[] startPose = null;
    int count = 11;
    double duration = 4;
    long deadlineMs = 2000;
    try {
      for (int i = 0; i < args.length; i += 2) {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(args[i] + " needs a value");
        }
        String v = args[i + 1];
        switch (args[i]) {
          case "--target" -> target = v;
          case "--model" -> model = v;
          case "--start" -> start = values(v);
          case "--start-pose" -> startPose = values(v);
          case "--count" -> count = Integer.parseInt(v);
          case "--duration" -> duration = Double.parseDouble(v);
          case "--deadline-ms" -> deadlineMs = Long.parseLong(v);
          default -> throw new IllegalArgumentException("unknown flag " + args[i]);
        }
      }
      if (target == null || model == null || (start == null) == (startPose == null)) {
        throw new IllegalArgumentException(
            "--target, --model and one of --start and --start-pose are required");
      }
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      System.err.println(
          "usage: MotionGrpcClientMain --target HOST:PORT --model NAME "
              + "(--start X,Y[,..] | --start-pose X,Y,Z,QX,QY,QZ,QW) [--count N] [--duration S] "
              + "[--deadline-ms MS]");
      System.exit(2);
      return;
    }
    ManagedChannel ch = ManagedChannelBuilder.forTarget(target).usePlaintext().build();
    try {
      MotionServiceGrpc.MotionServiceBlockingStub stub = MotionServiceGrpc.newBlockingStub(ch);
      ModelDescription d =
          stub.withDeadlineAfter(deadlineMs, TimeUnit.MILLISECONDS)
              .describeModel(DescribeModelRequest.newBuilder().setModel(model).build());
      System.out.printf(
          Locale.ROOT,
          "model %s: d=%d, dimensions %s [%s], frame '%s', "
              + "slowest decay %.4g 1/s, state feedback %s%n",
          d.getSummary().getName(),
          d.getSummary().getStateDim(),
          d.getDimensionNamesList(),
          d.getDimensionUnitsList(),
          d.getFrameId(),
          d.getSlowestDecayRate(),
          d.getSupportsStateFeedback() ? "globally stable" : "not supported");
      if (d.hasPose()) {
        System.out.printf(
            Locale.ROOT,
            "full pose: position dims %s, rotation-vector dims %s, goal orientation (x, y, z, w) "
                + "%s; orientation converges almost globally (all but |r| = pi)%n",
            d.getPose().getPositionDimsList(),
            d.getPose().getRotationDimsList(),
            d.getPose().getGoalOrientationList());
      }
      RolloutRequest.Builder req =
          RolloutRequest.newBuilder()
              .setModel(model)
              .setIncludeVelocities(true)
              .setTimes(
                  TimeGrid.newBuilder()
                      .setUniformCount(
                          UniformCount.newBuilder().setCount(count).setDuration(duration)));
      for (double v : start != null ? start : new double[0]) {
        req.addStart(v);
      }
      for (double v : startPose != null ? startPose : new double[0]) {
        req.addStartPose(v);
      }
      long t0 = System.nanoTime();
      RolloutResponse r =
          stub.withDeadlineAfter(deadlineMs, TimeUnit.MILLISECONDS).rollout(req.build());
      double ms = (System.nanoTime() - t0) / 1e6;
      int dim = r.getStateDim();
      System.out.printf(
          Locale.ROOT,
          "Rollout: %d points in %.2f ms (first call, incl. "
              + "connection set-up), load generation %d%n",
          r.getPointCount(),
          ms,
          r.getGeneration());
      StringBuilder head = new StringBuilder("  t [s]");
      for (int k = 0; k < dim; k++) {
        head.append(String.format(Locale.ROOT, " %12s", d.getDimensionNames(k)));
      }
      for (int k = 0; k < dim; k++) {
        head.append(String.format(Locale.ROOT, " %12s", "d" + d.getDimensionNames(k) + "/dt"));
      }
      System.out.println(head);
      for (int j = 0; j < r.getPointCount(); j++) {
        StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%7.3f", r.getTimes(j)));
        for (int k = 0; k < dim; k++) {
          row.append(String.format(Locale.ROOT, " %12.6f", r.getStates(j * dim + k)));
        }
        for (int k = 0; k < dim; k++) {
          row.append(String.format(Locale.ROOT, " %12.6f", r.getVelocities(j * dim + k)));
        }
        System.out.println(row);
      }
      if (r.getPosesCount() > 0) {
        System.out.printf(
            Locale.ROOT,
            "  t [s] %10s %10s %10s %10s %10s %10s %10s %10s %10s %10s%n",
            "x",
            "y",
            "z",
            "q_x",
            "q_y",
            "q_z",
            "q_w",
            "w_x",
            "w_y",
            "w_z");
        for (int j = 0; j < r.getPointCount(); j++) {
          StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%7.3f", r.getTimes(j)));
          for (int k = 0; k < 7; k++) {
            row.append(String.format(Locale.ROOT, " %10.6f", r.getPoses(j * 7 + k)));
          }
          for (int k = 0; k < 3; k++) {
            row.append(String.format(Locale.ROOT, " %10.6f", r.getAngularVelocities(j * 3 + k)));
          }
          System.out.println(row);
        }
      }
    } catch (StatusRuntimeException e) {
      System.err.println(
          "error: " + e.getStatus().getCode() + ": " + e.getStatus().getDescription());
      System.exit(1);
    } finally {
      ch.shutdownNow();
      ch.awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  /** Comma-separated doubles. */
  private static double[] values(String v) {
    String[] parts = v.split(",");
    double[] out = new double[parts.length];
    for (int k = 0; k < parts.length; k++) {
      out[k] = Double.parseDouble(parts[k].strip());
    }
    return out;
  }
}
