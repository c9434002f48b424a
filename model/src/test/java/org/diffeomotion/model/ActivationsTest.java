package org.diffeomotion.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The public tanh the trainer fits with: Math.tanh to ~1e-15, the edges as documented. */
class ActivationsTest {
  private static final long SEED = 20261207L;

  @Test
  void tanhIsMathTanhOverTheRangeAndOnlyInTheRange() {
    SplittableRandom rng = new SplittableRandom(SEED);
    // Odd length and an offset: vector body and scalar tail both; the elements around untouched.
    double[] a = new double[103];
    for (int i = 0; i < a.length; i++) {
      a[i] = rng.nextGaussian() * (i % 3 == 0 ? 0.1 : 6.0);
    }
    double[] want = a.clone();
    Activations.tanh(a, 2, 99);
    for (int i = 0; i < a.length; i++) {
      if (i < 2 || i >= 101) {
        assertEquals(want[i], a[i], 0.0, "seed " + SEED + ": element " + i + " outside the range");
      } else {
        double t = Math.tanh(want[i]);
        assertEquals(t, a[i], 2e-15 * Math.abs(t) + 1e-300, "seed " + SEED + ": x = " + want[i]);
      }
    }
  }

  @Test
  void infinitiesSaturateAndNanStaysNan() {
    double[] a = new double[16];
    for (int i = 0; i < a.length; i++) {
      a[i] = i % 4 == 0 ? Double.NaN : (i % 4 == 1 ? Double.POSITIVE_INFINITY : -1e308 * (i % 4));
    }
    Activations.tanh(a, 0, a.length);
    for (int i = 0; i < a.length; i++) {
      if (i % 4 == 0) {
        assertTrue(Double.isNaN(a[i]), "element " + i + ": " + a[i]);
      } else {
        assertEquals(i % 4 == 1 ? 1.0 : -1.0, a[i], 0.0, "element " + i);
      }
    }
    // Past the end in the scalar tail and in the vector body (16 elements from 4 reach 20).
    assertThrows(IndexOutOfBoundsException.class, () -> Activations.tanh(a, 10, 7));
    assertThrows(IndexOutOfBoundsException.class, () -> Activations.tanh(a, 4, 16));
  }
}
