package org.diffeomotion.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PreprocessorTest {

  private static DemonstrationSet set(List<Demonstration> demos, String... names)
      throws DemoDataException {
    List<String> units = new ArrayList<>();
    for (String n : names) {
      units.add("m");
    }
    return DemonstrationSet.of(demos, List.of(names), units, "world", "test");
  }

  /** y = a + b·t sampled at the given (non-uniform) times. */
  private static Demonstration linear(String name, double[] t, double[] a, double[] b) {
    double[][] y = new double[t.length][a.length];
    for (int i = 0; i < t.length; i++) {
      for (int k = 0; k < a.length; k++) {
        y[i][k] = a[k] + b[k] * (t[i] - t[0]);
      }
    }
    return new Demonstration(name, "test", t, y);
  }

  @Test
  void resamplingALinearFunctionIsExact() {
    double[] t = {5.0, 5.1, 5.5, 5.52, 6.3, 7.0};
    Demonstration d = linear("d", t, new double[] {1, -2}, new double[] {0.5, 3});
    int n = 9;
    double[] times = new double[n];
    double[] y = new double[n * 2];
    Preprocessor.resample(d.timesView(), d.statesView(), n, times, y);
    for (int j = 0; j < n; j++) {
      double tj = 2.0 * j / (n - 1);
      assertEquals(tj, times[j], 1e-15, "time " + j);
      assertEquals(1 + 0.5 * tj, y[2 * j], 1e-12, "x at " + j);
      assertEquals(-2 + 3 * tj, y[2 * j + 1], 1e-12, "y at " + j);
    }
    assertEquals(2.0, times[n - 1]);
    assertEquals(-2 + 3 * 2.0, y[2 * n - 1], 0.0);
  }

  @Test
  void resamplingMatchesAReferenceInterpolationOnRandomDemos() {
    long seed = 20261122L; // fixed (reproducible); in every failure message
    Random rng = new Random(seed);
    for (int trial = 0; trial < 200; trial++) {
      int len = 2 + rng.nextInt(40);
      double[] t = new double[len];
      double[][] y = new double[len][2];
      t[0] = rng.nextDouble() * 100;
      for (int i = 0; i < len; i++) {
        if (i > 0) {
          t[i] = t[i - 1] + 1e-3 + rng.nextDouble();
        }
        y[i][0] = rng.nextGaussian();
        y[i][1] = rng.nextGaussian();
      }
      int n = 2 + rng.nextInt(60);
      double[] times = new double[n];
      double[] out = new double[2 * n];
      Preprocessor.resample(t, y, n, times, out);
      for (int j = 0; j < n; j++) {
        double abs = t[0] + times[j];
        // Reference: search the segment from scratch.
        int s = 0;
        while (s < len - 2 && abs > t[s + 1]) {
          s++;
        }
        double a = Math.min(1, Math.max(0, (abs - t[s]) / (t[s + 1] - t[s])));
        for (int k = 0; k < 2; k++) {
          assertEquals(
              y[s][k] + a * (y[s + 1][k] - y[s][k]),
              out[2 * j + k],
              1e-9,
              "seed " + seed + " trial " + trial + " point " + j);
        }
      }
      assertArrayEquals(
          y[len - 1],
          Arrays.copyOfRange(out, 2 * n - 2, 2 * n),
          0.0,
          "seed " + seed + " end point");
    }
  }

  @Test
  void goalScalesAndTimeScaleKnownAnswer() throws Exception {
    // Three straight demos into (1, 2) (one ends 0.03 off in x), durations 2, 4, 9 s.
    List<Demonstration> demos =
        List.of(
            linear("a", new double[] {0, 1, 2}, new double[] {0, 0}, new double[] {0.5, 1}),
            linear("b", new double[] {0, 4}, new double[] {3, 2}, new double[] {-0.5, 0}),
            linear("c", new double[] {0, 9}, new double[] {1.03, -7}, new double[] {0, 1}));
    PreparedData p =
        Preprocessor.prepare(set(demos, "x", "y"), PreprocessOptions.defaults().withGridSize(5));
    double[] g = {(1 + 1 + 1.03) / 3, 2};
    assertArrayEquals(g, p.goal(), 1e-12);
    double[] ends = {1 - g[0], 1 - g[0], 1.03 - g[0]};
    double max = Math.abs(ends[2]);
    double rms = Math.sqrt((ends[0] * ends[0] * 2 + ends[2] * ends[2]) / 3);
    assertEquals(max, p.goalSpreadMax(), 1e-12);
    assertEquals(rms, p.goalSpreadRms(), 1e-12);
    // max |x - g_x| is demo b's start 3 - g_x, max |y - g_y| demo c's start |-7 - 2|; both in m,
    // so both share the larger.
    assertArrayEquals(new double[] {9, 9}, p.scale(), 1e-12);
    PreparedData perDimension =
        Preprocessor.prepare(
            set(demos, "x", "y"),
            PreprocessOptions.defaults().withGridSize(5).withSharedScale(false));
    assertArrayEquals(new double[] {3 - g[0], 9}, perDimension.scale(), 1e-12);
    assertEquals(4.0 / 5.0, p.timeScale(), 1e-15);
    assertArrayEquals(new double[] {0, 2.25, 4.5, 6.75, 9}, p.times(2), 1e-12);
    assertEquals(9.0, p.duration(2));

    NormalizedData all = p.normalized(new int[] {2, 0});
    assertEquals(2, all.demoCount());
    assertEquals(10, all.s().length);
    assertEquals(20, all.z().length);
    assertEquals(2.25 / 0.8, all.s()[1], 1e-12);
    // Point 0 of the first (demo c): ((1.03, -7) - g) / sigma.
    assertEquals((1.03 - g[0]) / 9, all.z()[0], 1e-12);
    assertEquals(-1.0, all.z()[1], 1e-12);
    // Last point of demo a (second here): (1, 2) - g.
    assertEquals((1 - g[0]) / 9, all.z()[(5 + 4) * 2], 1e-12);
    assertEquals(0.0, all.z()[(5 + 4) * 2 + 1], 1e-12);
  }

  @Test
  void demosWithoutACommonGoalAreRejectedWithTheNumbers() throws Exception {
    List<Demonstration> demos =
        List.of(
            linear("a", new double[] {0, 1}, new double[] {0, 0}, new double[] {1, 1}),
            linear("b", new double[] {0, 1}, new double[] {2, 0}, new double[] {-1, 1}),
            linear("far", new double[] {0, 1}, new double[] {0, 2}, new double[] {1.5, 0}));
    DemoDataException e =
        assertThrows(
            DemoDataException.class,
            () -> Preprocessor.prepare(set(demos, "x", "y"), PreprocessOptions.defaults()));
    String m = e.getMessage();
    assertTrue(
        m.startsWith(
            "test, demo #2 (far): the demonstrations do not end near a common"
                + " goal: this demo ends 0.7454 m from the mean end point"),
        m);
    // Ends (1, 1), (1, 1), (1.5, 2); goal (7/6, 4/3); farthest sample (0, 0) at 1.772 m.
    assertTrue(
        m.contains(
            "(end-point spread: max 0.7454 m, rms 0.5270 m; limit 0.08858 m"
                + " = 0.05 x the motion extent 1.772 m)"),
        m);
    assertTrue(m.contains("the gap threshold"), m);
    // An explicit limit lets it through.
    PreparedData p =
        Preprocessor.prepare(
            set(demos, "x", "y"), PreprocessOptions.defaults().withMaxGoalSpread(1.0));
    assertEquals(Math.sqrt(5.0) / 3, p.goalSpreadMax(), 1e-12);
  }

  @Test
  void aDimensionThatDoesNotMoveGetsAUsableScale() throws Exception {
    List<Demonstration> demos =
        List.of(
            linear("a", new double[] {0, 1}, new double[] {0, 0, 5}, new double[] {1, 1, 0}),
            linear("b", new double[] {0, 1}, new double[] {2, 0, 5}, new double[] {-1, 1, 0}));
    // Per dimension: z would divide by 0, so its scale is raised to 1e-3 of the largest (x's 1).
    PreparedData p =
        Preprocessor.prepare(
            set(demos, "x", "y", "z"), PreprocessOptions.defaults().withSharedScale(false));
    assertEquals(1e-3, p.scale()[2], 1e-15);
    for (double z : p.trainingData().z()) {
      assertTrue(Double.isFinite(z));
    }
    // Shared (the default): z is in m like x and y and gets their scale, no floor needed.
    PreparedData shared =
        Preprocessor.prepare(set(demos, "x", "y", "z"), PreprocessOptions.defaults());
    assertArrayEquals(new double[] {1, 1, 1}, shared.scale(), 1e-15);
    // A dimension alone in its unit still gets the floor.
    PreparedData alone =
        Preprocessor.prepare(
            DemonstrationSet.of(
                demos, List.of("x", "y", "grip"), List.of("m", "m", "%"), "world", "test"),
            PreprocessOptions.defaults());
    assertArrayEquals(new double[] {1, 1, 1e-3}, alone.scale(), 1e-15);
  }

  @Test
  void aThinStrokeKeepsItsProportions() throws Exception {
    // A nearly straight stroke, 50 m long and +-0.5 m wide (the benchmark's line is 50 mm by
    // 2.7 mm): per dimension its sideways wobble would be stretched to the size of the stroke
    // (z_x in [-1, 1]); shared, a metre counts alike along both axes.
    List<Demonstration> demos =
        List.of(
            linear("a", new double[] {0, 1}, new double[] {0.5, 50}, new double[] {-0.5, -50}),
            linear("b", new double[] {0, 1}, new double[] {-0.5, 48}, new double[] {0.5, -48}));
    PreparedData p = Preprocessor.prepare(set(demos, "x", "y"), PreprocessOptions.defaults());
    assertArrayEquals(new double[] {50, 50}, p.scale(), 1e-12);
    double maxX = 0;
    double[] z = p.trainingData().z();
    for (int i = 0; i < z.length; i += 2) {
      maxX = Math.max(maxX, Math.abs(z[i]));
    }
    assertEquals(0.5 / 50, maxX, 1e-12);
    PreparedData perDimension =
        Preprocessor.prepare(
            set(demos, "x", "y"), PreprocessOptions.defaults().withSharedScale(false));
    assertArrayEquals(new double[] {0.5, 50}, perDimension.scale(), 1e-12);
  }

  @Test
  void theRotationWeightLeavesJointAnglesAlone() throws Exception {
    // Joint angles are in rad too, but they are not a pose's rotation vector.
    List<Demonstration> demos =
        List.of(
            linear("a", new double[] {0, 1}, new double[] {0.5, 2}, new double[] {-0.5, -2}),
            linear("b", new double[] {0, 1}, new double[] {-0.5, 1}, new double[] {0.5, -1}));
    DemonstrationSet joints =
        DemonstrationSet.of(demos, List.of("j1", "j2"), List.of("rad", "rad"), "", "test");
    assertArrayEquals(
        Preprocessor.prepare(joints, PreprocessOptions.defaults()).scale(),
        Preprocessor.prepare(joints, PreprocessOptions.defaults().withRotationWeight(0.01)).scale(),
        0.0);
  }

  @Test
  void unitsAreScaledApart() {
    double[] scale = {0.2, 3, 0.5, 0.1, 7, 0.05};
    Preprocessor.shareByUnit(scale, List.of("m", "rad", "m", "m", "", "rad"));
    assertArrayEquals(new double[] {0.5, 3, 0.5, 0.5, 7, 3}, scale, 0);
  }

  @Test
  void demosThatDoNotMoveAreRejected() throws Exception {
    List<Demonstration> demos =
        List.of(linear("a", new double[] {0, 1}, new double[] {1}, new double[] {0}));
    DemoDataException e =
        assertThrows(
            DemoDataException.class,
            () -> Preprocessor.prepare(set(demos, "x"), PreprocessOptions.defaults()));
    assertTrue(e.getMessage().contains("the demonstrations do not move"), e.getMessage());
  }

  @Test
  void timeStampsInAnotherUnitAreRejectedBeforeTraining() throws Exception {
    // Epoch nanoseconds read as seconds: 3 s demos last 3e9 "s", tau = 6e8 s > 1e6 s.
    DemoDataException e =
        assertThrows(
            DemoDataException.class,
            () -> Preprocessor.prepare(twoDemosLasting(3e9), PreprocessOptions.defaults()));
    assertEquals(
        "test, field t: the median demo duration is 3.000e+09 s, which gives a time scale tau ="
            + " 6.000e+08 s outside the model's [1e-06, 1e+06] s. Time stamps must be in seconds:"
            + " nanosecond stamps are 1e9 times too large, milliseconds 1e3",
        e.getMessage());
    // The other side: demos of 2 us give tau = 4e-7 s < 1e-6 s.
    e =
        assertThrows(
            DemoDataException.class,
            () -> Preprocessor.prepare(twoDemosLasting(2e-6), PreprocessOptions.defaults()));
    assertTrue(e.getMessage().contains("tau = 4.000e-07 s"), e.getMessage());
    assertTrue(e.getMessage().contains("check the time column"), e.getMessage());
    // At the edges of the range they still prepare.
    assertEquals(
        1e6,
        Preprocessor.prepare(twoDemosLasting(5e6), PreprocessOptions.defaults()).timeScale(),
        1e-6);
    assertEquals(
        1e-6,
        Preprocessor.prepare(twoDemosLasting(5e-6), PreprocessOptions.defaults()).timeScale(),
        1e-18);
  }

  /** Two straight demos from (0, 0) and (0, 1) into (3, 0), each lasting the given time [s]. */
  private static DemonstrationSet twoDemosLasting(double duration) throws DemoDataException {
    double[] t = {0, duration};
    return set(
        List.of(
            linear("a", t, new double[] {0, 0}, new double[] {3 / duration, 0}),
            linear("b", t, new double[] {0, 1}, new double[] {3 / duration, -1 / duration})),
        "x",
        "y");
  }

  @Test
  void splitIsDeterministicDisjointAndComplete() {
    int[][] a = Preprocessor.split(10, 0.3, 42);
    int[][] b = Preprocessor.split(10, 0.3, 42);
    assertArrayEquals(a[0], b[0]);
    assertArrayEquals(a[1], b[1]);
    assertEquals(3, a[1].length);
    assertEquals(7, a[0].length);
    boolean[] seen = new boolean[10];
    for (int[] part : a) {
      for (int i : part) {
        assertTrue(!seen[i], "index " + i + " twice");
        seen[i] = true;
      }
    }
    int[][] c = Preprocessor.split(10, 0.3, 43);
    assertNotEquals(Arrays.toString(a[1]), Arrays.toString(c[1]), "seed has no effect");
    // java.util.Random's sequence is specified, so this split is the same on every JVM.
    assertArrayEquals(new int[] {2, 4, 6}, a[1], Arrays.toString(a[1]));
    assertEquals(1, Preprocessor.split(7, 0.01, 1)[1].length);
    assertEquals(0, Preprocessor.split(1, 0.5, 1)[1].length);
    assertEquals(6, Preprocessor.split(7, 0.99, 1)[1].length);
    assertEquals(0, Preprocessor.split(7, 0.0, 1)[1].length);
  }

  @Test
  void sampleDataPreparesToItsKnownGoal() throws Exception {
    BagReadOptions planar =
        BagReadOptions.defaults().withDimensions(List.of("x", "y")).withGapThreshold(1.0);
    // Untrimmed, every demo ends at rest at (0.55, 0.10) m plus 0.2 mm noise.
    PreparedData untrimmed =
        Preprocessor.prepare(
            new BagDemoReader(SampleData.file("demos_2d.bag"), planar).read(),
            PreprocessOptions.defaults());
    assertArrayEquals(new double[] {0.55, 0.10}, untrimmed.goal(), 3e-4);
    assertTrue(untrimmed.goalSpreadMax() < 1e-3, "spread " + untrimmed.goalSpreadMax());

    DemonstrationSet set =
        new BagDemoReader(
                SampleData.file("demos_2d_lz4.bag"),
                BagReadOptions.defaults()
                    .withDimensions(List.of("x", "y"))
                    .withGapThreshold(1.0)
                    .withTrim(TrimOptions.of(0.02, 0.3)))
            .read();
    PreparedData p =
        Preprocessor.prepare(
            set, PreprocessOptions.defaults().withGridSize(200).withValidation(0.3, 7));
    // Trimming ends each demo where its speed falls below 0.02 m/s, a few mm before rest.
    assertArrayEquals(new double[] {0.55, 0.10}, p.goal(), 3e-3);
    assertTrue(p.goalSpreadMax() < 2e-3, "spread " + p.goalSpreadMax());
    assertEquals(2, p.validationIndices().length);
    assertEquals(5, p.trainIndices().length);
    assertEquals(set.sha256(), p.dataHash());
    assertEquals(64, p.dataHash().length());
    NormalizedData train = p.trainingData();
    assertEquals(5 * 200 * 2, train.z().length);
    double maxAbs = 0;
    for (double z : train.z()) {
      maxAbs = Math.max(maxAbs, Math.abs(z));
    }
    assertTrue(maxAbs <= 1.0 + 1e-12, "|z| " + maxAbs);
    // Durations are 3.0-4.5 s of motion plus what trimming leaves; tau = median / 5.
    assertTrue(p.timeScale() > 0.6 && p.timeScale() < 1.0, "tau " + p.timeScale());
  }

  @Test
  void hashIdentifiesContentNotNames() throws Exception {
    Demonstration a = linear("a", new double[] {0, 1}, new double[] {0}, new double[] {1});
    Demonstration a2 = linear("other", new double[] {10, 11}, new double[] {0}, new double[] {1});
    Demonstration b = linear("a", new double[] {0, 1}, new double[] {0}, new double[] {1.5});
    assertEquals(set(List.of(a), "x").sha256(), set(List.of(a2), "x").sha256());
    assertNotEquals(set(List.of(a), "x").sha256(), set(List.of(b), "x").sha256());
    assertNotEquals(set(List.of(a), "x").sha256(), set(List.of(a), "q").sha256());
  }
}
