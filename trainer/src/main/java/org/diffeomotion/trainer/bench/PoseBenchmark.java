package org.diffeomotion.trainer.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.diffeomotion.model.MotionModel;
import org.diffeomotion.model.PoseMap;
import org.diffeomotion.model.Rollout;
import org.diffeomotion.model.So3;
import org.diffeomotion.trainer.data.Demonstration;
import org.diffeomotion.trainer.data.DemonstrationSet;
import org.diffeomotion.trainer.eval.Dtw;

/**
 * The pose accuracy benchmark (BENCHMARK.md, "Poses"): the handwriting shapes lifted to full poses
 * by {@link PoseDemoGenerator}, trained like {@code diffeo train --pose} on demos 0, 1, 3, 5, 6,
 * rolled out from the first pose of held-out demos 2 and 4 at their own times. Per held-out demo:
 * the position DTW [mm] and the orientation error at the DTW-matched points [degrees, mean and
 * max], beside the no-learning reference (the index-aligned mean of the training demos: positions
 * averaged, orientations by the normalised sign-aligned quaternion sum, i.e. the chordal mean).
 */
public final class PoseBenchmark {

  /** Trains a pose model from pose demonstrations (7 values per sample, PoseDemoGenerator). */
  @FunctionalInterface
  public interface PoseFitter {
    MotionModel fit(DemonstrationSet poses, long seed) throws Exception;
  }

  /** Default shapes: single strokes with curls, sharp turns and long straights. */
  static final List<String> DEFAULT_SHAPES =
      List.of("S", "C", "J", "L", "Z", "W", "two", "six", "nine", "e_script");

  /**
   * Errors of one trajectory against a held-out demo.
   *
   * @param dtwMm position DTW [mm]
   * @param meanDeg mean orientation error at the DTW-matched points [deg]
   * @param maxDeg largest orientation error at the matched points [deg]
   * @param endDeg orientation error at the demo's last time [deg]
   */
  public record Errors(double dtwMm, double meanDeg, double maxDeg, double endDeg) {}

  /** One shape and seed: model and reference per held-out demo, training seconds, or an error. */
  public record Row(
      String shape,
      long seed,
      List<Errors> model,
      List<Errors> reference,
      double seconds,
      String error) {

    double mean(List<Errors> l, java.util.function.ToDoubleFunction<Errors> f) {
      return l.stream().mapToDouble(f).average().orElse(Double.NaN);
    }
  }

  private PoseBenchmark() {}

  /**
   * What {@code diffeo train --pose} does with its defaults: the quaternions cleaned and turned
   * into rotation vectors relative to the Karcher mean of the end orientations ({@code PoseDemos}),
   * then the trainer's defaults and fit check ({@link ShapeFitter#trainerDefaults()}).
   */
  static PoseFitter trainerDefaults() {
    return fitter(ShapeFitter.trainerDefaults());
  }

  /**
   * The ablation {@code --positions-only}: the same demos' positions alone (a 3-D position model,
   * trained with the defaults), to tell what learning the orientation costs the positions.
   */
  static PoseFitter positionsOnly(ShapeFitter fitter) {
    return (poses, seed) -> {
      List<Demonstration> demos = new ArrayList<>();
      for (Demonstration d : poses.demos()) {
        double[][] y = d.states();
        double[][] p = new double[y.length][];
        for (int j = 0; j < y.length; j++) {
          p[j] = Arrays.copyOf(y[j], 3);
        }
        demos.add(new Demonstration(d.name(), d.source(), d.times(), p));
      }
      return fitter.fit(
          DemonstrationSet.of(
              demos, List.of("x", "y", "z"), List.of("m", "m", "m"), "bench", poses.source()),
          seed,
          ShapeFitter.ProgressSink.none());
    };
  }

