package org.diffeomotion.model;

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
}
