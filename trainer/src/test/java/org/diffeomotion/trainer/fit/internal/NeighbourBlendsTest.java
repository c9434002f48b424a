package org.diffeomotion.trainer.fit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.diffeomotion.trainer.fit.Demo;
import org.junit.jupiter.api.Test;

/** Blends of neighbouring demos: known answers, which pairs, and which pairs are refused. */
class NeighbourBlendsTest {

  private static final double[] UNIT = {1.0, 1.0};

  /** n samples from (x0, y0) straight to the origin, times 0..duration, uniform in time. */
  private static Demo line(double x0, double y0, int n, double duration) {
    double[] s = new double[n];
    double[][] z = new double[n][];
    for (int i = 0; i < n; i++) {
      double f = (double) i / (n - 1);
      s[i] = duration * f;
      z[i] = new double[] {x0 * (1 - f), y0 * (1 - f)};
    }
    return new Demo(s, z);
  }

  @Test
  void twoConvergingLinesBlendToTheLineFromTheMidpointWithMeanTimes() {
    Demo a = line(1.0, 0.2, 21, 4.0);
    Demo b = line(1.0, -0.2, 21, 6.0);
    List<Demo> blends = NeighbourBlends.of(List.of(a, b), UNIT, 0);
    assertEquals(1, blends.size(), "one unordered pair");
    Demo m = blends.get(0);
    assertEquals(21, m.points());
    for (int i = 0; i < 21; i++) {
      double f = i / 20.0;
      assertEquals(1.0 - f, m.z()[i][0], 1e-12, "x at " + i);
      assertEquals(0.0, m.z()[i][1], 1e-12, "y at " + i);
      assertEquals(5.0 * f, m.s()[i], 1e-12, "mean time at " + i);
    }
  }

  @Test
  void eachDemoIsBlendedWithItsNearestStartOncePerPair() {
    // Starts at y = 0, 0.1, 0.25 on x = 1: 0 and 0.1 are each other's nearest, 0.25's is 0.1.
    Demo a = line(1.0, 0.0, 11, 1.0);
    Demo b = line(1.0, 0.1, 11, 1.0);
    Demo c = line(1.0, 0.25, 11, 1.0);
    List<Demo> blends = NeighbourBlends.of(List.of(a, b, c), UNIT, 0);
    assertEquals(2, blends.size(), "pairs (a, b) and (c, b)");
    assertEquals(0.05, blends.get(0).z()[0][1], 1e-12);
    assertEquals(0.175, blends.get(1).z()[0][1], 1e-12);
    assertTrue(NeighbourBlends.of(List.of(a), UNIT, 0).isEmpty(), "a single demo has no neighbour");
  }

  @Test
  void demosThatPartFarMoreThanTheirStartsAreNotBlended() {
    // Two strokes from nearby starts: one straight to the goal, one by way of (0, 3).
    int n = 41;
    Demo straight = line(1.0, 0.0, n, 1.0);
    double[] s = new double[n];
    double[][] z = new double[n][];
    for (int i = 0; i < n; i++) {
      double f = (double) i / (n - 1);
      s[i] = f;
      double bump = 3.0 * Math.sin(Math.PI * f);
      z[i] = new double[] {1.0 - f, 0.05 + bump * (1 - f)};
    }
    Demo detour = new Demo(s, z);
    assertTrue(NeighbourBlends.of(List.of(straight, detour), UNIT, 0).isEmpty());
    // The same detour 10 times smaller stays within twice the start distance: blended.
    for (int i = 0; i < n; i++) {
      double f = (double) i / (n - 1);
      z[i][1] = 0.05 + 0.01 * Math.sin(Math.PI * f) * (1 - f);
    }
    assertEquals(1, NeighbourBlends.of(List.of(straight, new Demo(s, z)), UNIT, 0).size());
  }

  @Test
  void pairsWhoseStartsLieCloserThanTheGapRelativeToTheExtentAreNotBlended() {
    // Extent: the farthest sample from the goal, |(1, 0.25)| = 1.0308. Start distances 0.1 and 0.15
    // are 9.7 % and 14.6 % of it.
    Demo a = line(1.0, 0.0, 11, 1.0);
    Demo b = line(1.0, 0.1, 11, 1.0);
    Demo c = line(1.0, 0.25, 11, 1.0);
    assertEquals(2, NeighbourBlends.of(List.of(a, b, c), UNIT, 0.09).size());
    List<Demo> wide = NeighbourBlends.of(List.of(a, b, c), UNIT, 0.12);
    assertEquals(1, wide.size(), "only (c, b) is 0.15 apart");
    assertEquals(0.175, wide.get(0).z()[0][1], 1e-12);
    assertTrue(NeighbourBlends.of(List.of(a, b, c), UNIT, 0.15).isEmpty());
    // The gap is measured in the data's units: sigma 2 on y doubles y distances and the extent
    // (now |(1, 0.5)| = 1.118); (a, b) is 0.2 / 1.118 = 17.9 % apart.
    assertEquals(2, NeighbourBlends.of(List.of(a, b, c), new double[] {1.0, 2.0}, 0.15).size());
  }

  @Test
  void farApartDemosThatHeadDifferentWaysAreNotBlended() {
    // Starts (1, 0) and (0, 1), 1.41 apart (141 % of the extent): the two demos never part by more
    // than their starts' distance, whatever their paths, so only the headings can tell strokes.
    int n = 41;
    Demo a = line(1.0, 0.0, n, 1.0);
    Demo b = line(0.0, 1.0, n, 1.0); // straight in from above: 90 degrees from a all the way
    assertTrue(NeighbourBlends.of(List.of(a, b), UNIT, 0.15).isEmpty());
    // From (1, 0.5), a path that bends onto a's line: it heads 56 degrees off a at the start and
    // ever less after (a mean well below 60 degrees), and never parts from a by more than at the
    // start: blended.
    double[] s = new double[n];
    double[][] z = new double[n][];
    for (int i = 0; i < n; i++) {
      double f = (double) i / (n - 1);
      s[i] = f;
      z[i] = new double[] {1.0 - f, 0.5 * (1 - f) * (1 - f) * (1 - f)};
    }
    assertEquals(1, NeighbourBlends.of(List.of(a, new Demo(s, z)), UNIT, 0.15).size());
  }
}