  private static PoseFitter fitter(ShapeFitter fitter) {
    return (poses, seed) -> {
      DemonstrationSet clean =
          poses.withDemos(
              org.diffeomotion.trainer.data.PoseDemos.cleanQuaternions(
                  poses.demos(), "pose.orientation"));
      return fitter.fit(
          org.diffeomotion.trainer.data.PoseDemos.toRotationVectors(clean, "pose.orientation"),
          seed,
          ShapeFitter.ProgressSink.none());
    };
  }

  /** Errors of the poses {@code yhat} (n x 7) against the demo's poses. */
  static Errors errors(double[] yhat, Demonstration demo) {
    int n = demo.size();
    double[] p = new double[3 * n];
    double[] ph = new double[3 * n];
    double[][] y = demo.states();
    for (int j = 0; j < n; j++) {
      for (int k = 0; k < 3; k++) {
        p[3 * j + k] = y[j][k];
        ph[3 * j + k] = yhat[7 * j + k];
      }
    }
    int[][] m = Dtw.path(ph, n, p, n, 3, 3);
    double dist = 0;
    double angle = 0;
    double worst = 0;
    for (int[] pair : m) {
      int a = pair[0];
      int b = pair[1];
      double dx = ph[3 * a] - p[3 * b];
      double dy = ph[3 * a + 1] - p[3 * b + 1];
      double dz = ph[3 * a + 2] - p[3 * b + 2];
      dist += Math.sqrt(dx * dx + dy * dy + dz * dz);
      double e = So3.angleBetween(yhat, 7 * a + 3, y[b], 3);
      angle += e;
      worst = Math.max(worst, e);
    }
    int pairs = m.length;
    double end = So3.angleBetween(yhat, 7 * (n - 1) + 3, y[n - 1], 3);
    return new Errors(
        1000 * dist / pairs,
        Math.toDegrees(angle / pairs),
        Math.toDegrees(worst),
        Math.toDegrees(end));
  }

  /** The model's closed-form rollout from the demo's first pose at the demo's own times (n x 7). */
  static double[] rollout(MotionModel model, Demonstration demo) {
    int n = demo.size();
    double[] t = demo.times();
    double[] rel = new double[n];
    for (int j = 0; j < n; j++) {
      rel[j] = t[j] - t[0];
    }
    if (!model.isPose()) {
      // The --positions-only ablation: a 3-D position model; orientations unknown (NaN).
      double[] y = new double[3 * n];
      new Rollout(model, n).rollout(Arrays.copyOf(demo.states()[0], 3), rel, n, y);
      double[] out = new double[7 * n];
      Arrays.fill(out, Double.NaN);
      for (int j = 0; j < n; j++) {
        System.arraycopy(y, 3 * j, out, 7 * j, 3);
      }
      return out;
    }
    PoseMap map = new PoseMap(model);
    double[] y0 = new double[6];
    map.toState(demo.states()[0], 0, y0, 0);
    double[] y = new double[6 * n];
    new Rollout(model, n).rollout(y0, rel, n, y);
    double[] out = new double[7 * n];
    for (int j = 0; j < n; j++) {
      map.toPose(y, 6 * j, out, 7 * j);
    }
    return out;
  }

  /**
   * The no-learning reference: at each index, the mean training position and the chordal mean of
   * the training orientations (each quaternion's sign aligned with the first demo's, summed,
   * normalised). All demos of the generator have the same number of samples.
   */
  static double[] reference(List<Demonstration> training, int n) {
    double[] out = new double[7 * n];
    for (Demonstration d : training) {
      if (d.size() != n) {
        throw new IllegalArgumentException("reference: demos of unequal length");
      }
    }
    double[][] first = training.get(0).states();
    for (int j = 0; j < n; j++) {
      for (Demonstration d : training) {
        double[] s = d.states()[j];
        double dot = 0;
        for (int k = 3; k < 7; k++) {
          dot += s[k] * first[j][k];
        }
        double sign = dot < 0 ? -1 : 1;
        for (int k = 0; k < 7; k++) {
          out[7 * j + k] += (k < 3 ? 1 : sign) * s[k] / training.size();
        }
      }
      double norm = So3.norm(out, 7 * j + 3);
      for (int k = 3; k < 7; k++) {
        out[7 * j + k] /= norm;
      }
    }
    return out;
  }

