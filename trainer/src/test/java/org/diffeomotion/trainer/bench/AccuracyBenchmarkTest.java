package org.diffeomotion.trainer.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.diffeomotion.model.MotionModel;
import org.diffeomotion.model.testing.ModelFactory;
import org.diffeomotion.model.testing.ModelSpec;
import org.diffeomotion.trainer.data.Demonstration;
import org.diffeomotion.trainer.data.DemonstrationSet;
import org.diffeomotion.trainer.eval.Dtw;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The harness itself: the reference's known answers and the plumbing with a model whose rollouts
 * are known.
 */
class AccuracyBenchmarkTest {

  /** 7 horizontal lines x from -50 to 0 at heights offsets[i], 101 samples over 2 s. */
  private static DemonstrationSet lines(double[] offsets) throws Exception {
    List<Demonstration> demos = new ArrayList<>();
    for (int i = 0; i < offsets.length; i++) {
      int n = 101;
      double[] t = new double[n];
      double[][] y = new double[n][];
      for (int j = 0; j < n; j++) {
        t[j] = 0.02 * j;
        y[j] = new double[] {-50 + 0.5 * j, offsets[i]};
      }
      demos.add(new Demonstration("line" + i, "test", t, y));
    }
    return DemonstrationSet.of(demos, List.of("x", "y"), List.of("mm", "mm"), "", "test");
  }

  @Test
  void referenceIsTheIndexAlignedMeanOfTheTrainingDemosOnTheStroke() throws Exception {
    // Training demos 0, 1, 3, 5, 6 at heights -1, 1, -2, 2, 0: their mean is the line y = 0.
    // A parallel line at height h is exactly h away (DTW) with MSE h^2 / 2 over both dims.
    AccuracyBenchmark.Case c =
        new AccuracyBenchmark.Case(
            "lines",
            "mm",
            lines(new double[] {-1, 1, 3, -2, -0.5, 2, 0}),
            new int[7],
            HandwritingBenchmark.TRAINING_DEMOS,
            HandwritingBenchmark.HELD_OUT_DEMOS);
    List<AccuracyBenchmark.HeldOut> ref = AccuracyBenchmark.reference(c);
    assertEquals(2, ref.get(0).demo());
    assertEquals(3.0, ref.get(0).referenceDtw(), 1e-12);
    assertEquals(4.5, ref.get(0).referenceMse(), 1e-12);
    assertEquals(4, ref.get(1).demo());
    assertEquals(0.5, ref.get(1).referenceDtw(), 1e-12);
    assertEquals(0.125, ref.get(1).referenceMse(), 1e-12);

    // Two strokes (demos 0-2 and 3-6): each held-out demo is compared with its own stroke's mean.
    AccuracyBenchmark.Case two =
        new AccuracyBenchmark.Case(
            "two",
            "mm",
            lines(new double[] {1, 3, 2.5, 10, 11, 11, 12}),
            new int[] {0, 0, 0, 1, 1, 1, 1},
            HandwritingBenchmark.TRAINING_DEMOS,
            HandwritingBenchmark.HELD_OUT_DEMOS);
    ref = AccuracyBenchmark.reference(two);
    assertEquals(0.5, ref.get(0).referenceDtw(), 1e-12);
    assertEquals(0.0, ref.get(1).referenceDtw(), 1e-12);

    assertThrows(
        IllegalArgumentException.class,
        () ->
            new AccuracyBenchmark.Case(
                "bad",
                "mm",
                lines(new double[] {0, 0, 0, 0, 0, 0, 0}),
                new int[7],
                List.of(0, 1, 2),
                List.of(2)));
  }

  /**
   * A fitter that checks what it is given and returns the identity flow: y(t) = y0 exp(-0.35 t)
   * (tau 1 s, goal 0).
   */
  private static final class StraightLineFitter implements ShapeFitter {
    final List<DemonstrationSet> seen = new ArrayList<>();
    static final double RATE =
        0.5 * 0.5 + 0.1; // ModelFactory.identity: p = 0.5, ModelSpec epsilon 0.1

    @Override
    public MotionModel fit(DemonstrationSet training, long seed, ProgressSink progress) {
      seen.add(training);
      progress.report(1000, 1000, 0.5);
      return ModelFactory.identity(
          new ModelSpec().stateDim(2).blocks(0).oscillatory(false).timeScale(1.0));
    }

