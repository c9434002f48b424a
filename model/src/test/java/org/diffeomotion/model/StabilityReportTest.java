package org.diffeomotion.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.diffeomotion.model.testing.ModelFactory;
import org.diffeomotion.model.testing.ModelSpec;
import org.junit.jupiter.api.Test;

class StabilityReportTest {
  @Test
  void eigenvaluesAndRatesOfTheIdentityModel() {
    // identity(): one oscillatory mode per pair, p = 0.5, omega = 1; eps 0.1, tau 2 s.
    StabilityReport r =
        ModelFactory.identity(new ModelSpec().stateDim(3).epsilon(0.1).timeScale(2)).stability();
    double lam = -(0.25 + 0.1) / 2;
    assertArrayEquals(new double[] {lam, lam, lam}, r.eigenvalueRealParts(), 1e-15);
    assertArrayEquals(new double[] {0.5, -0.5, 0}, r.eigenvalueImagParts(), 1e-15);
    assertEquals(-lam, r.slowestDecayRate(), 1e-15);
    assertEquals(0.05, r.decayRateBound(), 1e-15);
    assertTrue(r.global());
    assertTrue(r.statement().contains("globally asymptotically stable"));
  }

  @Test
  void augmentedModelsSayStateFeedbackHasNoGlobalGuarantee() {
    MotionModel m = ModelFactory.random(new ModelSpec().stateDim(2).augmentDim(2), 1);
    assertFalse(m.supportsStateFeedback());
    assertFalse(m.stability().global());
    assertTrue(m.stability().statement().contains("only defined on the slice"));
  }
}
