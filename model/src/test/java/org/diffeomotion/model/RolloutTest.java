package org.diffeomotion.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Random;
import org.diffeomotion.model.testing.ModelFactory;
import org.diffeomotion.model.testing.ModelSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RolloutTest {

  static double[] uniformTimes(int n, double horizon) {
    double[] t = new double[n];
    for (int i = 0; i < n; i++) {
      t[i] = horizon * i / (n - 1);
    }
    return t;
  }

  @Test
  void identityModelRollsOutTheLinearBaseInClosedForm() {
    // F = id, so y(t) = g + sigma * exp(A t / tau) z0 with one oscillatory mode p = 0.5, w = 1.
    double eps = 0.1;
    double tau = 2.0;
    MotionModel model =
        ModelFactory.identity(
            new ModelSpec()
                .stateDim(2)
                .blocks(3)
                .epsilon(eps)
                .timeScale(tau)
                .goal(1, 2)
                .scale(0.5, 4));
    Rollout r = new Rollout(model, 100);
    double[] y0 = {1.5, -2};
    double[] t = uniformTimes(100, 10);
    double[] y = r.rollout(y0, t);
    double z1 = (y0[0] - 1) / 0.5;
    double z2 = (y0[1] - 2) / 4;
    double alpha = -(0.25 + eps);
    for (int j = 0; j < t.length; j++) {
      double s = t[j] / tau;
      double e = Math.exp(alpha * s);
      double x1 = e * (Math.cos(s) * z1 - Math.sin(s) * z2);
      double x2 = e * (Math.sin(s) * z1 + Math.cos(s) * z2);
      assertEquals(1 + 0.5 * x1, y[2 * j], 1e-14);
      assertEquals(2 + 4 * x2, y[2 * j + 1], 1e-14);
    }
  }

  @ParameterizedTest(name = "spec {0}")
  // a > 0: the reactive field lives on a slice the rollout leaves, so only a = 0 specs.
  @MethodSource("org.diffeomotion.model.Seeds#specIndicesWithoutAugmentation")
  void closedFormAgreesWithDormandPrinceOnTheLearnedField(int specIndex) {
    long seed = Seeds.base("closedFormVsDopri5");
    Random rnd = new Random(seed + 1_000_003L * specIndex);
    Integrator dp = Integrators.create("dopri5", Map.of("rtol", 1e-11, "atol", 1e-11));
    ModelSpec spec = Seeds.specs()[specIndex];
    for (int trial = 0; trial < 6; trial++) {
      MotionModel model = ModelFactory.random(spec, rnd.nextLong());
      int d = model.stateDim();
      Rollout r = new Rollout(model, 200);
      VelocityField f = new VelocityField(model);
      double[] y0 = model.goal();
      double[] sc = model.scale();
      for (int i = 0; i < d; i++) {
        y0[i] += sc[i] * 2 * rnd.nextGaussian();
      }
      double[] t = uniformTimes(200, 4 * model.timeScale());
      double[] closed = new double[200 * d];
      double[] numeric = new double[200 * d];
      r.rollout(y0, t, 200, closed);
      dp.integrate(f, y0, t, 200, numeric);
      for (int i = 0; i < closed.length; i++) {
        double err = Math.abs(closed[i] - numeric[i]) / sc[i % d];
        assertTrue(
            err < 1e-7,
            "closed form vs dopri5 at point "
                + i / d
                + " dim "
                + i % d
                + ": "
                + closed[i]
                + " vs "
                + numeric[i]
                + " (seed "
                + seed
                + ")");
      }
    }
  }

  @ParameterizedTest(name = "spec {0}")
  @MethodSource("org.diffeomotion.model.Seeds#specIndices")
  void rolloutsFromFarAwayStartsEndAtTheGoalWithDecreasingLyapunovFunction(int specIndex) {
    long seed = Seeds.base("exactGoal");
    Random rnd = new Random(seed + 1_000_003L * specIndex);
    ModelSpec spec = Seeds.specs()[specIndex];
    MotionModel model = ModelFactory.random(spec, rnd.nextLong());
    int d = model.stateDim();
    double[] g = model.goal();
    double[] sc = model.scale();
    Rollout r = new Rollout(model, 400);
    VelocityField f = new VelocityField(model);
    double slowest = model.stability().slowestDecayRate();
    // Long enough for exp(-rate t) to fall far below rounding of the start's distance.
    double horizon = 45 / slowest;
    double[] t = uniformTimes(400, horizon);
    double[] y = new double[400 * d];
    for (int trial = 0; trial < 10; trial++) {
      double[] y0 = new double[d];
      for (int i = 0; i < d; i++) {
        y0[i] = g[i] + sc[i] * 20 * rnd.nextGaussian();
      }
      r.rollout(y0, t, 400, y);
      for (int i = 0; i < d; i++) {
        assertEquals(g[i], y[399 * d + i], 1e-9 * sc[i], "final state dim " + i);
      }
      if (model.supportsStateFeedback()) {
        double prev = Double.POSITIVE_INFINITY;
        double[] yj = new double[d];
        for (int j = 0; j < 400; j += 7) {
          System.arraycopy(y, j * d, yj, 0, d);
          double v = f.lyapunov(yj);
          assertTrue(
              v < prev || v < 1e-20,
              "V must decrease along the rollout: V(" + t[j] + ") = " + v + " >= " + prev);
          prev = v;
        }
      }
    }
    if (model.supportsStateFeedback()) {
      double[] v = new double[d];
      f.velocity(g, v);
      for (int i = 0; i < d; i++) {
        assertEquals(0.0, v[i], 1e-12 * sc[i] / model.timeScale(), "velocity at the goal");
      }
    }
  }

  @Test
  void everyChunkLengthGivesThePointsOfOnePointRollouts() {
    // Chunks are padded to the vector length (no scalar tails): the padded points must not leak
    // into the kept ones, whatever n is, with and without velocities, double and float.
    MotionModel m = ModelFactory.random(new ModelSpec().stateDim(3).blocks(3).hidden(16), 314);
    double[] y0 = {0.4, -0.3, 0.2};
    for (Precision pr : Precision.values()) {
      Rollout r = new Rollout(m, 200, pr);
      double[] one = new double[3];
      double[] oneV = new double[3];
      for (int n : new int[] {2, 3, 7, 9, 15, 17, 63, 65, 70, 129}) {
        double[] t = uniformTimes(n, 3);
        double[] out = new double[3 * n];
        double[] vel = new double[3 * n];
        r.rollout(y0, t, n, out, vel);
        for (int j = 0; j < n; j++) {
          r.rollout(y0, new double[] {t[j]}, 1, one, oneV);
          for (int i = 0; i < 3; i++) {
            double tol = pr == Precision.FLOAT ? 1e-6 : 1e-12;
            assertEquals(one[i], out[3 * j + i], tol, pr + " n " + n + " point " + j);
            assertEquals(oneV[i], vel[3 * j + i], tol, pr + " n " + n + " velocity " + j);
          }
        }
      }
    }
  }

  @Test
  void rolloutVelocitiesEqualTheFieldAlongTheTrajectory() {
    long seed = Seeds.base("rolloutVelocities");
    MotionModel model =
        ModelFactory.random(
            new ModelSpec().stateDim(3).blocks(4).hidden(32).timeScale(1.7).scale(0.3, 0.2, 0.5),
            seed);
    Rollout r = new Rollout(model, 150);
    VelocityField f = new VelocityField(model);
    double[] t = uniformTimes(150, 6);
    double[] y = new double[450];
    double[] v = new double[450];
    r.rollout(new double[] {0.4, -0.3, 0.9}, t, 150, y, v);
    double[] yj = new double[3];
    double[] fj = new double[3];
    for (int j = 0; j < 150; j++) {
      System.arraycopy(y, 3 * j, yj, 0, 3);
      f.velocity(yj, fj);
      for (int i = 0; i < 3; i++) {
        assertEquals(fj[i], v[3 * j + i], 1e-9 * Math.max(1, Math.abs(fj[i])));
      }
    }
  }

  @Test
  void startIsReproducedAndGoalAndTimeScaleOverridesBehave() {
    long seed = Seeds.base("overrides");
    MotionModel model = ModelFactory.random(new ModelSpec().stateDim(2), seed);
    Rollout r = new Rollout(model, 50);
    double[] y0 = {0.7, -1.1};
    double[] t = uniformTimes(50, 5);
    double[] base = r.rollout(y0, t);
    assertEquals(y0[0], base[0], 1e-12);
    assertEquals(y0[1], base[1], 1e-12);
    // Moving the goal by delta translates the whole motion (start moved along).
    r.setGoal(new double[] {3, 4});
    double[] moved = r.rollout(new double[] {3.7, 2.9}, t);
    for (int i = 0; i < base.length; i++) {
      assertEquals(base[i] + (i % 2 == 0 ? 3 : 4), moved[i], 1e-12);
    }
    r.resetGoal();
    // Doubling tau replays the same path at half speed: y_2tau(2t) = y_tau(t).
    r.setTimeScale(2 * model.timeScale());
    double[] t2 = new double[50];
    for (int j = 0; j < 50; j++) {
      t2[j] = 2 * t[j];
    }
    double[] slow = r.rollout(y0, t2);
    for (int i = 0; i < base.length; i++) {
      assertEquals(base[i], slow[i], 1e-12);
    }
  }

  @Test
  void batchOfStartsEqualsSingleRollouts() {
    long seed = Seeds.base("batch");
    MotionModel model = ModelFactory.random(new ModelSpec().stateDim(2), seed);
    Rollout r = new Rollout(model, 70);
    double[] t = uniformTimes(70, 3);
    double[] starts = {0.1, 0.2, -1, 2, 3, -0.5};
    double[] out = new double[3 * 70 * 2];
    assertEquals(Status.OK, r.tryRolloutBatch(starts, 3, t, 70, out, null));
    for (int b = 0; b < 3; b++) {
      double[] one = r.rollout(new double[] {starts[2 * b], starts[2 * b + 1]}, t);
      for (int i = 0; i < one.length; i++) {
        // The same arithmetic, but one path may run interpreted and the other JIT-compiled, which
        // can round a last bit differently (seen once: ...151097 vs ...15110): 1e-14 relative.
        assertEquals(
            one[i],
            out[b * 140 + i],
            1e-14 * Math.max(1, Math.abs(one[i])),
            "start " + b + ", value " + i);
      }
    }
  }

  @Test
  void badInputIsRejectedWithMessagesNamingTheField() {
    MotionModel model = ModelFactory.random(new ModelSpec().stateDim(2), 1);
    Rollout r = new Rollout(model, 10);
    double[] out = new double[20];
    double[] t = uniformTimes(10, 1);
    assertMessage(
        () -> r.rollout(new double[] {1, Double.NaN}, t, 10, out), "start state[1] is NaN");
    assertMessage(() -> r.rollout(new double[] {1, 2, 3}, t, 10, out), "start state has 3 values");
    double[] unsorted = t.clone();
    unsorted[5] = 0.01;
    assertMessage(
        () -> r.rollout(new double[] {1, 2}, unsorted, 10, out), "times[5] = 0.01 < times[4]");
    double[] negative = t.clone();
    negative[0] = -1;
    assertMessage(
        () -> r.rollout(new double[] {1, 2}, negative, 10, out), "times[0] = -1.0 is negative");
    double[] inf = t.clone();
    inf[9] = Double.POSITIVE_INFINITY;
    assertMessage(() -> r.rollout(new double[] {1, 2}, inf, 10, out), "times[9] is Infinity");
    assertMessage(
        () -> r.rollout(new double[] {1, 2}, uniformTimes(11, 1), 11, new double[22]),
        "n = 11 output times requested; this rollout takes 0..10");
    assertMessage(
        () -> r.rollout(new double[] {1, 2}, t, 10, new double[19]), "output array too small");
    assertMessage(() -> r.setGoal(new double[] {0, Double.NaN}), "goal[1] is NaN");
    assertMessage(() -> r.setTimeScale(0), "time_scale must be finite and > 0");
    assertEquals(
        Status.ERR_UNSORTED_TIMES, r.tryRollout(new double[] {1, 2}, unsorted, 10, out, null));
    VelocityField f = new VelocityField(model);
    assertMessage(
        () -> f.velocity(new double[] {Double.NEGATIVE_INFINITY, 0}, new double[2]),
        "state[0] is -Infinity");
    assertMessage(() -> f.velocity(new double[] {1}, new double[2]), "state has 1 values");
    // The evaluator keeps working after rejected requests.
    r.rollout(new double[] {1, 2}, t, 10, out);
    assertTrue(Double.isFinite(out[19]));
  }

  static void assertMessage(org.junit.jupiter.api.function.Executable call, String part) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    assertTrue(
        e.getMessage().contains(part), "message '" + e.getMessage() + "' lacks '" + part + "'");
  }
}