    @Override
    public String describe() {
      return "identity flow (test)";
    }
  }

  @Test
  void harnessTrainsOnTheTrainingDemosOnlyAndMeasuresTheRolloutsFromTheHeldOutStarts()
      throws Exception {
    AccuracyBenchmark.Case c = AccuracyBenchmark.Case.of(HandwritingBenchmark.shape("L"));
    StraightLineFitter fitter = new StraightLineFitter();
    AccuracyBenchmark.Report report = AccuracyBenchmark.run(List.of(c), List.of(7L), fitter, null);

    // The fitter saw exactly demos 0, 1, 3, 5, 6, never 2 or 4.
    assertEquals(1, fitter.seen.size());
    DemonstrationSet seen = fitter.seen.get(0);
    assertEquals(
        List.of("L_0", "L_1", "L_3", "L_5", "L_6"),
        seen.demos().stream().map(Demonstration::name).toList());
    assertEquals(
        c.set()
            .withDemos(
                List.of(
                    c.set().demo(0),
                    c.set().demo(1),
                    c.set().demo(3),
                    c.set().demo(5),
                    c.set().demo(6)))
            .sha256(),
        seen.sha256());

    AccuracyBenchmark.Row row = report.rows().get(0);
    assertNull(row.failure());
    assertEquals(7L, row.seed());
    for (AccuracyBenchmark.HeldOut h : row.heldOut()) {
      Demonstration demo = c.set().demo(h.demo());
      int n = demo.size();
      double[] y = Reference.rowMajor(demo);
      double[] t = demo.times();
      double[] line = straightLine(y, t, n);
      assertEquals(Dtw.align(line, n, y, n, 2).normalised(), h.modelDtw(), 1e-9);
      double sq = 0;
      for (int k = 0; k < 2 * n; k++) {
        sq += (line[k] - y[k]) * (line[k] - y[k]);
      }
      assertEquals(sq / (2 * n), h.modelMse(), 1e-9 * sq / n);
      assertEquals(
          Math.hypot(y[0], y[1]) * Math.exp(-StraightLineFitter.RATE * demo.duration()),
          h.finalGoalDistance(),
          1e-9);
      double peakLine =
          Math.hypot(y[0], y[1]) * (1 - Math.exp(-StraightLineFitter.RATE * t[1])) / t[1];
      assertEquals(peakLine / Reference.peakSpeed(y, t, n, 2), h.peakSpeedRatio(), 1e-9);
      // The reference: the mean of the five training demos, independently.
      double[] mean = new double[2 * n];
      for (int i : HandwritingBenchmark.TRAINING_DEMOS) {
        double[] yi = Reference.rowMajor(c.set().demo(i));
        for (int k = 0; k < 2 * n; k++) {
          mean[k] += yi[k] / 5;
        }
      }
      assertEquals(Dtw.align(mean, n, y, n, 2).normalised(), h.referenceDtw(), 1e-9);
      assertTrue(
          h.referenceDtw() < 0.2 * h.modelDtw(),
          "a straight line is far worse than the mean of the demos");
    }
    assertFalse(row.beatsReference());
    assertTrue(row.ratio() > 5, "ratio " + row.ratio());
    // Training DTW: the same straight line from each training demo's start, against that demo.
    double train = 0;
    for (int i : HandwritingBenchmark.TRAINING_DEMOS) {
      Demonstration demo = c.set().demo(i);
      int n = demo.size();
      double[] y = Reference.rowMajor(demo);
      train += Dtw.align(straightLine(y, demo.times(), n), n, y, n, 2).normalised() / 5;
    }
    assertEquals(train, row.trainDtw(), 1e-9);
  }

  /** StraightLineFitter's rollout from the demo's start: the straight line y0 exp(-rate t). */
  private static double[] straightLine(double[] y, double[] t, int n) {
    double[] line = new double[2 * n];
    for (int j = 0; j < n; j++) {
      double e = Math.exp(-StraightLineFitter.RATE * t[j]);
      line[2 * j] = y[0] * e;
      line[2 * j + 1] = y[1] * e;
    }
    return line;
  }

