package org.diffeomotion.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.diffeomotion.model.testing.ModelFactory;
import org.diffeomotion.model.testing.ModelSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Batches split over threads give the single-thread results, errors included. To rounding, not
 * bitwise: the vector kernels' exp/sin/cos are the JIT's intrinsics once compiled and Java
 * fallbacks before, which differ in the last bit, and a worker thread may run before its code is
 * compiled (one Rollout differs the same way cold and warm).
 */
class ParallelRolloutsTest {
  static void assertClose(double[] want, double[] got, String what) {
    assertEquals(want.length, got.length, what);
    for (int i = 0; i < want.length; i++) {
      assertEquals(want[i], got[i], 1e-13 * Math.max(1, Math.abs(want[i])), what + " at " + i);
    }
  }

  static final long SEED = 77L;
  final MotionModel model =
      ModelFactory.random(new ModelSpec().stateDim(3).blocks(3).hidden(16), SEED);

  static double[] starts(int count, int d, Random rnd) {
    double[] s = new double[count * d];
    for (int i = 0; i < s.length; i++) {
      s[i] = 2 * rnd.nextGaussian();
    }
    return s;
  }

  @ParameterizedTest
  @CsvSource({"1,1,2", "2,7,50", "3,10,100", "4,33,70", "2,2,1000", "3,64,16"})
  void splitBatchesEqualOneRolloutBatchBitwise(int threads, int count, int n) {
    Random rnd = new Random(SEED + threads * 31 + count);
    double[] s = starts(count, 3, rnd);
    double[] t = RolloutTest.uniformTimes(n, 3);
    double[] want = new double[count * n * 3];
    double[] wantV = new double[count * n * 3];
    Rollout one = new Rollout(model, n);
    assertEquals(Status.OK, one.tryRolloutBatch(s, count, t, n, want, wantV));
    try (ParallelRollouts par = new ParallelRollouts(model, n, Precision.DOUBLE, threads, 1)) {
      for (int round = 0; round < 3; round++) {
        double[] got = new double[want.length];
        double[] gotV = new double[want.length];
        assertEquals(Status.OK, par.tryRolloutBatch(s, count, t, n, got, round == 1 ? null : gotV));
        assertClose(want, got, "seed " + SEED + " threads " + threads + " round " + round);
        if (round != 1) {
          assertClose(wantV, gotV, "velocities, threads " + threads);
        }
      }
    }
  }

  @Test
  void aBadStartInALaterRangeIsReportedAsOneRolloutReportsIt() {
    int count = 12;
    int n = 20;
    double[] s = starts(count, 3, new Random(SEED));
    s[3 * 10 + 1] = Double.NaN;
    double[] t = RolloutTest.uniformTimes(n, 1);
    double[] out = new double[count * n * 3];
    try (ParallelRollouts par = new ParallelRollouts(model, n, Precision.DOUBLE, 3, 1)) {
      assertEquals(3, par.threadsFor(count, n));
      assertEquals(Status.ERR_NON_FINITE_INPUT, par.tryRolloutBatch(s, count, t, n, out, null));
      s[3 * 10 + 1] = 0;
      assertEquals(Status.OK, par.tryRolloutBatch(s, count, t, n, out, null), "keeps working");
      assertEquals(Status.ERR_DIMENSION, par.tryRolloutBatch(s, count + 1, t, n, out, null));
      assertEquals(
          Status.ERR_OUTPUT_TOO_SMALL, par.tryRolloutBatch(s, count, t, n, new double[5], null));
    }
  }

