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
import org.junit.jupiter.params.provider.MethodSource;

class ArrivalTest {
  /**
   * Known answer: with the identity flow and one real mode, y(t) = g + σ x0 e^{-k t}, so the
   * distance tolerance δ holds from ln(|x0| / δ) / k and the speed tolerance δ_v from ln(|x0| k τ /
   * δ_v) / k; the time found is the later of the two, within the bisection's resolution (2^-9 of
   * the doubling that bracketed it).
   */
  @Test
  void knownAnswerForASingleDecayingMode() {
    // d = 1 needs one augmentation dimension (D = 2); the state is the first real mode's
    // coordinate (the augmentation starts at 0 and stays there under a diagonal base).
    MotionModel m =
        ModelFactory.random(
            new ModelSpec()
                .stateDim(1)
                .augmentDim(1)
                .blocks(2)
                .hidden(4)
                .outputWeightScale(0)
                .oscillatory(false)
                .goal(0.5)
                .scale(2.0)
                .timeScale(1.5),
            3);
    var base = m.toProto().getBase();
    double p = base.getModes(0).getP();
    double k = (p * p + base.getEpsilon()) / m.timeScale(); // [1/s]
    Rollout r = new Rollout(m, 1);
    double x0 = 40; // y0 = g + σ x0
    double[] y0 = {0.5 + 2.0 * x0};
    Arrival a = Arrival.defaults();
    double tDist = Math.log(x0 / a.distance()) / k;
    double tSpeed = Math.log(x0 * k * 1.5 / a.speed()) / k;
    double want = Math.max(tDist, tSpeed);
    double t =
        a.arrivalTime(r, y0, m.goal(), m.scale(), m.timeScale(), 0.1, 1e4, new Arrival.Scratch(1));
    assertTrue(t >= want * (1 - 1e-9), t + " < " + want);
    assertTrue(t <= want * (1 + 1.0 / 256), t + " much later than " + want);
    // Not reachable within maxTime: -1.
    assertEquals(
        -1,
        a.arrivalTime(
            r, y0, m.goal(), m.scale(), m.timeScale(), 0.1, want / 2, new Arrival.Scratch(1)));
  }

  /**
   * Random models and starts: the time found has arrived, and a slightly earlier one (the bracket)
   * had not.
   */
  @ParameterizedTest(name = "spec {0}")
  @MethodSource("org.diffeomotion.model.Seeds#specIndices")
  void theTimeFoundHasArrivedOnRandomModels(int specIndex) {
    long seed = Seeds.base("ArrivalTest.random");
    Random rnd = new Random(seed + 1_000_003L * specIndex);
    Arrival a = Arrival.defaults();
    ModelSpec spec = Seeds.specs()[specIndex];
    MotionModel m = ModelFactory.random(spec, seed);
    int d = m.stateDim();
    Rollout r = new Rollout(m, 1);
    Arrival.Scratch s = new Arrival.Scratch(d);
    double[] y = new double[d];
    double[] v = new double[d];
    for (int trial = 0; trial < 20; trial++) {
      double[] y0 = new double[d];
      for (int i = 0; i < d; i++) {
        y0[i] = m.goal()[i] + m.scale()[i] * 5 * rnd.nextGaussian();
      }
      double tau = m.timeScale();
      double t = a.arrivalTime(r, y0, m.goal(), m.scale(), tau, tau, 1000 * tau, s);
      assertTrue(t > 0, "spec " + spec + " trial " + trial + ": did not arrive within 1000 tau");
      r.rollout(y0, new double[] {t}, 1, y, v);
      assertTrue(a.reached(y, v, 0, m.goal(), m.scale(), tau));
      assertTrue(Arrival.normalisedDistance(y, 0, m.goal(), m.scale()) <= 1e-3);
    }
  }

  @Test
  void tolerancesAndNorms() {
    assertThrows(IllegalArgumentException.class, () -> Arrival.defaults().withDistance(0));
    assertThrows(IllegalArgumentException.class, () -> Arrival.defaults().withSpeed(Double.NaN));
    assertEquals(5, Arrival.norm(new double[] {9, 3, 4}, 1, null, 2), 0);
    assertEquals(
        0.5,
        Arrival.normalisedDistance(
            new double[] {1, 3}, 0, new double[] {0, 2}, new double[] {4, 2}),
        0);
    assertEquals(3, Arrival.normalisedSpeed(new double[] {1, -3}, 0, new double[] {1, 2}, 2), 0);
    assertFalse(
        Arrival.defaults()
            .reached(
                new double[] {Double.NaN},
                new double[] {0},
                0,
                new double[] {0},
                new double[] {1},
                1));
  }
}
