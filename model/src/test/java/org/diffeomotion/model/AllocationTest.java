package org.diffeomotion.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.management.ManagementFactory;
import org.diffeomotion.model.testing.ModelFactory;
import org.diffeomotion.model.testing.ModelSpec;
import org.junit.jupiter.api.Test;

/** The hot paths allocate nothing once warm (per-thread allocated-bytes counter). */
/* Tag "isolated": runs in a JVM of its own (the parent pom's surefire execution). */
@org.junit.jupiter.api.Tag("isolated")
class AllocationTest {
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
  private static final int N = 70; // more than one rollout chunk

  private final MotionModel model =
      ModelFactory.random(new ModelSpec().stateDim(2).blocks(2).hidden(8), 3);
  private final Rollout rollout = new Rollout(model, N);
  private final VelocityField field = new VelocityField(model);
  private final Rollout rolloutF = new Rollout(model, N, Precision.FLOAT);
  private final VelocityField fieldF = new VelocityField(model, Precision.FLOAT);
  private final double[] times = RolloutTest.uniformTimes(N, 2);
  private final double[] y0 = {0.5, -0.25};
  private final double[] out = new double[2 * N];
  private final double[] vel = new double[2 * N];
  private final double[] v = new double[2];
  private double sink;
  private final MotionModel poseModel =
      ModelFactory.random(new ModelSpec().pose(0, 0, 0.6, 0.8).blocks(2).hidden(8), 4);
  private final PoseMap poseMap = new PoseMap(poseModel);
  private final VelocityField poseField = new VelocityField(poseModel);
  private final double[] pose = {0.1, 0.2, 0.3, 0.1, 0.2, 0.3, 0.9};
  private final double[] poseY = new double[6];
  private final double[] poseV = new double[6];
  private final double[] omega = new double[3];
  // Two threads, split from 2 points per thread on: the batch of 4 starts below always splits.
  private final ParallelRollouts parallel = new ParallelRollouts(model, N, Precision.DOUBLE, 2, 2);
  private final double[] batchStarts = {0.5, -0.25, 0.1, 0.2, -0.3, 0.4, 0.6, 0.1};
  private final double[] batchOut = new double[4 * 2 * N];

  private long workersAllocated() {
    long sum = 0;
    for (Thread w : parallel.workerThreads()) {
      sum += THREADS.getThreadAllocatedBytes(w.getId());
    }
    return sum;
  }

  private static long allocated() {
    return THREADS.getThreadAllocatedBytes(Thread.currentThread().getId());
  }

  /** The calls under test; the same method warms up and is measured, so the JIT sees one shape. */
  private int calls(int iterations, int parallelEvery) {
    int bad = 0;
    for (int i = 0; i < iterations; i++) {
      y0[0] = 0.5 + 1e-6 * i;
      bad += rollout.tryRollout(y0, times, N, out, (i & 1) == 0 ? null : vel) == Status.OK ? 0 : 1;
      bad += field.tryVelocity(y0, v) == Status.OK ? 0 : 1;
      bad += rolloutF.tryRollout(y0, times, N, out, (i & 1) == 0 ? vel : null) == Status.OK ? 0 : 1;
      bad += fieldF.tryVelocity(y0, v) == Status.OK ? 0 : 1;
      if (i % parallelEvery == 0) { // a hand-over to the worker costs ~10-50 us of parking
        bad +=
            parallel.tryRolloutBatch(batchStarts, 4, times, N, batchOut, null) == Status.OK ? 0 : 1;
      }
      poseMap.toState(pose, 0, poseY, 0);
      bad += poseField.tryVelocity(poseY, poseV) == Status.OK ? 0 : 1;
      poseMap.angularVelocity(poseY, 0, poseV, 0, omega, 0);
      poseMap.toPose(poseY, 0, pose, 0);
      sink += out[1] + v[0] + omega[2];
    }
    return bad;
  }

  @Test
  void rolloutsAndVelocityQueriesAllocateNothing() {
    // A small model keeps 100k calls quick; the code path is the same as for large ones.
    // Enough invocations for the JIT to compile calls() itself (not only an on-stack
    // replacement of its loop), so the measured call runs the final compiled code.
    // The warm-up hands every call's batch to the worker: the worker's thread runs the kernels
    // through their own compiled code (not inlined into calls()), and that code must reach C2
    // too. A CI run on a loaded 2-core machine once measured the worker allocating ~1 MB per
    // batch in every round after a warm-up of 13k batches (tier-3 Vector API code allocates).
    for (int round = 0; round < 300; round++) {
      calls(100, 1);
    }
    // One long run as well: its on-stack-replacement compile can deoptimize once, and
    // deoptimization re-materializes scalar-replaced objects (a one-off ~120 bytes seen here).
    calls(100_000, 10);
    long calibration = allocated();
    calibration = allocated() - calibration; // what reading the counter itself costs
    // The best of three rounds: on a loaded machine the JIT's compiler threads can lag, and
    // until the Vector API kernels are compiled they run as allocating fallbacks. A hot path
    // that allocates per call allocates in every round.
    long bytes = Long.MAX_VALUE;
    long workerBytes = Long.MAX_VALUE;
    int bad = 0;
    // Up to six rounds (each ~2 s) and each counter's best round: a JIT that lags catches up.
    StringBuilder rounds = new StringBuilder();
    for (int round = 0; round < 6 && (bytes != 0 || workerBytes != 0); round++) {
      long workersBefore = workersAllocated();
      long before = allocated();
      bad += calls(100_000, 10);
      long callerRound = allocated() - before - calibration;
      long workerRound = workersAllocated() - workersBefore;
      rounds.append(" [round ").append(round).append(": caller ").append(callerRound);
      rounds.append(" B, worker ").append(workerRound).append(" B]");
      bytes = Math.min(bytes, callerRound);
      workerBytes = Math.min(workerBytes, workerRound);
    }
    assertEquals(0, bad);
    // One message with both counters, so a failure tells which thread allocated and how much.
    assertEquals(
        "caller 0 B, worker 0 B",
        "caller " + bytes + " B, worker " + workerBytes + " B",
        "100k rollouts + 100k velocity queries, each in double and in float, 10k parallel"
            + " batches (the worker's share counted on its thread) and the pose maps allocated"
            + " in their best round, with "
            + rollout.kernels()
            + " / "
            + rolloutF.kernels()
            + " kernels;"
            + rounds
            + " (sink "
            + sink
            + ")");
  }
}