  @Test
  void goalAndTimeScaleOverridesReachEveryThread() {
    int count = 8;
    int n = 30;
    double[] s = starts(count, 3, new Random(SEED + 5));
    double[] t = RolloutTest.uniformTimes(n, 2);
    double[] goal = {1, -2, 0.5};
    Rollout one = new Rollout(model, n);
    one.setGoal(goal);
    one.setTimeScale(2.5);
    double[] want = new double[count * n * 3];
    one.tryRolloutBatch(s, count, t, n, want, null);
    try (ParallelRollouts par = new ParallelRollouts(model, n, Precision.DOUBLE, 4, 1)) {
      par.setGoal(goal);
      par.setTimeScale(2.5);
      double[] got = new double[want.length];
      par.tryRolloutBatch(s, count, t, n, got, null);
      assertClose(want, got, "overrides");
      par.resetGoal();
      par.resetTimeScale();
      one.resetGoal();
      one.resetTimeScale();
      one.tryRolloutBatch(s, count, t, n, want, null);
      par.tryRolloutBatch(s, count, t, n, got, null);
      assertClose(want, got, "reset on every thread");
    }
  }

  @Test
  void smallBatchesStayOnTheCallerAndCloseStopsTheWorkers() {
    ParallelRollouts par = new ParallelRollouts(model, 100, Precision.DOUBLE, 3, 2048);
    assertEquals(1, par.threadsFor(2, 1000), "2000 points: one thread");
    assertEquals(2, par.threadsFor(5, 1000), "5000 points: two threads of >= 2048");
    assertEquals(3, par.threadsFor(100, 100));
    assertEquals(1, par.threadsFor(1, 100_000), "one start is never split");
    par.close();
    par.close();
    for (Thread w : par.workerThreads()) {
      assertFalse(w.isAlive(), w.getName() + " stopped");
    }
    assertEquals(
        Status.ERR_CLOSED,
        par.tryRolloutBatch(new double[3], 1, new double[] {0}, 1, new double[3], null));
    assertThrows(
        IllegalArgumentException.class,
        () -> new ParallelRollouts(model, 10, Precision.DOUBLE, 0, 1));
  }

  @Test
  void sharedUseAnswersBusyInsteadOfQueueingAndTheGoalOverloadResets() throws Exception {
    int count = 16;
    int n = 200;
    double[] s = starts(count, 3, new Random(SEED + 9));
    double[] t = RolloutTest.uniformTimes(n, 2);
    double[] goal = {0.3, 0.2, -0.1};
    Rollout one = new Rollout(model, n);
    double[] plain = new double[count * n * 3];
    one.tryRolloutBatch(s, count, t, n, plain, null);
    one.setGoal(goal);
    one.setTimeScale(0.5);
    double[] moved = new double[count * n * 3];
    one.tryRolloutBatch(s, count, t, n, moved, null);
    try (ParallelRollouts par = new ParallelRollouts(model, n, Precision.DOUBLE, 2, 1)) {
      java.util.concurrent.atomic.AtomicInteger busy =
          new java.util.concurrent.atomic.AtomicInteger();
      java.util.concurrent.atomic.AtomicInteger ok =
          new java.util.concurrent.atomic.AtomicInteger();
      java.util.concurrent.atomic.AtomicReference<String> wrong =
          new java.util.concurrent.atomic.AtomicReference<>();
      Thread[] users = new Thread[3];
      for (int u = 0; u < users.length; u++) {
        boolean withGoal = u % 2 == 0;
        users[u] =
            new Thread(
                () -> {
                  double[] got = new double[plain.length];
                  for (int r = 0; r < 40; r++) {
                    int st =
                        withGoal
                            ? par.tryRolloutBatch(s, count, t, n, got, null, goal, 0.5)
                            : par.tryRolloutBatch(s, count, t, n, got, null, null, 0);
                    if (st == Status.ERR_BUSY) {
                      busy.incrementAndGet();
                      continue;
                    }
                    ok.incrementAndGet();
                    double[] want = withGoal ? moved : plain;
                    for (int i = 0; i < want.length; i++) {
                      if (Math.abs(want[i] - got[i]) > 1e-13 * Math.max(1, Math.abs(want[i]))) {
                        wrong.set("user goal=" + withGoal + " round " + r + " index " + i);
                      }
                    }
                  }
                });
        users[u].start();
      }
      for (Thread u : users) {
        u.join(60_000);
      }
      assertEquals(null, wrong.get(), "seed " + SEED + ": overrides leaked between callers");
      assertEquals(120, busy.get() + ok.get());
      assertTrue(ok.get() > 0, "some batches ran");
    }
  }
}
