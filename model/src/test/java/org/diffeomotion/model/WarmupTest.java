package org.diffeomotion.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.diffeomotion.model.testing.ModelFactory;
import org.diffeomotion.model.testing.ModelSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link Warmup}: runs for its budget on its own evaluators, reports every timed rollout, stops on
 * interrupt, refuses bad budgets naming the field, and leaves a model's served rollouts unchanged.
 * Whether it makes the first request fast is measured, not tested (scripts/bench-model.sh, the
 * fresh-JVM rows; model/README.md, "Cold start").
 */
class WarmupTest {
  private static final long SEED = 20261205L;

  @ParameterizedTest
  @EnumSource(Precision.class)
  void runsForItsBudgetAndReportsEveryTimedRollout(Precision precision) {
    MotionModel m = ModelFactory.random(new ModelSpec().stateDim(2).blocks(3).hidden(16), SEED);
    AtomicInteger positions = new AtomicInteger();
    AtomicInteger withVelocity = new AtomicInteger();
    long t0 = System.nanoTime();
    Warmup.Report r =
        Warmup.run(
            m,
            precision,
            0.2,
            (points, velocities, nanos) -> {
              assertEquals(Warmup.POINTS, points);
              assertTrue(nanos > 0, "nanos " + nanos);
              (velocities ? withVelocity : positions).incrementAndGet();
            });
    double elapsed = (System.nanoTime() - t0) / 1e9;
    assertTrue(elapsed >= 0.2, "returned after " + elapsed + " s, before its budget of 0.2 s");
    assertTrue(r.elapsedNanos() >= 200_000_000L, r.describe());
    assertFalse(r.stopped(), r.describe());
    assertTrue(r.rounds() >= 1, r.describe());
    assertEquals(r.rounds(), positions.get());
    assertEquals(r.rounds(), withVelocity.get());
    assertTrue(r.bestRolloutNanos() > 0 && r.bestRolloutNanos() <= r.firstRolloutNanos());
    assertTrue(r.bestRolloutNanos() <= r.lastRolloutNanos());
    assertTrue(r.describe().startsWith("warm-up done after 0."), r.describe());
  }

  @Test
  void planOnlyAndPoseModelsWarmUpToo() {
    // a > 0: no reactive field, so no velocity queries; must not throw.
    MotionModel planOnly =
        ModelFactory.random(new ModelSpec().stateDim(2).augmentDim(1).blocks(2).hidden(8), SEED);
    assertFalse(planOnly.supportsStateFeedback());
    assertTrue(Warmup.run(planOnly, Precision.DOUBLE, 0.05, null).rounds() >= 1);
    MotionModel pose =
        ModelFactory.random(new ModelSpec().pose(0, 0, 0, 1).blocks(2).hidden(8), SEED + 1);
    assertTrue(pose.isPose());
    assertTrue(Warmup.run(pose, Precision.FLOAT, 0.05, null).rounds() >= 1);
  }

  @Test
  void aBackgroundWarmupStopsWhenInterruptedAndKeepsServedResultsUnchanged() throws Exception {
    MotionModel m = ModelFactory.random(new ModelSpec().stateDim(2).blocks(3).hidden(16), SEED);
    Rollout served = new Rollout(m, 200);
    double[] times = new double[200];
    TimeGrids.fillUniformStep(times, 200, 0.02);
    double[] y0 = {0.7, -0.4};
    double[] before = new double[400];
    assertEquals(Status.OK, served.tryRollout(y0, times, 200, before, null));
    CompletableFuture<Warmup.Report> done = new CompletableFuture<>();
    Thread t = Warmup.startInBackground(m, Precision.DOUBLE, 30.0, null, done::complete);
    assertTrue(t.isDaemon());
    assertEquals(Thread.MIN_PRIORITY, t.getPriority());
    assertEquals("warmup-" + m.name(), t.getName());
    // Served meanwhile, on the caller's own evaluator: the same values. Not the same bits: the
    // JIT's tiers round the kernels' transcendental functions differently in the last place
    // (seen here: 1 ulp between the first, interpreted rollout and later ones), but a warm-up that
    // shared the served evaluator's workspace would move them by far more than 1e-12.
    double[] during = new double[400];
    for (int k = 0; k < 50; k++) {
      assertEquals(Status.OK, served.tryRollout(y0, times, 200, during, null));
      for (int i = 0; i < before.length; i++) {
        assertEquals(before[i], during[i], 1e-12 * (1 + Math.abs(before[i])), "value " + i);
      }
    }
    t.interrupt();
    Warmup.Report r = done.get(10, TimeUnit.SECONDS);
    assertTrue(r.stopped(), r.describe());
    assertTrue(r.elapsedNanos() < 10_000_000_000L, r.describe());
    assertTrue(r.describe().startsWith("warm-up stopped after"), r.describe());
    t.join(5000);
    assertFalse(t.isAlive());
  }

  @Test
  void zeroBudgetStartsNothingAndBadBudgetsNameTheField() {
    MotionModel m = ModelFactory.random(new ModelSpec().stateDim(2).blocks(2).hidden(8), SEED);
    assertNull(Warmup.startInBackground(m, Precision.DOUBLE, 0.0, null, null));
    assertEquals(4.0, Warmup.checkBudget("~warmup", 4.0));
    for (double bad : new double[] {-1, Double.NaN, Double.POSITIVE_INFINITY, 60.5, 1e300}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> Warmup.checkBudget("~warmup", bad));
      assertTrue(
          e.getMessage().startsWith("~warmup = " + bad + " s is not a warm-up budget: expected 0"),
          e.getMessage());
    }
    assertThrows(IllegalArgumentException.class, () -> Warmup.run(m, Precision.DOUBLE, -0.1, null));
    assertThrows(
        IllegalArgumentException.class,
        () -> Warmup.startInBackground(m, Precision.DOUBLE, Double.NaN, null, null));
  }
}
