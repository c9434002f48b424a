package org.diffeomotion.trainer.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.diffeomotion.trainer.data.DemoDataException;
import org.diffeomotion.trainer.data.Demonstration;
import org.diffeomotion.trainer.data.DemonstrationSet;
import org.diffeomotion.trainer.data.PreparedData;
import org.diffeomotion.trainer.data.PreprocessOptions;
import org.diffeomotion.trainer.data.Preprocessor;
import org.junit.jupiter.api.Test;

class CoverageTest {

  /**
   * Straight demos to the origin from starts on a fan of the unit circle at the given angles [deg].
   */
  private static DemonstrationSet fan(double... degrees) throws DemoDataException {
    List<Demonstration> demos = new ArrayList<>();
    for (int k = 0; k < degrees.length; k++) {
      double a = Math.toRadians(degrees[k]);
      double[] t = {0, 0.5, 1};
      double[][] y = {{Math.cos(a), Math.sin(a)}, {0.5 * Math.cos(a), 0.5 * Math.sin(a)}, {0, 0}};
      demos.add(new Demonstration("d" + k, "test", t, y));
    }
    return DemonstrationSet.of(demos, List.of("x", "y"), List.of("m", "m"), "map", "test");
  }

  /** Prepared with demo `held` as the only validation demo (searching the split seed). */
  private static PreparedData holdOut(DemonstrationSet set, int held) throws DemoDataException {
    for (long seed = 0; seed < 1000; seed++) {
      PreparedData p =
          Preprocessor.prepare(
              set,
              PreprocessOptions.defaults().withGridSize(3).withValidation(1.0 / set.size(), seed));
      if (p.validationIndices().length == 1 && p.validationIndices()[0] == held) {
        return p;
      }
    }
    throw new IllegalStateException("no seed holds out demo " + held);
  }

  private static double dist(double degA, double degB, double sx) {
    double a = Math.toRadians(degA);
    double b = Math.toRadians(degB);
    return Math.hypot((Math.cos(a) - Math.cos(b)) / sx, Math.sin(a) - Math.sin(b));
  }

  @Test
  void aStartBetweenTrainingStartsIsInterpolation() throws DemoDataException {
    PreparedData p = holdOut(fan(90, 110, 130, 150, 170, 190), 2);
    assertTrue(Coverage.farHeldOutStarts(p).isEmpty());
  }

  @Test
  void aStartBeyondTheFanIsFlagged() throws DemoDataException {
    // Training starts 20 degrees apart; the held-out one is 60 degrees past the fan's end.
    PreparedData p = holdOut(fan(90, 110, 130, 150, 170, 250), 5);
    List<Coverage.FarStart> far = Coverage.farHeldOutStarts(p);
    assertEquals(1, far.size());
    assertEquals("d5", far.get(0).name());
    assertEquals("d4", far.get(0).nearest());
    // Normalised by one sigma for x and y (both in m): max(max |x|, max |y|) = max(|cos 170°|, 1).
    double sx = p.scale()[0];
    assertEquals(1.0, sx, 1e-12);
    assertEquals(1.0, p.scale()[1], 1e-12);
    assertEquals(dist(250, 170, sx), far.get(0).distance(), 1e-12);
    // The largest nearest-neighbour distance among the training starts (neighbours 20 degrees
    // apart).
    int[] train = {90, 110, 130, 150, 170};
    double spacing = 0;
    for (int i = 0; i < train.length; i++) {
      double nn = Double.POSITIVE_INFINITY;
      for (int j = 0; j < train.length; j++) {
        if (i != j) {
          nn = Math.min(nn, dist(train[i], train[j], sx));
        }
      }
      spacing = Math.max(spacing, nn);
    }
    assertEquals(spacing, far.get(0).spacing(), 1e-12);
    assertTrue(far.get(0).describe().contains("extrapolation"));
  }
}
