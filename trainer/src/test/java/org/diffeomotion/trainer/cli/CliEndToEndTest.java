package org.diffeomotion.trainer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.diffeomotion.model.ModelArtifacts;
import org.diffeomotion.model.MotionModel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code train} on the sample bag (a small, short run) into a temp dir, then {@code inspect},
 * {@code rollout} and {@code evaluate} on the model it wrote, and user errors (exit 1).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CliEndToEndTest {

  @TempDir static Path dir;

  private Path model;
  private Path report;
  private Cli train;

  private static final String[] DATA = {
    "--topic",
    "/demo/pose",
    "--dims",
    "x,y",
    "--gap-threshold",
    "1",
    "--trim",
    "0.02,0.3",
    "--grid",
    "40"
  };

  /** A small, quick model: 2 blocks x 16, 60 iterations at a high learning rate. */
  private static final String[] SMALL = {
    "--blocks", "2", "--width", "16", "--iterations", "60", "--lr", "0.01"
  };

  /** An untrainable model: 2 blocks x 16, 3 iterations (stays near the untrained flow). */
  private static final String[] TINY = {
    "--blocks", "2", "--width", "16", "--iterations", "3", "--progress-every", "0"
  };

  @BeforeAll
  void trainOnce() {
    model = dir.resolve("sample.dmm");
    report = dir.resolve("report");
    train =
        Cli.run(
            concat(
                new String[] {
                  "train",
                  Cli.sample("demos_2d.bag").toString(),
                  "-o",
                  model.toString(),
                  "--report",
                  report.toString(),
                  "--init-omega=0",
                  // a reactive model (the default auto would lift this short, loose fit to a = 1)
                  "--augment",
                  "0",
                  "--progress-every",
                  "20",
                  "--validate-every",
                  "20"
                },
                concat(SMALL, DATA)));
  }

  /**
   * The handwriting benchmark's shape as a CSV (diffeo benchmark-data): demos that start close
   * together, where --funnel prefer trains the funnel (the sample bag's starts are too far apart).
   */
  private Path handwriting(String shape) throws IOException {
    Path bench = dir.resolve("bench-" + shape);
    Cli r = Cli.run("benchmark-data", "-o", bench.toString(), "--shapes", shape);
    assertEquals(0, r.code, r.toString());
    return bench.resolve(shape + ".csv");
  }

  private static String[] concat(String[] a, String[] b) {
    String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }

  @Test
  void trainWritesAValidModelAndAReport() throws IOException {
    assertEquals(0, train.code, train.toString());
    assertTrue(train.err.isEmpty(), train.toString());
    MotionModel m = ModelArtifacts.read(model);
    assertEquals("sample", m.name());
    assertEquals(List.of("x", "y"), m.dimensionNames());
    assertEquals("base_link", m.frameId());
    assertEquals(60, m.provenance().getIterations());
    assertEquals(6, m.provenance().getTrainDemos());
    assertEquals(1, m.provenance().getValidationDemos());
    assertTrue(
        m.provenance().getDataSha256().matches("sha256:[0-9a-f]{64}"),
        m.provenance().getDataSha256());
    assertTrue(m.provenance().getMetricsMap().containsKey("validation_dtw_mean"));
    // The sample bag's demos start ~10 cm apart: blended by default (TRAINING.md step 1).
    assertTrue(
        m.provenance().getMetricsMap().get("neighbour_blends") >= 1,
        m.provenance().getMetricsMap().toString());
    assertTrue(m.provenance().getBackend().contains("nd4j"));
    assertTrue(m.provenance().getNotes().contains("--gap-threshold 1"), m.provenance().getNotes());

    // Progress lines every 20 iterations, then the summary.
    assertTrue(train.out.contains("iter 20/60") && train.out.contains("iter 60/60"), train.out);
    Matcher loss = Pattern.compile("loss ([0-9.eE+-]+) -> ([0-9.eE+-]+)").matcher(train.out);
    assertTrue(loss.find(), train.out);
    double first = Double.parseDouble(loss.group(1));
    double last = Double.parseDouble(loss.group(2));
    assertTrue(last < 0.8 * first, "loss did not decrease measurably: " + first + " -> " + last);

    String md = Files.readString(report.resolve("report.md"));
    for (String s :
        new String[] {
          "## Data",
          "## Training",
          "## Metrics",
          "## Stability",
          "demos_2d.bag#0",
          "held out",
          "p50",
          "sha256:",
          "globally asymptotically stable",
          "rollouts.png",
          "field.png",
          "training.png"
        }) {
      assertTrue(md.contains(s), "report.md lacks '" + s + "':\n" + md);
    }
    for (String png : new String[] {"rollouts.png", "field.png", "training.png"}) {
      var img = ImageIO.read(report.resolve(png).toFile());
      assertTrue(img != null && img.getWidth() >= 600 && img.getHeight() >= 400, png);
    }
  }

  @Test
  void inspectShowsTheModel() {
    Cli r = Cli.run("inspect", model.toString());
    assertEquals(0, r.code, r.toString());
    for (String s :
        new String[] {
          "d = 2",
          "x[m],y[m]",
          "base_link",
          "goal g",
          "tau =",
          "mode 0",
          "eigenvalues",
          "slowest decay",
          "globally asymptotically stable",
          "sha256:",
          "iterations  60"
        }) {
      assertTrue(r.out.contains(s), "inspect lacks '" + s + "':\n" + r.out);
    }
  }

  @Test
  void rolloutPrintsCsvThatEndsAtTheGoal() throws IOException {
    String[] lines = rolloutEndsAtTheGoal(model);
    assertEquals("t[s],x[m],y[m],dx/dt[m/s],dy/dt[m/s]", lines[0]);
  }

  /**
   * Rolls the model out from (0.2, 0.3) over 30 time scales in 11 points with the CLI and checks
   * that it starts there and ends at the goal (1e-3); returns the CSV lines.
   */
  private static String[] rolloutEndsAtTheGoal(Path file) throws IOException {
    MotionModel m = ModelArtifacts.read(file);
    Cli r =
        Cli.run(
            "rollout",
            file.toString(),
            "--start",
            "0.2,0.3",
            "--duration",
            Double.toString(30 * m.timeScale()),
            "--count",
            "11");
    assertEquals(0, r.code, r.toString());
    String[] lines = r.out.strip().split("\n");
    assertEquals(12, lines.length, r.out);
    String[] first = lines[1].split(",");
    assertEquals(0.2, Double.parseDouble(first[1]), 1e-9);
    assertEquals(0.3, Double.parseDouble(first[2]), 1e-9);
    String[] end = lines[11].split(",");
    assertEquals(m.goal()[0], Double.parseDouble(end[1]), 1e-3);
    assertEquals(m.goal()[1], Double.parseDouble(end[2]), 1e-3);
    return lines;
  }

  @Test
  void floatRolloutAgreesWithDouble() throws IOException {
    MotionModel m = ModelArtifacts.read(model);
    String[] common = {
      "rollout", model.toString(), "--start", "0.2,0.3", "--duration", "2", "--count", "21"
    };
    Cli rd = Cli.run(common);
    String[] withFloat = java.util.Arrays.copyOf(common, common.length + 2);
    withFloat[common.length] = "--precision";
    withFloat[common.length + 1] = "float";
    Cli rf = Cli.run(withFloat);
    assertEquals(0, rd.code, rd.toString());
    assertEquals(0, rf.code, rf.toString());
    String[] ld = rd.out.strip().split("\n");
    String[] lf = rf.out.strip().split("\n");
    assertEquals(ld.length, lf.length);
    for (int j = 1; j < ld.length; j++) {
      String[] a = ld[j].split(",");
      String[] b = lf[j].split(",");
      for (int i = 0; i < 2; i++) {
        assertEquals(
            Double.parseDouble(a[1 + i]),
            Double.parseDouble(b[1 + i]),
            1e-4 * m.scale()[i],
            "line " + j + " dimension " + i);
      }
    }
  }

  @Test
  void rolloutMethodsAgreeAndWriteAFile() throws IOException {
    Path a = dir.resolve("cf.csv");
    Path b = dir.resolve("rk4.csv");
    Cli ra =
        Cli.run(
            "rollout",
            model.toString(),
            "--start",
            "0.2,0.3",
            "--dt",
            "0.01",
            "--duration",
            "2",
            "-o",
            a.toString());
    Cli rb =
        Cli.run(
            "rollout",
            model.toString(),
            "--start",
            "0.2,0.3",
            "--dt",
            "0.01",
            "--duration",
            "2",
            "--method",
            "rk4",
            "-o",
            b.toString());
    assertEquals(0, ra.code, ra.toString());
    assertEquals(0, rb.code, rb.toString());
    assertTrue(ra.out.contains("201 points"), ra.out);
    List<String> la = Files.readAllLines(a);
    List<String> lb = Files.readAllLines(b);
    assertEquals(202, la.size());
    assertEquals(202, lb.size());
    for (int i = 1; i < la.size(); i += 20) {
      String[] x = la.get(i).split(",");
      String[] y = lb.get(i).split(",");
      for (int k = 1; k < 5; k++) {
        assertEquals(
            Double.parseDouble(x[k]), Double.parseDouble(y[k]), 1e-4, "line " + i + " column " + k);
      }
    }
  }

  @Test
  void rolloutGoalAndTimeScaleOverrides() throws IOException {
    MotionModel m = ModelArtifacts.read(model);
    double tau = m.timeScale();
    // A moved goal: the motion ends there.
    Cli g =
        Cli.run(
            "rollout",
            model.toString(),
            "--start",
            "0.2,0.3",
            "--goal",
            "0.5,0.2",
            "--duration",
            Double.toString(40 * tau),
            "--count",
            "2");
    assertEquals(0, g.code, g.toString());
    String[] end = g.out.strip().split("\n")[2].split(",");
    assertEquals(0.5, Double.parseDouble(end[1]), 1e-3);
    assertEquals(0.2, Double.parseDouble(end[2]), 1e-3);
    // Twice the time scale: the same path at half the speed.
    Cli a =
        Cli.run(
            "rollout",
            model.toString(),
            "--start",
            "0.2,0.3",
            "--duration",
            Double.toString(tau),
            "--count",
            "2");
    Cli b =
        Cli.run(
            "rollout",
            model.toString(),
            "--start",
            "0.2,0.3",
            "--time-scale",
            Double.toString(2 * tau),
            "--duration",
            Double.toString(2 * tau),
            "--count",
            "2");
    String[] ea = a.out.strip().split("\n")[2].split(",");
    String[] eb = b.out.strip().split("\n")[2].split(",");
    for (int k = 1; k <= 2; k++) {
      assertEquals(Double.parseDouble(ea[k]), Double.parseDouble(eb[k]), 1e-8);
      assertEquals(Double.parseDouble(ea[k + 2]) / 2, Double.parseDouble(eb[k + 2]), 1e-8);
    }
  }

  @Test
  void rolloutWithTheWrongNumberOfValuesIsAUsageError() {
    Cli r = Cli.run("rollout", model.toString(), "--start", "0.2,0.3,0.1");
    assertEquals(2, r.code, r.toString());
    assertTrue(r.err.contains("--start needs 2 values (x,y), got 3"), r.toString());
  }

  @Test
  void evaluateGivesMetricsAndAReport() throws IOException {
    Path rep = dir.resolve("eval-report");
    Cli r =
        Cli.run(
            concat(
                new String[] {
                  "evaluate",
                  model.toString(),
                  Cli.sample("demos_2d.bag").toString(),
                  "--report",
                  rep.toString()
                },
                DATA));
    assertEquals(0, r.code, r.toString());
    assertTrue(r.out.contains("the data set the model was trained on"), r.out);
    assertTrue(r.out.contains("mean (7)") && r.out.contains("evaluated"), r.out);
    assertTrue(Files.exists(rep.resolve("report.md")) && Files.exists(rep.resolve("rollouts.png")));
  }

  @Test
  void evaluateWithTheTrainingSplitLabelsTheHeldOutDemo() {
    Cli r =
        Cli.run(
            concat(
                new String[] {
                  "evaluate",
                  model.toString(),
                  Cli.sample("demos_2d.bag").toString(),
                  "--validation-fraction",
                  "0.2",
                  "--split-seed",
                  "0"
                },
                DATA));
    assertEquals(0, r.code, r.toString());
    assertTrue(
        r.out.contains("mean (6)        train") && r.out.contains("mean (1)        validation"),
        r.out);
  }

  @Test
  void resumeContinuesFromTheCheckpoint() throws IOException {
    Path ck = dir.resolve("run.ckpt");
    String[] common =
        concat(
            new String[] {
              "train",
              Cli.sample("demos_2d.bag").toString(),
              "-o",
              dir.resolve("r.dmm").toString(),
              "--blocks",
              "1",
              "--width",
              "8",
              "--checkpoint",
              ck.toString(),
              "--checkpoint-every",
              "5",
              "--progress-every",
              "0",
              "--resume",
              "--allow-poor-fit"
            },
            DATA);
    Cli a = Cli.run(concat(common, new String[] {"--iterations", "10"}));
    assertEquals(0, a.code, a.toString());
    assertTrue(a.out.contains("no checkpoint at"), a.out);
    assertTrue(Files.exists(ck));
    Cli b = Cli.run(concat(common, new String[] {"--iterations", "10"}));
    assertEquals(0, b.code, b.toString());
    assertTrue(b.out.contains("resuming from " + ck + " at iteration 10"), b.out);
    assertTrue(b.out.contains("nothing to train: already at iteration 10 of 10"), b.out);
    assertEquals(10, ModelArtifacts.read(dir.resolve("r.dmm")).provenance().getIterations());
    // With a checkpoint the default is one run at a = 0 (auto would train twice).
    assertEquals(0, ModelArtifacts.read(dir.resolve("r.dmm")).augmentDim());
    // The learning-rate schedule spans --iterations: another length is another run.
    Cli c = Cli.run(concat(common, new String[] {"--iterations", "15"}));
    assertDataError(c, "is from a different run", "iterations=10", "iterations=15");
  }

  /** diffeo train --augment 0 --allow-poor-fit with a report, and the options given. */
  private static Cli trainPlaneWithReport(Path data, Path target, Path rep, String[] options) {
    return Cli.run(
        concat(
            new String[] {
              "train",
              data.toString(),
              "-o",
              target.toString(),
              "--augment",
              "0",
              "--allow-poor-fit",
              "--report",
              rep.toString()
            },
            options));
  }

  @Test
  void theReportSaysWhichBaseFunnelPreferKeptAndWhy() throws IOException {
    Path target = dir.resolve("prefer.dmm");
    Path rep = dir.resolve("prefer-report");
    // Three iterations: both fits fail the check, so the oscillatory one is kept (and written
    // only because of --allow-poor-fit); the report says why the funnel was not.
    Cli r = trainPlaneWithReport(handwriting("S"), target, rep, TINY);
    assertEquals(0, r.code, r.toString());
    String md = Files.readString(rep.resolve("report.md"));
    assertTrue(
        md.contains(
            "oscillatory modes (--funnel prefer: the funnel fit was not kept: it fails the fit "
                + "check"),
        md);
    assertTrue(ModelArtifacts.read(target).provenance().getNotes().contains("POOR FIT"));
  }

  @Test
  void funnelPreferTrainsOnlyTheOscillatoryBaseWhereTheDemosStartFarApart() throws IOException {
    Path target = dir.resolve("wide.dmm");
    Path rep = dir.resolve("wide-report");
    // The sample bag's demos start 41 % of the extent from their nearest neighbour (mean).
    Cli r = trainPlaneWithReport(Cli.sample("demos_2d.bag"), target, rep, concat(TINY, DATA));
    assertEquals(0, r.code, r.toString());
    assertTrue(
        r.out.contains(
            "funnel prefer: the demos start 41% of the extent from their nearest neighbour "
                + "(mean), more than the funnel's 15%: the oscillatory base only"),
        r.out);
    assertFalse(r.out.contains("[funnel]"), r.out);
    assertFalse(r.out.contains("[oscillatory]"), r.out);
    String md = Files.readString(rep.resolve("report.md"));
    assertTrue(
        md.contains("oscillatory modes (--funnel prefer: starts too far apart for the funnel)"),
        md);
  }

  @Test
  void oneScalePerUnitUnlessPerDimensionIsAsked() throws IOException {
    // The default model (trained once for the class): x and y are both in m, one scale.
    MotionModel shared = ModelArtifacts.read(model);
    assertEquals(shared.scale()[0], shared.scale()[1], 0.0);
    Path target = dir.resolve("per-dimension.dmm");
    Cli r =
        Cli.run(
            concat(
                new String[] {
                  "train",
                  Cli.sample("demos_2d.bag").toString(),
                  "-o",
                  target.toString(),
                  "--augment",
                  "0",
                  "--per-dimension-scale",
                  "--allow-poor-fit"
                },
                concat(TINY, DATA)));
    assertEquals(0, r.code, r.toString());
    double[] own = ModelArtifacts.read(target).scale();
    // Each its own range: the larger equals the shared scale, the other is smaller.
    assertEquals(shared.scale()[0], Math.max(own[0], own[1]), 1e-12);
    assertTrue(Math.min(own[0], own[1]) < 0.99 * shared.scale()[0], java.util.Arrays.toString(own));
  }

  @Test
  void aPoorFitIsRefusedAndTheOldModelFileStays() throws IOException {
    Path target = dir.resolve("kept.dmm");
    Files.copy(model, target);
    byte[] before = Files.readAllBytes(target);
    // Three iterations: no better than the untrained model.
    Cli r =
        Cli.run(
            concat(
                new String[] {
                  "train",
                  Cli.sample("demos_2d.bag").toString(),
                  "-o",
                  target.toString(),
                  "--augment",
                  "0",
                },
                concat(TINY, DATA)));
    assertDataError(
        r,
        "the fit is refused, nothing written to " + target,
        "no better than the identity flow",
        "--allow-poor-fit");
    assertTrue(r.out.contains("fit check: FAILED"), r.out);
    // An untrained flow follows no demo: the hint names what a plane field cannot do.
    assertTrue(r.out.contains("note: the rollouts follow the training demos only"), r.out);
    assertTrue(r.out.contains("--augment 1"), r.out);
    assertTrue(
        java.util.Arrays.equals(before, Files.readAllBytes(target)), "the old model file changed");
    // A learning rate that cannot train is refused before any work, the file untouched too.
    Cli huge =
        Cli.run(
            concat(
                new String[] {
                  "train",
                  Cli.sample("demos_2d.bag").toString(),
                  "-o",
                  target.toString(),
                  "--lr",
                  "10"
                },
                DATA));
    assertEquals(2, huge.code, huge.toString());
    assertTrue(huge.err.contains("--lr"), huge.toString());
    assertTrue(
        java.util.Arrays.equals(before, Files.readAllBytes(target)), "the old model file changed");
    try (var files = Files.list(dir)) {
      assertTrue(
          files.noneMatch(f -> f.getFileName().toString().startsWith("kept.dmm.")),
          "temp file left");
    }
  }

  @Test
  void augmentationTrainsAPlanOnlyModelThatRollsOutToTheGoal() throws IOException {
    Path target = dir.resolve("augmented.dmm");
    Path rep = dir.resolve("augmented-report");
    Cli r =
        Cli.run(
            concat(
                new String[] {
                  "train",
                  Cli.sample("demos_2d.bag").toString(),
                  "-o",
                  target.toString(),
                  "--report",
                  rep.toString(),
                  "--augment",
                  "1",
                  "--progress-every",
                  "0",
                  // the plumbing is under test here, not the quality of a 60-iteration fit
                  "--allow-poor-fit"
                },
                concat(SMALL, DATA)));
    assertEquals(0, r.code, r.toString());
    assertTrue(r.out.contains("augmentation: a = 1 (D = 3)"), r.out);
    assertTrue(r.out.contains("refuses state feedback"), r.out);
    MotionModel m = ModelArtifacts.read(target);
    assertEquals(1, m.augmentDim());
    assertEquals(2, m.stateDim());
    String md = Files.readString(rep.resolve("report.md"));
    assertTrue(md.contains("1 augmentation dimension(s)"), md);
    assertTrue(md.contains("--augment 1"), md);
    // The closed-form rollout from [y0, 0] ends at the goal like any other model's.
    rolloutEndsAtTheGoal(target);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"default", "--augment auto", "--funnel auto", "--funnel 0"})
  void automaticAugmentationTriesAOneWhenThePlaneFitIsLooseAndKeepsTheCloserFit(String how)
      throws IOException {
    Path target = dir.resolve("auto.dmm");
    // Three iterations: every fit stays near the untrained flow (loose, and refused by the fit
    // check), so the a = 1 fit is tried and not kept; then the usual refusal. auto is also what
    // a plain diffeo train does for a planar state. With --funnel auto the oscillatory base is
    // tried first, likewise not kept, before --augment auto's own try. The default --funnel
    // prefer trains both bases side by side first and keeps the oscillatory one (both refused).
    // The benchmark's S: its demos start close enough together for the funnel.
    String[] extra = how.equals("default") ? new String[0] : how.split(" ");
    Cli r =
        Cli.run(
            concat(
                concat(
                    new String[] {
                      "train", handwriting("S").toString(), "-o", target.toString(),
                    },
                    extra),
                TINY));
    assertEquals(1, r.code, r.toString());
    assertTrue(
        r.out.contains("augment auto: the a = 0 fit follows the training demos only"), r.out);
    assertTrue(r.out.contains("augmentation: a = 1 (D = 3)"), r.out);
    // The second stage trains half the iterations (TrainOptions.LIFT_ITERATIONS): 2 of 3.
    assertTrue(r.out.contains("training again with a = 1 (2 iterations, half the a = 0"), r.out);
    assertTrue(r.out.contains(", 2 iterations, lr "), r.out);
    assertTrue(r.out.contains("augment auto: keeping a = 0"), r.out);
    assertFalse(r.out.contains("--augment 1 lets the paths cross"), "no hint in auto mode");
    if (how.equals("--funnel auto")) {
      assertTrue(r.out.contains("funnel auto: the fit follows the training demos only"), r.out);
      assertTrue(r.out.contains("funnel auto: keeping the funnel base"), r.out);
      assertTrue(
          r.out.indexOf("funnel auto: keeping") < r.out.indexOf("augment auto: the a = 0 fit"),
          r.out);
    } else {
      assertFalse(r.out.contains("funnel auto"), r.out);
    }
    if (how.equals("default") || how.equals("--augment auto")) {
      assertTrue(
          r.out.contains(
              "funnel prefer: training the funnel base (R = 8.0) and the oscillatory base side by "
                  + "side, 2 starts each"),
          r.out);
      assertTrue(r.out.contains("[funnel] training: 2 coupling blocks"), r.out);
      assertTrue(r.out.contains("[oscillatory] training: 2 coupling blocks"), r.out);
      assertTrue(r.out.contains("[funnel] fit check: FAILED"), r.out);
      assertTrue(
          r.out.contains("funnel prefer: keeping the oscillatory base (training DTW "), r.out);
      assertTrue(r.out.contains("the funnel fit: it fails the fit check"), r.out);
      assertTrue(
          r.out.indexOf("funnel prefer: keeping") < r.out.indexOf("augment auto: the a = 0 fit"),
          r.out);
    } else {
      assertFalse(r.out.contains("funnel prefer"), r.out);
      assertFalse(r.out.contains("[funnel]"), r.out);
    }
    assertTrue(r.err.contains("the fit is refused"), r.toString());
    assertFalse(Files.exists(target), "nothing written");
  }

  @Test
  void theLargestLearningRateIsTamedByRollbacksAndTheBestIterate() throws IOException {
    Path target = dir.resolve("lr1.dmm");
    Cli r =
        Cli.run(
            concat(
                new String[] {
                  "train",
                  Cli.sample("demos_2d.bag").toString(),
                  "-o",
                  target.toString(),
                  "--blocks",
                  "2",
                  "--width",
                  "16",
                  "--iterations",
                  "60",
                  "--lr",
                  "1",
                  "--warmup",
                  "0",
                  "--clip",
                  "0",
                  "--progress-every",
                  "0"
                },
                DATA));
    assertEquals(0, r.code, r.toString());
    Matcher m = Pattern.compile("(\\d+) rollbacks? on loss spikes").matcher(r.out);
    assertTrue(
        m.find() && Integer.parseInt(m.group(1)) > 0, "lr 1 should spike at least once:\n" + r.out);
    assertTrue(r.out.contains("fit check: passed"), r.out);
    // the far field is measured on a 7 x 7 grid around the planar demos and recorded
    assertTrue(
        Pattern.compile("far field: \\d+ of 49 starts around the demos").matcher(r.out).find(),
        r.out);
    java.util.Map<String, Double> metrics =
        org.diffeomotion.model.ModelArtifacts.read(target).provenance().getMetricsMap();
    assertTrue(
        metrics.get(org.diffeomotion.trainer.eval.FitCheck.FAR_EXCURSION_METRIC) > 0, "" + metrics);
    assertTrue(
        metrics.get(org.diffeomotion.trainer.eval.FitCheck.FAR_SPEED_METRIC) > 0, "" + metrics);
  }

  @Test
  void allowPoorFitWritesTheModelAndRecordsIt() throws IOException {
    Path target = dir.resolve("poor.dmm");
    Cli r =
        Cli.run(
            concat(
                new String[] {
                  "train",
                  Cli.sample("demos_2d.bag").toString(),
                  "-o",
                  target.toString(),
                  "--blocks",
                  "2",
                  "--width",
                  "16",
                  "--iterations",
                  "3",
                  "--progress-every",
                  "0",
                  "--allow-poor-fit"
                },
                DATA));
    assertTrue(r.out.contains("no better than the identity flow"), r.out);
    assertEquals(0, r.code, r.toString());
    assertTrue(r.out.contains("warning: writing a model that failed the fit check"), r.out);
    MotionModel m = ModelArtifacts.read(target);
    assertEquals(0.0, m.provenance().getMetricsMap().get("fit_check_passed"));
    assertTrue(m.provenance().getNotes().contains("POOR FIT ALLOWED"), m.provenance().getNotes());
    assertEquals(
        1.0, ModelArtifacts.read(model).provenance().getMetricsMap().get("fit_check_passed"));
  }

  @Test
  void absurdValuesInTheDataAreRefusedNamingDemoSampleAndField() throws IOException {
    Path csv = dir.resolve("absurd.csv");
    List<String> lines = new java.util.ArrayList<>(Files.readAllLines(Cli.sample("demos_2d.csv")));
    int row = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith("demo3,")) {
        row = i + 17;
        break;
      }
    }
    String[] f = lines.get(row).split(",");
    f[2] = "1e300";
    lines.set(row, String.join(",", f));
    Files.write(csv, lines);
    Cli r = Cli.run("train", csv.toString(), "-o", dir.resolve("absurd.dmm").toString());
    assertDataError(r, "demo3", "sample 17", "x", "e+300", "not a plausible measurement");
    assertFalse(Files.exists(dir.resolve("absurd.dmm")));
  }

  // ---- user errors: exit 1, the message names the file and field, no stack trace

  private static void assertDataError(Cli r, String... parts) {
    assertEquals(1, r.code, r.toString());
    for (String p : parts) {
      assertTrue(r.err.contains(p), "expected '" + p + "' in\n" + r);
    }
    assertFalse(r.err.contains("\tat "), "stack trace in\n" + r);
    assertFalse(r.err.contains("Usage:"), "usage shown for a data error\n" + r);
  }

  @Test
  void missingInputFile() {
    Path missing = dir.resolve("nope.bag");
    assertDataError(
        Cli.run("train", missing.toString(), "-o", dir.resolve("x.dmm").toString()),
        missing.toString(),
        "not found");
  }

  @Test
  void unknownTopicListsTheTopics() {
    assertDataError(
        Cli.run(
            "train",
            Cli.sample("demos_2d.bag").toString(),
            "-o",
            dir.resolve("x.dmm").toString(),
            "--topic",
            "/demo/nope",
            "--gap-threshold",
            "1"),
        "demos_2d.bag",
        "topic /demo/nope",
        "/demo/pose (geometry_msgs/PoseStamped");
  }

  @Test
  void unknownDimensionNamesTheField() {
    assertDataError(
        Cli.run(
            "train",
            Cli.sample("demos_2d.bag").toString(),
            "-o",
            dir.resolve("x.dmm").toString(),
            "--topic",
            "/demo/pose",
            "--dims",
            "x,w"),
        "demos_2d.bag",
        "field dimensions",
        "'w'");
  }

  @Test
  void corruptModelFile() throws IOException {
    Path bad = dir.resolve("corrupt.dmm");
    byte[] bytes = Files.readAllBytes(model);
    bytes[bytes.length / 2] ^= 0x5A;
    Files.write(bad, bytes);
    for (String cmd : new String[] {"inspect", "rollout"}) {
      Cli r =
          cmd.equals("inspect")
              ? Cli.run(cmd, bad.toString())
              : Cli.run(cmd, bad.toString(), "--start", "0.2,0.3");
      // The file first, then the field, once.
      assertDataError(r, cmd + ": error: " + bad + ": model_sha256: checksum mismatch");
    }
  }

  @Test
  void notAModelFile() throws IOException {
    Path bad = dir.resolve("text.dmm");
    Files.writeString(bad, "hello");
    assertDataError(Cli.run("inspect", bad.toString()), bad.toString());
    assertDataError(
        Cli.run("inspect", dir.resolve("absent.dmm").toString()), "absent.dmm", "not found");
  }

  @Test
  void evaluateWithDataOfOtherDimensions() {
    Cli r =
        Cli.run(
            "evaluate",
            model.toString(),
            Cli.sample("demos_2d.bag").toString(),
            "--topic",
            "/demo/pose",
            "--dims",
            "x,y,z",
            "--gap-threshold",
            "1",
            "--trim",
            "0.02,0.3");
    assertDataError(r, model.toString(), "dimensions", "[x, y, z]");
  }

  // ---- files the user names (issue 9, part 4)

  @Test
  void outputThroughASymbolicLinkKeepsTheLink() throws IOException {
    Path v1 = dir.resolve("rollout-v1.csv");
    Files.writeString(v1, "old");
    Path current = dir.resolve("rollout-current.csv");
    Files.createSymbolicLink(current, v1.getFileName());
    Cli r =
        Cli.run(
            "rollout",
            model.toString(),
            "--start",
            "0.2,0.3",
            "--count",
            "5",
            "--out",
            current.toString());
    assertEquals(0, r.code, r.toString());
    assertTrue(Files.isSymbolicLink(current), "the link was replaced by a file");
    assertTrue(Files.readString(v1).startsWith("t[s],x[m]"), "the link's target holds the CSV");
    // '-' is standard output.
    Cli dash =
        Cli.run("rollout", model.toString(), "--start", "0.2,0.3", "--count", "5", "--out", "-");
    assertEquals(0, dash.code, dash.toString());
    assertTrue(dash.out.startsWith("t[s],x[m]"), dash.toString());
    assertFalse(Files.exists(Path.of("-")), "no file named '-'");
  }

  @Test
  void nonRegularOutputsAreRefusedAndLeftAlone() throws Exception {
    Path fifo = dir.resolve("out.fifo");
    org.junit.jupiter.api.Assumptions.assumeTrue(
        new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0, "mkfifo");
    Cli r = Cli.run("rollout", model.toString(), "--start", "0.2,0.3", "--out", fifo.toString());
    assertEquals(2, r.code, r.toString());
    assertTrue(
        r.err.contains("--out " + fifo) && r.err.contains("not a regular file"), r.toString());
    assertFalse(Files.isRegularFile(fifo), "the FIFO was replaced");
    Cli t =
        Cli.run(
            concat(
                new String[] {
                  "train",
                  Cli.sample("demos_2d.bag").toString(),
                  "-o",
                  "/dev/null",
                  "--iterations",
                  "1"
                },
                DATA));
    assertEquals(2, t.code, t.toString());
    assertTrue(t.err.contains("/dev/null") && t.err.contains("not a regular file"), t.toString());
    assertFalse(Files.isRegularFile(Path.of("/dev/null")));
    // --report naming a file, before any training.
    Path file = dir.resolve("report-is-a-file");
    Files.writeString(file, "x");
    Cli rep =
        Cli.run(
            concat(
                new String[] {
                  "train",
                  Cli.sample("demos_2d.bag").toString(),
                  "-o",
                  dir.resolve("never.dmm").toString(),
                  "--report",
                  file.toString()
                },
                DATA));
    assertEquals(2, rep.code, rep.toString());
    assertTrue(
        rep.err.contains("--report " + file + " exists and is not a directory"), rep.toString());
    assertFalse(Files.exists(dir.resolve("never.dmm")));
  }

  @Test
  void aDirectoryAsTheModelFileIsNamed() {
    assertDataError(
        Cli.run("inspect", dir.toString()),
        "inspect: error: " + dir + ": is a directory, not a model file");
    assertDataError(Cli.run("rollout", dir.toString(), "--start", "0,0"), dir + ": is a directory");
  }

  /** The real process, stdout on /dev/full: the write fails, so the exit code must not be 0. */
  @Test
  void aFailedWriteToStandardOutputExitsNonZero() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(Path.of("/dev/full")), "/dev/full");
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    for (String[] cmd :
        new String[][] {
          {"inspect", model.toString()},
          {"rollout", model.toString(), "--start", "0.2,0.3", "--count", "20000"}
        }) {
      java.util.List<String> argv =
          new java.util.ArrayList<>(
              List.of(
                  javaBin,
                  "-cp",
                  System.getProperty("java.class.path"),
                  DiffeoCli.class.getName()));
      argv.addAll(List.of(cmd));
      Path errFile = dir.resolve("stderr-" + cmd[0] + ".txt");
      Process p =
          new ProcessBuilder(argv)
              .redirectOutput(new java.io.File("/dev/full"))
              .redirectError(errFile.toFile())
              .start();
      assertTrue(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS), cmd[0] + " did not finish");
      String err = Files.readString(errFile);
      assertEquals(1, p.exitValue(), cmd[0] + ": " + err);
      assertTrue(err.contains("writing to standard output failed"), err);
    }
  }

  // ---- the workspace (issue 9, part 2): absurd but finite values are refused, exit 2

  @Test
  void rolloutOutsideTheWorkspaceIsAUsageErrorNamingTheOption() {
    String m = model.toString();
    String[][] cases = {
      {"--start", "1e308,1e308", "--start[0] (x) = 1e+308 m is outside the model's workspace"},
      {"--start", "0.2,0.3", "--goal", "1e300,0", "--goal[0] (x) = 1e+300 m is outside"},
      {
        "--start",
        "0.2,0.3",
        "--method",
        "dopri5",
        "--duration",
        "1e12",
        "--duration = 1e+12 s is longer"
      },
      {
        "--start", "0.2,0.3", "--method", "midpoint", "--duration", "1e300", "--duration = 1e+300 s"
      },
      {"--start", "0.2,0.3", "--time-scale", "1e-300", "--time-scale = 1e-300 s is outside"},
      {"--start", "0.2,0.3", "--workspace-sigmas", "0", "--workspace-sigmas: sigmas must be"},
    };
    for (String[] c : cases) {
      String[] args = new String[c.length + 1];
      args[0] = "rollout";
      args[1] = m;
      System.arraycopy(c, 0, args, 2, c.length - 1);
      Cli r = Cli.run(args);
      assertEquals(2, r.code, String.join(" ", c) + "\n" + r);
      assertTrue(r.err.contains(c[c.length - 1]), r.toString());
      assertFalse(r.err.contains("\tat "), "stack trace in\n" + r);
    }
    // A wider workspace accepts what the default refuses.
    Cli wide =
        Cli.run("rollout", m, "--start", "150,0", "--workspace-sigmas", "1000", "--count", "3");
    Cli narrow = Cli.run("rollout", m, "--start", "150,0", "--count", "3");
    assertEquals(2, narrow.code, narrow.toString());
    assertEquals(0, wide.code, wide.toString());
  }

  @Test
  void aDivergingFixedStepIntegrationIsAnErrorNotANumber() {
    Cli r =
        Cli.run(
            "rollout",
            model.toString(),
            "--start",
            "0.2,0.3",
            "--method",
            "rk4",
            "--count",
            "2",
            "--duration",
            "300");
    assertDataError(r, "rollout: error: rk4 diverged", "left the workspace", "smaller --dt");
    // The same with enough steps is fine.
    Cli ok =
        Cli.run(
            "rollout",
            model.toString(),
            "--start",
            "0.2,0.3",
            "--method",
            "rk4",
            "--dt",
            "0.01",
            "--duration",
            "10");
    assertEquals(0, ok.code, ok.toString());
  }

  /**
   * The default duration is the arrival time: the end is within 1e-3 sigma; a short one is flagged.
   */
  @Test
  void theDefaultRolloutArrivesAndAShortOneSaysItDoesNot() throws IOException {
    MotionModel m = ModelArtifacts.read(model);
    Path f = dir.resolve("arrive.csv");
    Cli r = Cli.run("rollout", model.toString(), "--start", "0.2,0.3", "--out", f.toString());
    assertEquals(0, r.code, r.toString());
    assertTrue(r.out.contains(": arrived (within 0.001 sigma)"), r.toString());
    String[] rows = Files.readString(f).strip().split("\n");
    String[] last = rows[rows.length - 1].split(",");
    for (int k = 0; k < 2; k++) {
      assertEquals(
          m.goal()[k],
          Double.parseDouble(last[1 + k]),
          1e-3 * m.scale()[k] + 1e-9,
          "dimension " + k);
    }
    Cli shortOne =
        Cli.run(
            "rollout",
            model.toString(),
            "--start",
            "0.2,0.3",
            "--duration",
            Double.toString(0.2 * m.timeScale()));
    assertEquals(0, shortOne.code, shortOne.toString());
    assertTrue(
        shortOne.err.contains("rollout: note: end") && shortOne.err.contains("NOT arrived"),
        shortOne.toString());
  }
}
