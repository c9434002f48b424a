package org.diffeomotion.trainer.fit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.diffeomotion.trainer.fit.Demo;
import org.diffeomotion.trainer.fit.TrainOptions;
import org.junit.jupiter.api.Test;

/** Known answers for the schedule, the re-timing, the base initialisation and the windows. */
class TrainingPiecesTest {

  /** A straight line from (1, 0) to the origin at constant speed, n samples over [0, 5]. */
  private static Demo line(int n) {
    double[] s = new double[n];
    double[][] z = new double[n][];
    for (int i = 0; i < n; i++) {
      s[i] = 5.0 * i / (n - 1);
      z[i] = new double[] {1.0 - (double) i / (n - 1), 0.0};
    }
    return new Demo(s, z);
  }

  @Test
  void progressTimingPutsEachSampleWhereAnExponentialApproachReachesItsPathFraction() {
    Demo d = DemoTiming.progress(line(11), 5.0, 0.8);
    double tail = 1 - Math.exp(-0.8 * 5);
    for (int i = 0; i < 10; i++) {
      double frac = i / 10.0;
      assertEquals(-Math.log(1 - frac * tail) / 0.8, d.s()[i], 1e-12, "sample " + i);
    }
    assertEquals(5.0, d.s()[10], 0.0);
    // Front-loaded: half of the path is covered in the first ~17 % of the time.
    assertTrue(d.s()[5] < 0.2 * 5.0, "s at half the path: " + d.s()[5]);
    assertEquals(d.z()[3][0], line(11).z()[3][0], 0.0, "the states do not move");
  }

  @Test
  void progressTimingKeepsTimesIncreasingWhereTheDemoStandsStill() {
    double[] s = {0, 1, 2, 3, 4};
    double[][] z = {{1, 0}, {1, 0}, {0.5, 0}, {0.5, 0}, {0, 0}};
    Demo d = DemoTiming.progress(new Demo(s, z), 4.0, 1.0);
    for (int i = 1; i < 5; i++) {
      assertTrue(
          d.s()[i] > d.s()[i - 1], "times must increase: " + java.util.Arrays.toString(d.s()));
    }
    assertEquals(
        List.of(0.0, 0.0, 0.5, 0.5, 1.0),
        java.util.Arrays.stream(DemoTiming.pathFraction(new Demo(s, z))).boxed().toList());
  }

  @Test
  void resamplingInterpolatesAtUniformTimesAndKeepsTheEnds() {
    Demo r = DemoTiming.resample(line(101), 6);
    assertEquals(6, r.points());
    for (int i = 0; i < 6; i++) {
      assertEquals(i, r.s()[i], 1e-12);
      assertEquals(1 - i / 5.0, r.z()[i][0], 1e-12);
    }
    Demo small = line(4);
    assertTrue(DemoTiming.resample(small, 6) == small, "a short demo is kept as it is");
  }

  @Test
  void sweptAngleOfAQuarterCircleIsHalfPi() {
    int n = 50;
    double[][] z = new double[n][];
    for (int i = 0; i < n; i++) {
      double a = 0.5 * Math.PI * i / (n - 1);
      z[i] = new double[] {Math.cos(a), Math.sin(a)};
    }
    assertEquals(0.5 * Math.PI, BaseInit.sweptAngle(z, 0, 1), 1e-12);
    double[][] cw = new double[n][];
    for (int i = 0; i < n; i++) {
      cw[i] = new double[] {z[i][0], -z[i][1]};
    }
    assertEquals(-0.5 * Math.PI, BaseInit.sweptAngle(cw, 0, 1), 1e-12);
    // Per mode, over the median duration; a plane with an augmentation dimension gets 0.
    double[] s = new double[n];
    for (int i = 0; i < n; i++) {
      s[i] = 2.0 * i / (n - 1);
    }
    double[] omega = BaseInit.omegaFromDemos(List.of(new Demo(s, z)), 2, 2.0);
    assertEquals(0.25 * Math.PI, omega[0], 1e-12);
    assertEquals(0.0, omega[1], 0.0);
  }

  @Test
  void learningRateWarmsUpThenFollowsACosineToItsFloor() {
    TrainOptions o =
        TrainOptions.defaults().toBuilder()
            .iterations(1050)
            .learningRate(0.01)
            .warmupIterations(50)
            .finalLearningRateFraction(0.1)
            .build();
    assertEquals(0.01 / 51, o.learningRateAt(0), 1e-15);
    assertEquals(0.01 * 50 / 51, o.learningRateAt(49), 1e-15);
    assertEquals(0.01, o.learningRateAt(50), 1e-15);
    assertEquals(0.01 * (0.1 + 0.9 * 0.5), o.learningRateAt(550), 1e-15);
    assertEquals(0.001, o.learningRateAt(1050), 1e-15);
    for (long i = 51; i < 1050; i++) {
      assertTrue(
          o.learningRateAt(i) <= o.learningRateAt(i - 1), "decreasing after the warm-up at " + i);
    }
  }

  @Test
  void windowScheduleSplitsItsShareOfTheIterationsEqually() {
    TrainOptions o =
        TrainOptions.defaults().toBuilder()
            .iterations(1000)
            .windows(8, 16)
            .windowFraction(0.4)
            .build();
    assertEquals(8, o.windowAt(0));
    assertEquals(8, o.windowAt(199));
    assertEquals(16, o.windowAt(200));
    assertEquals(16, o.windowAt(399));
    assertEquals(0, o.windowAt(400));
    assertEquals(0, TrainOptions.defaults().windowAt(0), "default: whole demos from the start");
  }

  @Test
  void windowsStartEveryStrideAndEndAtTheDemosEnd() {
    Demo d = line(10);
    ShootingWindows.Segments w =
        ShootingWindows.cut(List.of(d.s()), List.<double[][]>of(d.z()), 4, 2);
    // starts 0, 2, 4, 6 (the window from 6 ends at the last sample, 9)
    assertEquals(4, w.count());
    assertEquals(0.0, w.s().get(1)[0], 0.0);
    assertEquals(d.s()[5] - d.s()[2], w.s().get(1)[3], 1e-15);
    assertEquals(d.z()[9][0], w.z().get(3)[3][0], 0.0);
    assertThrows(
        IllegalArgumentException.class,
        () -> ShootingWindows.cut(List.of(d.s()), List.<double[][]>of(d.z()), 4, 4));
  }
}
