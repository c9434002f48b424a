package org.diffeomotion.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TimeGridsTest {
  @Test
  void wholeNumbersOfStepsIncludeBothEndsDespiteRounding() {
    assertEquals(11, TimeGrids.uniformStepCount(1.0, 0.1)); // 1.0 / 0.1 = 9.999999999999998
    assertEquals(4, TimeGrids.uniformStepCount(0.3, 0.1)); // 0.3 / 0.1 = 2.9999999999999996
    assertEquals(1_000_001, TimeGrids.uniformStepCount(1000.0, 0.001));
    assertEquals(3, TimeGrids.uniformStepCount(2.5, 1.0)); // not a whole number: floor
    assertEquals(1, TimeGrids.uniformStepCount(0.0, 0.5));
  }

  @Test
  void aGridThatReachesTheDurationRoundsUpButNotPastAWholeNumberOfSteps() {
    assertEquals(11, TimeGrids.reachingStepCount(1.0, 0.1)); // 9.999999999999998 steps: 10
    assertEquals(4, TimeGrids.reachingStepCount(0.3, 0.1));
    assertEquals(4, TimeGrids.reachingStepCount(2.5, 1.0)); // 2.5 steps: the last point at 3
    assertEquals(3, TimeGrids.reachingStepCount(2.0, 1.0));
    assertEquals(1, TimeGrids.reachingStepCount(0.0, 0.5));
    assertEquals(TimeGrids.uniformStepCount(4.4, 0.2), TimeGrids.reachingStepCount(4.4, 0.2));
  }

  @Test
  void aPacedStreamCountsLikeTheStepGrid() {
    assertEquals(11, TimeGrids.uniformRateCount(1.0, 10)); // 1.0 * 10 exactly
    assertEquals(TimeGrids.uniformStepCount(0.3, 0.1), TimeGrids.uniformRateCount(0.3, 10));
    assertEquals(1001, TimeGrids.uniformRateCount(1.0, 1000));
    assertEquals(1, TimeGrids.uniformRateCount(0.0, 500));
  }

  @Test
  void uniformCountEndsExactlyAtTheDurationAndStepsAreMultiples() {
    double[] t = new double[7];
    TimeGrids.fillUniformCount(t, 7, 0.7);
    assertEquals(0.0, t[0]);
    assertEquals(0.7, t[6]); // exactly, not 6 * (0.7 / 6)
    for (int i = 0; i < 6; i++) {
      assertEquals(i * 0.7 / 6, t[i]);
    }
    TimeGrids.fillUniformCount(t, 1, 5.0);
    assertEquals(0.0, t[0]); // one point: the start
    TimeGrids.fillUniformStep(t, 4, 0.1);
    assertArrayEquals(new double[] {0, 0.1, 0.2, 0.1 * 3}, java.util.Arrays.copyOf(t, 4));
  }
}