  @Test
  void commandLineWritesTableAndSummaryAndRecordsFailures(@TempDir Path dir) throws Exception {
    Path md = dir.resolve("acc.md");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        AccuracyBenchmark.execute(
            new String[] {"--shapes", "L", "--seeds", "1,2", "--out", md.toString()},
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            new StraightLineFitter());
    String o = out.toString(StandardCharsets.UTF_8);
    String e = err.toString(StandardCharsets.UTF_8);
    assertEquals(0, code, o + e);
    assertTrue(o.contains("| L | 1 |") && o.contains("| L | 2 |") && o.contains("**loses**"), o);
    assertTrue(o.contains("Worst seed per shape"), o);
    assertTrue(o.contains("seed 1: the model beats the reference on 0 of 1 shapes"), o);
    assertTrue(
        o.contains("all seeds: the model beats the reference for every seed on 0 of 1 shapes"), o);
    assertTrue(e.contains("[1/1] L seed 2: model DTW"), e);
    String text = Files.readString(md);
    assertTrue(
        text.startsWith("# Accuracy benchmark, ") && text.contains("identity flow (test)"), text);

    // A fitter that fails: the shape is recorded as failed (a loss) and the run goes on.
    ShapeFitter failing =
        new ShapeFitter() {
          @Override
          public MotionModel fit(DemonstrationSet training, long seed, ProgressSink progress) {
            throw new IllegalStateException("training stopped: loss is NaN");
          }

          @Override
          public String describe() {
            return "fails";
          }
        };
    out.reset();
    code =
        AccuracyBenchmark.execute(
            new String[] {"--shapes", "L,V"},
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            failing);
    o = out.toString(StandardCharsets.UTF_8);
    assertEquals(0, code, o);
    assertTrue(o.contains("FAILED: IllegalStateException: training stopped: loss is NaN"), o);
    assertTrue(o.contains("| V | 1 |"), o);
    assertTrue(o.contains("beats the reference on 0 of 2 shapes"), o);

    err.reset();
    assertEquals(
        2,
        AccuracyBenchmark.execute(
            new String[] {"--seeds", "x"}, new PrintStream(out), new PrintStream(err), failing));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("--seeds: 'x' is not an integer"));
    assertEquals(
        2,
        AccuracyBenchmark.execute(
            new String[] {"--shapes", "nope"},
            new PrintStream(out),
            new PrintStream(err),
            failing));
  }

  @Test
  void oracleOptionTablesTheGeneratorEstimatesAndRefusesWhatItCannotEstimate(@TempDir Path dir)
      throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Path md = dir.resolve("oracle.md");
    int code =
        AccuracyBenchmark.execute(
            new String[] {"--oracle", "--shapes", "C", "--out", md.toString()},
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            new StraightLineFitter());
    String o = out.toString(StandardCharsets.UTF_8);
    assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
    assertTrue(o.contains("| C | 0.547 |"), o); // the reference, as in the benchmark's table
    assertTrue(o.contains("single-stroke shapes (1): median ratio"), o);
    assertTrue(Files.readString(md).startsWith("# Generator oracle"));
    for (String[] args :
        new String[][] {
          {"--oracle", "--sample-bag"},
          {"--oracle", "--start-spread", "2"},
          {"--oracle", "--sensor-noise", "0.1"},
          {"--oracle", "--draw", "1"},
          {"--oracle", "--baselines"}
        }) {
      err.reset();
      assertEquals(
          2,
          AccuracyBenchmark.execute(
              args,
              new PrintStream(out),
              new PrintStream(err, true, StandardCharsets.UTF_8),
              new StraightLineFitter()));
      assertTrue(
          err.toString(StandardCharsets.UTF_8).contains("--oracle estimates the benchmark's own"),
          String.join(" ", args));
    }
  }

  @Test
  void sensorNoiseOptionNamesTheNoisyCasesAndRefusesBadValues() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        AccuracyBenchmark.execute(
            new String[] {"--shapes", "C", "--sensor-noise", "0.2"},
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            new StraightLineFitter());
    assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
    String o = out.toString(StandardCharsets.UTF_8);
    assertTrue(o.contains("| C~0.2 |"), o);
    for (String bad : new String[] {"-1", "NaN", "Infinity", "lots"}) {
      err.reset();
      assertEquals(
          2,
          AccuracyBenchmark.execute(
              new String[] {"--shapes", "C", "--sensor-noise", bad},
              new PrintStream(out),
              new PrintStream(err, true, StandardCharsets.UTF_8),
              new StraightLineFitter()),
          bad);
      assertTrue(err.toString(StandardCharsets.UTF_8).contains("--sensor-noise"), bad);
    }
  }

  @Test
  void drawOptionRunsFreshDrawsUnderTheirOwnNamesAndRefusesBadValues() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        AccuracyBenchmark.execute(
            new String[] {"--shapes", "C", "--draw", "3"},
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            new StraightLineFitter());
    assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
    String o = out.toString(StandardCharsets.UTF_8);
    assertTrue(o.contains("| C#3 | 1 |"), o);
    assertFalse(o.contains("| C#3 | 1 | 0.547 |"), "a fresh draw has its own reference: " + o);
    AccuracyBenchmark.Case fresh =
        AccuracyBenchmark.Case.of(HandwritingBenchmark.shape("C"), 1.0, 0.0, 3);
    assertEquals("C#3", fresh.name());
    assertEquals(
        HandwritingBenchmark.demonstrations(HandwritingBenchmark.shape("C").redrawn(3)).sha256(),
        fresh.set().sha256());
    assertEquals(
        "C", AccuracyBenchmark.Case.of(HandwritingBenchmark.shape("C"), 1.0, 0.0, 0).name());
    for (String bad : new String[] {"-1", "x", "2000000", "1.5"}) {
      err.reset();
      assertEquals(
          2,
          AccuracyBenchmark.execute(
              new String[] {"--shapes", "C", "--draw", bad},
              new PrintStream(out),
              new PrintStream(err, true, StandardCharsets.UTF_8),
              new StraightLineFitter()),
          bad);
      assertTrue(err.toString(StandardCharsets.UTF_8).contains("--draw"), bad);
    }
  }

  @Test
  void plotsOptionWritesThePathAndProfilePngsPerShapeAndSeed(@TempDir Path dir) throws Exception {
    Path plots = dir.resolve("plots");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        AccuracyBenchmark.execute(
            new String[] {"--shapes", "L", "--seeds", "1,2", "--plots", plots.toString()},
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            new StraightLineFitter());
    assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
    for (String f : new String[] {"L_s1.png", "L_s1_profiles.png", "L_s2.png"}) {
      java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(plots.resolve(f).toFile());
      assertTrue(img != null && img.getWidth() > 400 && img.getHeight() > 300, f);
    }
    // The profiles show the two held-out demos: one row each, so it is taller than one panel.
    java.awt.image.BufferedImage prof =
        javax.imageio.ImageIO.read(plots.resolve("L_s1_profiles.png").toFile());
    java.awt.image.BufferedImage path =
        javax.imageio.ImageIO.read(plots.resolve("L_s1.png").toFile());
    assertTrue(prof.getHeight() > path.getHeight() / 2, prof.getHeight() + " px");

    Path file = dir.resolve("a-file");
    Files.writeString(file, "x");
    err.reset();
    assertEquals(
        2,
        AccuracyBenchmark.execute(
            new String[] {"--shapes", "L", "--plots", file.toString()},
            new PrintStream(out),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            new StraightLineFitter()));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("is a file; give a directory"));
  }

  @Test
  void sampleBagCaseResamplesDemosOfUnequalLength() throws Exception {
    Path bag = Path.of("..").resolve(AccuracyBenchmark.SAMPLE_BAG);
    AccuracyBenchmark.Case c =
        AccuracyBenchmark.sampleBag(Files.exists(bag) ? bag : AccuracyBenchmark.SAMPLE_BAG);
    assertEquals(7, c.set().size());
    assertEquals("m", c.unit());
    assertFalse(
        Reference.sameLength(c.set().demos(), c.set().demo(0).size()),
        "the bag's demos differ in length");
    List<AccuracyBenchmark.HeldOut> ref = AccuracyBenchmark.reference(c);
    for (AccuracyBenchmark.HeldOut h : ref) {
      // The sample demos fan out over 95-227 degrees: the mean is centimetres off, not metres.
      assertTrue(
          h.referenceDtw() > 0.001 && h.referenceDtw() < 0.2, "reference DTW " + h.referenceDtw());
    }
    AccuracyBenchmark.Row row =
        AccuracyBenchmark.run(List.of(c), List.of(1L), new StraightLineFitter(), null)
            .rows()
            .get(0);
    assertTrue(
        Double.isFinite(row.modelDtw()) && row.modelDtw() > 0, "model DTW " + row.modelDtw());
  }
}
