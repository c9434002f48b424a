package org.diffeomotion.trainer.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StillTrimmerTest {

  private static final DataLocation HERE = DataLocation.of("test").withDemo("#0 (d)");

  /** 1-D demo at 10 Hz: still for `before` s at 0, moves at 1 unit/s for 1 s, still `after` s. */
  private static Demonstration rampWithRests(double before, double after) {
    int n = (int) Math.round((before + 1 + after) * 10) + 1;
    double[] t = new double[n];
    double[][] y = new double[n][1];
    for (int i = 0; i < n; i++) {
      t[i] = i * 0.1;
      y[i][0] = Math.min(Math.max(t[i] - before, 0), 1);
    }
    return new Demonstration("d", "test", t, y);
  }

  @Test
  void trimsLongRestsToTheirLastStillSample() throws Exception {
    Demonstration d = rampWithRests(1.0, 2.0);
    Demonstration t = StillTrimmer.trim(d, new TrimOptions(0.5, 0.5, 0.1), HERE);
    // Motion from t = 1.0 s (sample 10) to 2.0 s (sample 20); the speed window is one step.
    assertEquals(1.0, t.time(0), 1e-12);
    assertEquals(0.0, t.state(0, 0));
    assertEquals(2.0, t.time(t.size() - 1), 1e-12);
    assertEquals(1.0, t.state(t.size() - 1, 0), 1e-12);
    assertEquals(11, t.size());
  }

  @Test
  void shortRestsAreKept() throws Exception {
    Demonstration d = rampWithRests(0.3, 2.0);
    Demonstration t = StillTrimmer.trim(d, new TrimOptions(0.5, 0.5, 0.1), HERE);
    assertEquals(0.0, t.time(0));
    assertEquals(1.3, t.time(t.size() - 1), 1e-12);
  }

  @Test
  void theSpeedWindowAveragesOutNoise() throws Exception {
    // A still start with ±2 mm jitter at 100 Hz: 0.4 unit/s step to step, 0.04 over 0.1 s.
    int n = 300;
    double[] t = new double[n];
    double[][] y = new double[n][1];
    for (int i = 0; i < n; i++) {
      t[i] = i * 0.01;
      y[i][0] = (i % 2 == 0 ? 0.002 : -0.002) + (t[i] > 1.0 ? t[i] - 1.0 : 0.0);
    }
    Demonstration d = new Demonstration("d", "test", t, y);
    Demonstration narrow = StillTrimmer.trim(d, new TrimOptions(0.1, 0.5, 0.01), HERE);
    assertSame(d, narrow);
    Demonstration wide = StillTrimmer.trim(d, new TrimOptions(0.1, 0.5, 0.1), HERE);
    assertTrue(wide.time(0) > 0.85 && wide.time(0) <= 1.0, "start " + wide.time(0));
  }

  @Test
  void aDemoThatNeverMovesIsAnError() {
    double[] t = {0, 1, 2, 3};
    double[][] y = {{0}, {0.001}, {0}, {0.001}};
    DemoDataException e =
        assertThrows(
            DemoDataException.class,
            () ->
                StillTrimmer.trim(
                    new Demonstration("d", "test", t, y), TrimOptions.of(0.1, 0.5), HERE));
    assertTrue(e.getMessage().startsWith("test, demo #0 (d): is still throughout"), e.getMessage());
  }
}