  /** Trains and evaluates one shape with one seed. */
  static Row run(String shape, long seed, PoseFitter fitter) {
    DemonstrationSet all = PoseDemoGenerator.generate(HandwritingBenchmark.shape(shape));
    List<Demonstration> training = new ArrayList<>();
    for (int i : HandwritingBenchmark.TRAINING_DEMOS) {
      training.add(all.demo(i));
    }
    List<Errors> ref = new ArrayList<>();
    List<Errors> model = new ArrayList<>();
    double[] mean = reference(training, all.demo(0).size());
    for (int h : HandwritingBenchmark.HELD_OUT_DEMOS) {
      ref.add(errors(mean, all.demo(h)));
    }
    long t0 = System.nanoTime();
    MotionModel m;
    try {
      m = fitter.fit(all.withDemos(training), seed);
    } catch (Exception e) {
      return new Row(
          shape,
          seed,
          List.of(),
          ref,
          (System.nanoTime() - t0) / 1e9,
          e.getClass().getSimpleName() + ": " + e.getMessage());
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    for (int h : HandwritingBenchmark.HELD_OUT_DEMOS) {
      model.add(errors(rollout(m, all.demo(h)), all.demo(h)));
    }
    return new Row(shape, seed, model, ref, seconds, null);
  }

  /** The markdown table and a summary line. */
  static String table(List<Row> rows) {
    StringBuilder b = new StringBuilder();
    b.append(
        "| shape | seed | position DTW mm (ref) | ratio | orientation mean deg (ref) |"
            + " orientation max deg (ref) | end deg | train s |\n");
    b.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
    int won = 0;
    int wonAngle = 0;
    List<Double> ratios = new ArrayList<>();
    List<Double> angleRatios = new ArrayList<>();
    for (Row r : rows) {
      double refDtw = r.mean(r.reference(), Errors::dtwMm);
      double refMean = r.mean(r.reference(), Errors::meanDeg);
      double refMax = r.mean(r.reference(), Errors::maxDeg);
      if (r.error() != null) {
        b.append(
            String.format(
                Locale.ROOT,
                "| %s | %d | failed (%.2f) | - | - (%.2f) | - (%.2f) | - | %.1f |%n",
                r.shape(),
                r.seed(),
                refDtw,
                refMean,
                refMax,
                r.seconds()));
        ratios.add(Double.POSITIVE_INFINITY);
        angleRatios.add(Double.POSITIVE_INFINITY);
        continue;
      }
      double dtw = r.mean(r.model(), Errors::dtwMm);
      double mean = r.mean(r.model(), Errors::meanDeg);
      double max = r.mean(r.model(), Errors::maxDeg);
      double end = r.model().stream().mapToDouble(Errors::endDeg).max().orElse(Double.NaN);
      ratios.add(dtw / refDtw);
      angleRatios.add(mean / refMean);
      won += dtw < refDtw ? 1 : 0;
      wonAngle += mean < refMean ? 1 : 0;
      b.append(
          String.format(
              Locale.ROOT,
              "| %s | %d | %.2f (%.2f) | %.2f | %.2f (%.2f) | %.2f (%.2f) | %.2f | %.1f |%n",
              r.shape(),
              r.seed(),
              dtw,
              refDtw,
              dtw / refDtw,
              mean,
              refMean,
              max,
              refMax,
              end,
              r.seconds()));
    }
    b.append(
        String.format(
            Locale.ROOT,
            "%nsummary: %d rows; position DTW below the reference on %d, orientation mean error"
                + " below it on %d; median ratio position %.3f, orientation %.3f%n",
            rows.size(),
            won,
            wonAngle,
            median(ratios),
            median(angleRatios)));
    return b.toString();
  }

  static double median(List<Double> v) {
    double[] a = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    if (a.length == 0) {
      return Double.NaN;
    }
    return a.length % 2 == 1 ? a[a.length / 2] : 0.5 * (a[a.length / 2 - 1] + a[a.length / 2]);
  }

  static final String USAGE =
      String.join(
          "\n",
          "Usage: scripts/bench-accuracy.sh --poses [--shapes A,B,..] [--seeds S,..] [--out FILE.md]",
          "The pose benchmark: handwriting shapes lifted to 3-D with a turning orientation"
              + " (PoseDemoGenerator), trained with diffeo train --pose's defaults on demos"
              + " 0,1,3,5,6, held-out demos 2 and 4. trainer/BENCHMARK.md, \"Poses\".",
          "  --shapes A,B,..  shapes (default: " + String.join(",", DEFAULT_SHAPES) + ")",
          "  --seeds S,..     training seeds (default: 1)",
          "  --out FILE.md    also write the table as markdown",
          "  --positions-only ablation: train the positions alone (3-D), orientation not learnt",
          "  --train K=V,..   ablation: change training options from their defaults, K one of "
              + String.join(", ", TrainerDefaultsFitter.ABLATION_KEYS));

  /** Runs the benchmark from command-line arguments; returns the exit code. */
  static int execute(String[] args, PrintStream out, PrintStream err, PoseFitter fitter) {
    List<String> shapes = DEFAULT_SHAPES;
    List<Long> seeds = List.of(1L);
    Path md = null;
    String train = null;
    boolean positions = false;
    try {
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--shapes" -> shapes = Arrays.asList(next(args, ++i, "--shapes").split(","));
          case "--seeds" -> {
            List<Long> l = new ArrayList<>();
            for (String s : next(args, ++i, "--seeds").split(",")) {
              try {
                l.add(Long.parseLong(s.trim()));
              } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--seeds: '" + s + "' is not an integer");
              }
            }
            seeds = l;
          }
          case "--out" -> md = Path.of(next(args, ++i, "--out"));
          case "--train" -> train = next(args, ++i, "--train");
          case "--positions-only" -> positions = true;
          case "-h", "--help" -> {
            out.println(USAGE);
            return 0;
          }
          default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'");
        }
      }
      for (String s : shapes) {
        HandwritingBenchmark.shape(s.trim());
      }
      // --train and --positions-only compose (before, the later of the two replaced the other)
      if (train != null || positions) {
        ShapeFitter engine =
            train == null ? ShapeFitter.trainerDefaults() : new TrainerDefaultsFitter(train);
        fitter = positions ? positionsOnly(engine) : fitter(engine);
      }
    } catch (IllegalArgumentException e) {
      err.println("bench-accuracy --poses: " + e.getMessage());
      err.println(USAGE);
      return 2;
    }
    List<Row> rows = new ArrayList<>();
    long t0 = System.nanoTime();
    for (String s : shapes) {
      for (long seed : seeds) {
        err.printf(Locale.ROOT, "pose %s seed %d: training ...%n", s.trim(), seed);
        Row r = run(s.trim(), seed, fitter);
        if (r.error() != null) {
          err.printf(Locale.ROOT, "pose %s seed %d: FAILED: %s%n", s.trim(), seed, r.error());
        }
        rows.add(r);
      }
    }
    String table = table(rows);
    out.print(table);
    out.printf(Locale.ROOT, "total %.0f s%n", (System.nanoTime() - t0) / 1e9);
    if (md != null) {
      try {
        org.diffeomotion.model.AtomicFiles.write(md, table.getBytes(StandardCharsets.UTF_8));
      } catch (IOException e) {
        err.println("bench-accuracy --poses: cannot write " + md + ": " + e.getMessage());
        return 1;
      }
    }
    return rows.stream().allMatch(r -> r.error() == null) ? 0 : 1;
  }

  private static String next(String[] args, int i, String option) {
    if (i >= args.length) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[i];
  }
}
