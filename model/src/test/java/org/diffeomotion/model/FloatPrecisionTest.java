package org.diffeomotion.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.diffeomotion.model.testing.ModelFactory;
import org.diffeomotion.model.testing.ModelSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Precision#FLOAT} against the double reference over seeded random models of every spec.
 *
 * <p>The stated bound: float positions within {@link #POSITION_BOUND} sigma of the double ones, for
 * starts within 3 sigma of the goal (float's unit roundoff 6e-8, amplified by the 8-16 networks of
 * a flow and their Lipschitz constants; worst seen over these models ~1e-5 sigma); the goal is
 * still reached to double rounding, because F(0) is cancelled by an anchor from the same
 * deterministic float evaluation.
 */
class FloatPrecisionTest {
  static final double POSITION_BOUND = 1e-4;
  static final double VELOCITY_BOUND = 1e-4;

  private static double[] start(MotionModel m, Random rnd, double sigmas) {
    double[] y0 = m.goal();
    double[] sc = m.scale();
    for (int i = 0; i < y0.length; i++) {
      y0[i] += sc[i] * sigmas * (2 * rnd.nextDouble() - 1);
    }
    return y0;
  }

  @ParameterizedTest(name = "spec {0}")
  @MethodSource("org.diffeomotion.model.Seeds#specIndices")
  void floatRolloutsStayWithinTheBoundOfDoubleAndEndExactlyAtTheGoal(int specIndex) {
    long seed = Seeds.base("floatVsDouble");
    Random rnd = new Random(seed + 7_000_003L * specIndex);
    ModelSpec spec = Seeds.specs()[specIndex];
    int n = 150;
    for (int trial = 0; trial < 4; trial++) {
      MotionModel model = ModelFactory.random(spec, rnd.nextLong());
      int d = model.stateDim();
      double[] sc = model.scale();
      Rollout rd = new Rollout(model, n + 1);
      Rollout rf = new Rollout(model, n + 1, Precision.FLOAT);
      assertEquals(Precision.FLOAT, rf.precision());
      double[] t = new double[n + 1];
      System.arraycopy(RolloutTest.uniformTimes(n, 6 * model.timeScale()), 0, t, 0, n);
      t[n] = 1e4 * model.timeScale(); // exp(A s) x0 underflows to 0: F(0) - c
      for (int k = 0; k < 5; k++) {
        double[] y0 = start(model, rnd, 3);
        double[] yd = new double[(n + 1) * d];
        double[] yf = new double[(n + 1) * d];
        double[] vd = new double[(n + 1) * d];
        double[] vf = new double[(n + 1) * d];
        rd.rollout(y0, t, n + 1, yd, vd);
        rf.rollout(y0, t, n + 1, yf, vf);
        for (int i = 0; i < yd.length; i++) {
          double err = Math.abs(yf[i] - yd[i]) / sc[i % d];
          assertTrue(
              err <= POSITION_BOUND,
              "float vs double position "
                  + err
                  + " sigma at "
                  + i
                  + " (bound "
                  + POSITION_BOUND
                  + ")");
        }
        double[] g = model.goal();
        for (int i = 0; i < d; i++) {
          assertEquals(g[i], yf[n * d + i], 1e-12 * sc[i], "goal, dimension " + i);
          assertEquals(0.0, vf[n * d + i], 1e-12, "velocity at the goal, dimension " + i);
          // t = 0 gives back the start: inverse and forward run the same float evaluation.
          assertEquals(y0[i], yf[i], 1e-9 * sc[i], "y(0), dimension " + i);
        }
      }
    }
  }

  @ParameterizedTest(name = "spec {0}")
  @MethodSource("org.diffeomotion.model.Seeds#specIndices")
  void floatVelocityFieldAgreesWithDouble(int specIndex) {
    long seed = Seeds.base("floatVelocity");
    Random rnd = new Random(seed + 9_000_011L * specIndex);
    ModelSpec spec = Seeds.specs()[specIndex];
    for (int trial = 0; trial < 4; trial++) {
      MotionModel model = ModelFactory.random(spec, rnd.nextLong());
      int d = model.stateDim();
      VelocityField fd = new VelocityField(model);
      VelocityField ff = new VelocityField(model, Precision.FLOAT);
      double[] vd = new double[d];
      double[] vf = new double[d];
      double[] sc = model.scale();
      for (int k = 0; k < 30; k++) {
        double[] y = start(model, rnd, 3);
        assertEquals(Status.OK, fd.tryVelocity(y, vd));
        assertEquals(Status.OK, ff.tryVelocity(y, vf));
        for (int i = 0; i < d; i++) {
          double unit = sc[i] / model.timeScale();
          double err = Math.abs(vf[i] - vd[i]) / (unit * (1 + Math.abs(vd[i]) / unit));
          assertTrue(err <= VELOCITY_BOUND, "float vs double velocity " + err + " at " + i);
        }
      }
      double[] v0 = new double[d];
      ff.velocity(model.goal(), v0);
      for (int i = 0; i < d; i++) {
        assertEquals(0.0, v0[i], 1e-12, "float velocity at the goal");
      }
    }
  }

  @ParameterizedTest(name = "spec {0}")
  @MethodSource("org.diffeomotion.model.Seeds#specIndices")
  void floatInverseUndoesFloatForward(int specIndex) {
    long seed = Seeds.base("floatInverse");
    Random rnd = new Random(seed + 11_000_027L * specIndex);
    MotionModel model = ModelFactory.random(Seeds.specs()[specIndex], rnd.nextLong());
    int dim = model.networkDim();
    int pts = 37;
    FlowEvaluator ev = FlowEvaluator.create(model, pts, "best", Precision.FLOAT);
    double[] x = new double[dim * pts];
    for (int i = 0; i < x.length; i++) {
      x[i] = 2 * rnd.nextGaussian();
    }
    double[] y = new double[x.length];
    double[] back = new double[x.length];
    ev.forward(x, y, pts);
    ev.inverse(y, back, pts);
    for (int i = 0; i < x.length; i++) {
      // Float-level tolerance; typically it is double rounding (the nets see the same inputs).
      assertEquals(x[i], back[i], 1e-6 * (1 + Math.abs(x[i])), "inverse(forward(x)) at " + i);
    }
  }

  @Test
  void scalarAndVectorFloatKernelsGiveTheSameRollouts() {
    MotionModel model = ModelFactory.random(new ModelSpec().stateDim(3).blocks(4).hidden(24), 11);
    double[] t = RolloutTest.uniformTimes(70, 3);
    double[] y0 = {0.3, -0.2, 0.5};
    double[] a = new Rollout(model, 70, "scalar", Precision.FLOAT).rollout(y0, t);
    double[] b = new Rollout(model, 70, "vector", Precision.FLOAT).rollout(y0, t);
    for (int i = 0; i < a.length; i++) {
      // The networks agree bit for bit; the double parts (exp, sin, cos) to ~1e-15.
      assertEquals(a[i], b[i], 1e-13, "at " + i);
    }
  }

  @Test
  void precisionNamesParseAndBadOnesAreNamed() {
    assertEquals(Precision.FLOAT, Precision.named("float"));
    assertEquals(Precision.DOUBLE, Precision.named(" Double "));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Precision.named("half"));
    assertTrue(e.getMessage().contains("'half'") && e.getMessage().contains("double or float"));
    assertThrows(
        IllegalArgumentException.class,
        () -> new Rollout(ModelFactory.identity(new ModelSpec()), 1, (Precision) null));
  }
}
