package org.diffeomotion.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.diffeomotion.model.testing.ModelFactory;
import org.diffeomotion.model.testing.ModelSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IntegratorsTest {
  /** y' = A y with A = [[-0.3, -2], [2, -0.3]]: y(t) = e^{-0.3 t} R(2t) y0 exactly. */
  static final OdeRhs SPIRAL =
      (t, y, dy) -> {
        dy[0] = -0.3 * y[0] - 2 * y[1];
        dy[1] = 2 * y[0] - 0.3 * y[1];
      };

  static double[] exact(double t, double[] y0) {
    double e = Math.exp(-0.3 * t);
    return new double[] {
      e * (Math.cos(2 * t) * y0[0] - Math.sin(2 * t) * y0[1]),
      e * (Math.sin(2 * t) * y0[0] + Math.cos(2 * t) * y0[1])
    };
  }

  static double maxError(Integrator integ, int n, double horizon) {
    double[] y0 = {1, 0.5};
    double[] t = RolloutTest.uniformTimes(n, horizon);
    double[] out = new double[2 * n];
    integ.integrate(SPIRAL, y0, t, n, out);
    double worst = 0;
    for (int j = 0; j < n; j++) {
      double[] ex = exact(t[j], y0);
      worst =
          Math.max(worst, Math.max(Math.abs(ex[0] - out[2 * j]), Math.abs(ex[1] - out[2 * j + 1])));
    }
    return worst;
  }

  @ParameterizedTest
  @CsvSource({"euler, 1", "midpoint, 2", "rk4, 4"})
  void fixedStepMethodsConvergeAtTheirOrder(String name, int order) {
    double e1 = maxError(Integrators.create(name, Map.of("dt", 0.01)), 11, 5);
    double e2 = maxError(Integrators.create(name, Map.of("dt", 0.005)), 11, 5);
    double observed = Math.log(e1 / e2) / Math.log(2);
    assertEquals(order, observed, 0.15, name + " observed order");
  }

  @Test
  void dopri5MeetsItsToleranceAtOutputTimesBetweenSteps() {
    for (double tol : new double[] {1e-4, 1e-7, 1e-10}) {
      Integrator dp = Integrators.create("dopri5", Map.of("rtol", tol, "atol", tol));
      // 997 output times: most fall between steps, so they test the dense output.
      double err = maxError(dp, 997, 8);
      assertTrue(err < 50 * tol, "dopri5 error " + err + " at tolerance " + tol);
      assertTrue(err > 1e-16, "an error of exactly zero means the test compares nothing");
    }
  }

  @Test
  void dopri5TakesFarFewerStepsThanOutputTimes() {
    Integrator dp = Integrators.create("dopri5", Map.of("rtol", 1e-6, "atol", 1e-6));
    double[] t = RolloutTest.uniformTimes(1000, 8);
    IntegrationStats st = dp.integrate(SPIRAL, new double[] {1, 0}, t, 1000, new double[2000]);
    assertTrue(st.steps() < 200, "steps " + st.steps());
    assertEquals(st.evaluations(), 6 * (st.steps() + st.rejected()) + 2);
  }

  @Test
  void unknownNamesAndOptionsAreErrors() {
    RolloutTest.assertMessage(
        () -> Integrators.create("rk45"),
        "unknown integrator 'rk45'; known: [dopri5, euler, midpoint, rk4]");
    RolloutTest.assertMessage(
        () -> Integrators.create("rk4", Map.of("rtol", 1e-3)),
        "rk4: unknown option 'rtol'; known: [dt]");
    RolloutTest.assertMessage(
        () -> Integrators.create("dopri5", Map.of("atol", -1.0)),
        "dopri5: option atol must be finite and > 0");
    RolloutTest.assertMessage(
        () -> Integrators.create("euler", Map.of("dt", 0.0)),
        "euler: option dt must be finite and > 0");
    assertEquals(
        java.util.Set.of("closed_form", "dopri5", "euler", "midpoint", "rk4"),
        TrajectorySolver.names());
  }

  @Test
  void everySolverAgreesWithTheClosedForm() {
    MotionModel model = ModelFactory.random(new ModelSpec().stateDim(2).blocks(4).hidden(32), 11);
    double[] t = RolloutTest.uniformTimes(101, 3);
    double[] y0 = {0.8, -0.4};
    double[] closed = new double[202];
    TrajectorySolver.create("closed_form", model, 101, Map.of()).solve(y0, t, 101, closed);
    Map<String, Double> tol = Map.of("euler", 5e-2, "midpoint", 1e-3, "rk4", 1e-7, "dopri5", 1e-5);
    for (String name : new String[] {"euler", "midpoint", "rk4", "dopri5"}) {
      double[] out = new double[202];
      Map<String, Double> opts = name.equals("dopri5") ? Map.of() : Map.of("dt", 0.002);
      TrajectorySolver.create(name, model, 101, opts).solve(y0, t, 101, out);
      double worst = 0;
      for (int i = 0; i < out.length; i++) {
        worst = Math.max(worst, Math.abs(out[i] - closed[i]));
      }
      assertTrue(worst < tol.get(name), name + " deviates " + worst);
    }
  }

  @Test
  void solversTakeTheSameGoalAndTimeScaleAndGiveTheModelsVelocities() {
    MotionModel model = ModelFactory.random(new ModelSpec().stateDim(2).blocks(4).hidden(32), 12);
    double[] t = RolloutTest.uniformTimes(51, 4);
    double[] y0 = {0.5, 0.9};
    double[] goal = {0.2, -0.1};
    double tau = 2.5 * model.timeScale();
    double[] closed = new double[102];
    double[] closedV = new double[102];
    TrajectorySolver cf = TrajectorySolver.create("closed_form", model, 51, Map.of());
    cf.setGoal(goal);
    cf.setTimeScale(tau);
    assertTrue(cf.isClosedForm());
    assertEquals(0, cf.solve(y0, t, 51, closed, closedV).steps());
    TrajectorySolver dp =
        TrajectorySolver.create("dopri5", model, 51, Map.of("rtol", 1e-10, "atol", 1e-10));
    dp.setGoal(goal);
    dp.setTimeScale(tau);
    double[] out = new double[102];
    double[] outV = new double[102];
    IntegrationStats stats = dp.solve(y0, t, 51, out, outV);
    assertTrue(stats.steps() > 0 && stats.evaluations() > stats.steps(), stats.toString());
    VelocityField f = new VelocityField(model);
    f.setGoal(goal);
    f.setTimeScale(tau);
    double[] v = new double[2];
    for (int i = 0; i < 51; i++) {
      for (int k = 0; k < 2; k++) {
        assertEquals(closed[2 * i + k], out[2 * i + k], 1e-7, "state " + i + "," + k);
      }
      f.velocity(new double[] {out[2 * i], out[2 * i + 1]}, v);
      assertEquals(v[0], outV[2 * i], 1e-15);
      assertEquals(v[1], outV[2 * i + 1], 1e-15);
      assertEquals(closedV[2 * i], outV[2 * i], 1e-6 * (1 + Math.abs(v[0])));
    }
    // The overrides are in force: moving the goal translates the motion (y0 - g is what
    // matters), and tau stretches time. The same motion from the model's own goal and tau:
    double[] gm = model.goal();
    double[] y0m = {y0[0] - goal[0] + gm[0], y0[1] - goal[1] + gm[1]};
    double[] tm = new double[51];
    for (int i = 0; i < 51; i++) {
      tm[i] = t[i] * model.timeScale() / tau;
    }
    double[] plain = new double[102];
    TrajectorySolver.create("closed_form", model, 51, Map.of()).solve(y0m, tm, 51, plain);
    for (int i = 0; i < 102; i++) {
      assertEquals(plain[i] - gm[i % 2] + goal[i % 2], closed[i], 1e-12, "point " + i / 2);
    }
  }
}
