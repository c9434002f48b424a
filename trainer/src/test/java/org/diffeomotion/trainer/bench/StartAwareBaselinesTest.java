package org.diffeomotion.trainer.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.diffeomotion.trainer.data.Demonstration;
import org.junit.jupiter.api.Test;

class StartAwareBaselinesTest {

  /** A straight line from (x0, y0) to the origin, sampled with a quadratic (uneven) pace. */
  private static Demonstration line(String name, double x0, double y0, int n) {
    double[] t = new double[n];
    double[][] y = new double[n][2];
    for (int i = 0; i < n; i++) {
      t[i] = i * 0.01;
      double u = (double) i / (n - 1);
      double s = u * u; // slow start: samples bunch up near the start
      y[i][0] = x0 * (1 - s);
      y[i][1] = y0 * (1 - s);
    }
    return new Demonstration(name, "test", t, y);
  }

  @Test
  void arcLengthResamplingIsUniformAlongThePathWhateverThePace() {
    double[] a = StartAwareBaselines.arcLengthResampled(line("a", 30, 40, 200), 11);
    for (int q = 0; q < 11; q++) {
      double f = 1 - q / 10.0;
      assertEquals(30 * f, a[2 * q], 1e-9, "point " + q);
      assertEquals(40 * f, a[2 * q + 1], 1e-9, "point " + q);
    }
  }

  @Test
  void predictionsStartAtTheStartAndEndAtTheGoal() {
    List<Demonstration> mates = List.of(line("a", 30, 40, 300), line("b", 34, 38, 250));
    int m = 101;
    double[] mean = StartAwareBaselines.arcLengthMean(mates, m);
    // The mean of two straight lines to the origin at equal path fractions: the line from the
    // mean start.
    assertEquals(32, mean[0], 1e-9);
    assertEquals(39, mean[1], 1e-9);
    assertEquals(16, mean[2 * 50], 1e-9);
    assertEquals(19.5, mean[2 * 50 + 1], 1e-9);
    double[] start = {20, 45};
    double[] goal = {0, 0};
    double[] arc =
        StartAwareBaselines.predict(StartAwareBaselines.Kind.ARC_MEAN, mean, m, start, goal);
    assertEquals(32, arc[0], 1e-12, "the plain mean ignores the start");
    for (StartAwareBaselines.Kind k :
        List.of(StartAwareBaselines.Kind.START_OFFSET, StartAwareBaselines.Kind.SIMILARITY)) {
      double[] p = StartAwareBaselines.predict(k, mean, m, start, goal);
      assertEquals(start[0], p[0], 1e-9, k + " start");
      assertEquals(start[1], p[1], 1e-9, k + " start");
      assertEquals(0, p[2 * (m - 1)], 1e-9, k + " goal");
      assertEquals(0, p[2 * (m - 1) + 1], 1e-9, k + " goal");
    }
    // Similarity: a start rotated about the goal turns the whole path by half that angle, scaled
    // alike; at mid-path the offset's share is (1 - 0.5)^2 = 1/4 of the rest.
    double r = Math.hypot(32, 39);
    double angle = Math.toRadians(20);
    double base = Math.atan2(39, 32);
    double[] rotated = {r * Math.cos(base + angle), r * Math.sin(base + angle)};
    double[] p =
        StartAwareBaselines.predict(StartAwareBaselines.Kind.SIMILARITY, mean, m, rotated, goal);
    double mid = Math.atan2(p[2 * 50 + 1], p[2 * 50]);
    assertTrue(
        Math.toDegrees(mid - base) > 10 && Math.toDegrees(mid - base) < 20,
        "mid-path turned by " + Math.toDegrees(mid - base) + " degrees");
    // Not planar: no similarity.
    assertNull(
        StartAwareBaselines.predict(
            StartAwareBaselines.Kind.SIMILARITY,
            new double[] {1, 1, 1, 0, 0, 0},
            2,
            new double[] {1, 1, 1},
            new double[] {0, 0, 0}));
  }

  @Test
  void commandLineBaselinesTrainNothingAndPrintTheTable() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    ShapeFitter never =
        new ShapeFitter() {
          @Override
          public org.diffeomotion.model.MotionModel fit(
              org.diffeomotion.trainer.data.DemonstrationSet training,
              long seed,
              ProgressSink progress) {
            throw new AssertionError("--baselines must not train");
          }

          @Override
          public String describe() {
            return "never";
          }
        };
    int code =
        AccuracyBenchmark.execute(
            new String[] {"--baselines", "--shapes", "L,multi_SJ"},
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            never);
    String o = out.toString(StandardCharsets.UTF_8);
    assertEquals(0, code, o + err.toString(StandardCharsets.UTF_8));
    assertTrue(o.contains("| L | 0.788 |"), o);
    assertTrue(o.contains("| multi_SJ |"), o);
    assertTrue(o.contains("+ start offset: median ratio to the reference"), o);
  }
}
