package org.diffeomotion.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.diffeomotion.model.testing.ModelFactory;
import org.diffeomotion.model.testing.ModelSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class WorkspaceTest {
  private static MotionModel arm3(long seed) {
    return ModelFactory.random(
        new ModelSpec()
            .stateDim(3)
            .blocks(4)
            .hidden(32)
            .scale(0.5, 2.0, 1.0)
            .goal(1, -2, 0.5)
            .timeScale(2.5),
        seed);
  }

  @Test
  void boxAroundTheGoalInSigmaUnits() {
    Workspace.Bounds b = Workspace.defaults().of(arm3(1));
    // goal (1, -2, 0.5), sigma (0.5, 2, 1), 100 sigma.
    assertEquals(1 - 50, b.lo(0), 1e-12);
    assertEquals(1 + 50, b.hi(0), 1e-12);
    assertEquals(-2 - 200, b.lo(1), 1e-12);
    assertEquals(0.5 + 100, b.hi(2), 1e-12);
    assertEquals(-1, b.outside(new double[] {51, -202, -99.5}), "the corners are inside");
    assertEquals(0, b.outside(new double[] {51.001, 0, 0}));
    assertEquals(1, b.outside(new double[] {0, 1e300, 0}));
    assertEquals(2, b.outside(new double[] {0, 0, Double.NaN}), "NaN is outside");
    assertEquals(2, b.outside(new double[] {9, 9, 9, 0, 0, Double.NEGATIVE_INFINITY}, 3));
    String msg = b.describe("start[1]", 1, 1e300);
    assertTrue(
        msg.startsWith(
            "start[1] (y) = 1e+300 m is outside the model's workspace "
                + "[-202, 198] m (goal +- 100 sigma"),
        msg);
    assertEquals(-2 + 10 * 2, Workspace.defaults().withSigmas(10).of(arm3(1)).hi(1), 1e-12);
  }

  @Test
  void durationsAndTimeScales() {
    Workspace.Bounds b = Workspace.defaults().of(arm3(1)); // tau = 2.5 s
    assertNull(b.checkDuration("duration", 2500, 2.5));
    String msg = b.checkDuration("--duration", 1e12, 2.5);
    assertTrue(
        msg.startsWith(
            "--duration = 1e+12 s is longer than the model's workspace allows: "
                + "1000 tau = 2500 s (tau = 2.5 s)"),
        msg);
    // A slower override allows proportionally longer durations.
    assertNull(b.checkDuration("duration", 25_000, 25));
    assertTrue(b.checkDuration("duration", Double.NaN, 2.5) != null, "NaN refused");
    assertNull(b.checkTimeScale("time_scale", 2.5 * 1000));
    assertNull(b.checkTimeScale("time_scale", 2.5 / 1000));
    assertTrue(b.checkTimeScale("time_scale", 1e-300).contains("outside the accepted time scales"));
    assertTrue(b.checkTimeScale("time_scale", Double.NaN) != null);
  }

  @Test
  void badConfigurationNamesTheParameter() {
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> Workspace.defaults().withSigmas(0))
            .getMessage()
            .startsWith("sigmas must be"));
    assertThrows(
        IllegalArgumentException.class,
        () -> Workspace.defaults().withDurationTaus(Double.POSITIVE_INFINITY));
    assertThrows(
        IllegalArgumentException.class, () -> Workspace.defaults().withTimeScaleFactor(0.5));
  }

  /**
   * The workspace is worth having only if the model computes there: closed-form rollouts and
   * velocities from random points of the default box (corners included) are finite and the rollout
   * ends at the goal, for every test spec.
   */
  @ParameterizedTest(name = "spec {0}")
  @MethodSource("org.diffeomotion.model.Seeds#specIndices")
  void theModelIsFiniteEverywhereInTheDefaultWorkspace(int specIndex) {
    long seed = Seeds.base("WorkspaceTest.finite");
    Random rnd = new Random(seed + 1_000_003L * specIndex);
    ModelSpec spec = Seeds.specs()[specIndex];
    MotionModel m = ModelFactory.random(spec, seed);
    int d = m.stateDim();
    Workspace.Bounds b = Workspace.defaults().of(m);
    Rollout r = new Rollout(m, 2);
    VelocityField f = new VelocityField(m);
    double[] times = {0, 1000 * m.timeScale()};
    double[] out = new double[2 * d];
    double[] v = new double[d];
    for (int trial = 0; trial < 200; trial++) {
      double[] y = new double[d];
      for (int i = 0; i < d; i++) {
        double u = trial < 2 ? trial : rnd.nextDouble(); // two corners, then random
        y[i] = b.lo(i) + u * (b.hi(i) - b.lo(i));
      }
      assertEquals(Status.OK, r.tryRollout(y, times, 2, out, null), "rollout " + trial);
      for (int i = 0; i < d; i++) {
        assertTrue(Double.isFinite(out[i]) && Double.isFinite(out[d + i]));
        assertEquals(
            m.goal()[i],
            out[d + i],
            1e-6 * Math.max(1, Math.abs(b.hi(i))),
            "ends at the goal after 1000 tau");
      }
      int st = f.tryVelocity(y, v);
      assertEquals(Status.OK, st, "velocity " + trial);
      for (double vi : v) {
        assertTrue(Double.isFinite(vi));
      }
      assertFalse(b.outside(y) >= 0);
    }
  }
}
