package org.diffeomotion.trainer.bench;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.diffeomotion.model.AtomicFiles;
import org.diffeomotion.model.MotionModel;
import org.diffeomotion.model.Rollout;
import org.diffeomotion.proto.model.v1.Mode;
import org.diffeomotion.trainer.data.BagDemoReader;
import org.diffeomotion.trainer.data.BagReadOptions;
import org.diffeomotion.trainer.data.DemoDataException;
import org.diffeomotion.trainer.data.Demonstration;
import org.diffeomotion.trainer.data.DemonstrationSet;
import org.diffeomotion.trainer.data.TrimOptions;
import org.diffeomotion.trainer.eval.DemoMetrics;
import org.diffeomotion.trainer.eval.Evaluation;
import org.diffeomotion.trainer.eval.FitCheck;
import org.diffeomotion.trainer.eval.Plots;
import org.diffeomotion.trainer.eval.Split;

/**
 * The imitation-accuracy benchmark (trainer/BENCHMARK.md): for each shape, train on the training
 * demonstrations only, roll the model out from each held-out demonstration's first sample at that
 * demo's own time stamps, and compare with the demo and with the no-learning reference (the
 * index-aligned mean of the training demos on the held-out demo's stroke).
 *
 * <pre>
 *   scripts/bench-accuracy.sh [--shapes a,b] [--seeds 1,2,3] [--out FILE.md] [--sample-bag]
 * </pre>
 *
 * The table goes to stdout (markdown), progress to stderr. Exit code 0 whatever the results (it
 * measures), 1 when data cannot be read or a file not written, 2 for bad arguments.
 */
public final class AccuracyBenchmark {

  /** The project's sample bag and how {@code --sample-bag} reads it (README, trainer/CLI.md). */
  static final Path SAMPLE_BAG = Path.of("data", "sample", "demos_2d.bag");

  private AccuracyBenchmark() {}

  /**
   * One data set of the benchmark.
   *
   * @param name e.g. the shape's name.
   * @param unit the length unit of the data (mm for the shapes).
   * @param set all demonstrations.
   * @param strokeOf stroke of each demo (the reference of a held-out demo averages the training
   *     demos of its stroke).
   * @param training demos to train on.
   * @param heldOut demos to evaluate on (never given to the fitter).
   */
  public record Case(
      String name,
      String unit,
      DemonstrationSet set,
      int[] strokeOf,
      List<Integer> training,
      List<Integer> heldOut) {

    public Case {
      strokeOf = strokeOf.clone();
      training = List.copyOf(training);
      heldOut = List.copyOf(heldOut);
      for (int h : heldOut) {
        if (training.contains(h)) {
          throw new IllegalArgumentException(
              name + ": demo " + h + " is both held out and trained on");
        }
      }
    }

    /** A benchmark shape with the benchmark's split. */
    public static Case of(BenchmarkShape shape) {
      return of(shape, 1.0);
    }

    /**
     * A benchmark shape with the benchmark's split, its demos generated with the start spread
     * scaled by {@code startSpread} (1 = the benchmark; the name then gets a suffix "@K").
     */
    public static Case of(BenchmarkShape shape, double startSpread) {
      return of(shape, startSpread, 0.0);
    }

    /**
     * A benchmark shape with the benchmark's split, its start spread scaled by {@code startSpread}
     * and its <em>training</em> demos with white sensor noise of SD {@code noise} [mm] per
     * component (the noisy variant: the held-out demos stay clean, so the metrics judge the motion,
     * not the sensor; the reference averages the noisy training demos, as a user's would). The name
     * gets a suffix "@K" for a spread other than 1 and "~N" for noise.
     */
    public static Case of(BenchmarkShape shape, double startSpread, double noise) {
      return of(shape, startSpread, noise, 0);
    }

    /**
     * As {@link #of(BenchmarkShape, double, double)}, with the shape's demos drawn afresh for
     * {@code draw} > 0 ({@link BenchmarkShape#redrawn}; the name gets a suffix "#K").
     */
    public static Case of(BenchmarkShape shape, double startSpread, double noise, int draw) {
      String suffix = draw == 0 ? "" : "#" + draw;
      shape = shape.redrawn(draw);
      int[] strokes = new int[shape.demoCount()];
      for (int i = 0; i < strokes.length; i++) {
        strokes[i] = shape.strokeOfDemo(i);
      }
      String name = shape.name();
      if (startSpread != 1.0) {
        name += "@" + plain(startSpread);
      }
      if (noise != 0.0) {
        name += "~" + plain(noise);
      }
      name += suffix;
      DemonstrationSet set = HandwritingBenchmark.demonstrations(shape, startSpread);
      if (noise != 0.0) {
        DemonstrationSet noisy = HandwritingBenchmark.demonstrations(shape, startSpread, noise);
        List<Demonstration> mixed = new ArrayList<>();
        for (int i = 0; i < set.size(); i++) {
          mixed.add(HandwritingBenchmark.TRAINING_DEMOS.contains(i) ? noisy.demo(i) : set.demo(i));
        }
        try {
          set = set.withDemos(mixed);
        } catch (DemoDataException e) {
          throw new IllegalStateException(name + ": " + e.getMessage(), e);
        }
      }
      return new Case(
          name,
          "mm",
          set,
          strokes,
          HandwritingBenchmark.TRAINING_DEMOS,
          HandwritingBenchmark.HELD_OUT_DEMOS);
    }

    private static String plain(double v) {
      return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    /** The demonstrations the fitter sees: the training demos only. */
    DemonstrationSet trainingSet() throws DemoDataException {
      List<Demonstration> l = new ArrayList<>();
      for (int i : training) {
        l.add(set.demo(i));
      }
      return set.withDemos(l);
    }
  }

  /**
   * The metrics of one held-out demo. Lengths in the case's unit.
   *
   * @param demo index of the demo in the set.
   * @param modelDtw DTW between the rollout and the demo (mean distance between matched points).
   * @param referenceDtw DTW between the reference and the demo.
   * @param modelMse mean over samples and dimensions of (rollout - demo)^2 at equal times [unit^2].
   * @param referenceMse the same for the reference at equal index [unit^2].
   * @param finalGoalDistance distance of the rollout at the demo's end time from the demo's end
   *     (the goal).
   * @param peakSpeedRatio the rollout's peak speed over the demo's (finite differences).
   * @param allDemosDtw DTW of the index-aligned mean of all training demos, whatever their stroke
   *     (the issue's reference; for single-stroke shapes the same as referenceDtw, for multi-model
   *     sets a path nobody drew) [unit].
   */
  public record HeldOut(
      int demo,
      double modelDtw,
      double referenceDtw,
      double modelMse,
      double referenceMse,
      double finalGoalDistance,
      double peakSpeedRatio,
      double allDemosDtw) {}

  /**
   * One case trained with one seed.
   *
   * @param trainDtw mean over the training demos of the DTW between the rollout from the demo's
   *     start (at its own times) and the demo, in the case's unit: how well the fit follows what it
   *     was trained on; far below modelDtw means the held-out error is generalisation, close to it
   *     means the fit underfits. NaN when training failed.
   * @param failure why training or export failed, or null.
   * @param refused true when the fitter's fit check refused the model (diffeo train would not write
   *     it); the model is measured all the same.
   * @param augmentDim the fitted model's augmentation dimensions a (above 0: a plan-only model;
   *     {@code --augment auto} chooses per fit), -1 when training failed.
   * @param funnelBase true for a planar a = 0 model whose base is a funnel (two real modes, {@code
   *     --funnel}, TRAINING.md step 3) instead of the default oscillatory mode.
   * @param farExcursion the fit check's far-field excursion ({@link FitCheck.FarField}) from the
   *     model's provenance, NaN when the fitter did not record it.
   * @param farSpeedRatio the far field's peak speed over the demos', NaN likewise.
   */
  public record Row(
      String shape,
      String unit,
      long seed,
      List<HeldOut> heldOut,
      double trainDtw,
      double trainSeconds,
      String failure,
      boolean refused,
      int augmentDim,
      boolean funnelBase,
      double farExcursion,
      double farSpeedRatio) {

    public Row {
      heldOut = List.copyOf(heldOut);
    }

    public double modelDtw() {
      return mean(HeldOut::modelDtw);
    }

    /** Whether the recorded far field is wild ({@link FitCheck.FarField#wild()}). */
    public boolean wildFarField() {
      return !Double.isNaN(farExcursion)
          && new FitCheck.FarField(1, farExcursion, farSpeedRatio, 0).wild();
    }

    public double referenceDtw() {
      return mean(HeldOut::referenceDtw);
    }

    /** Model DTW over reference DTW (below 1: the model wins). */
    public double ratio() {
      return modelDtw() / referenceDtw();
    }

    public double modelMse() {
      return mean(HeldOut::modelMse);
    }

    public double referenceMse() {
      return mean(HeldOut::referenceMse);
    }

    public double finalGoalDistance() {
      return mean(HeldOut::finalGoalDistance);
    }

    /**
     * Reference DTW of the mean of all training demos (differs from referenceDtw on multi-model
     * sets).
     */
    public double allDemosDtw() {
      return mean(HeldOut::allDemosDtw);
    }

    public double peakSpeedRatio() {
      return mean(HeldOut::peakSpeedRatio);
    }

    /**
     * Whether training worked and the model follows the held-out demos more closely (DTW) than the
     * reference.
     */
    public boolean beatsReference() {
      return failure == null && modelDtw() < referenceDtw();
    }

    private double mean(java.util.function.ToDoubleFunction<HeldOut> f) {
      if (heldOut.isEmpty()) {
        return Double.NaN;
      }
      double s = 0;
      for (HeldOut h : heldOut) {
        s += f.applyAsDouble(h);
      }
      return s / heldOut.size();
    }
  }

  /**
   * Everything a run measured.
   *
   * @param rows one per case and seed, in run order (cases outer, seeds inner).
   * @param seeds the training seeds.
   * @param seconds wall time of the whole run [s].
   * @param fitter {@link ShapeFitter#describe()}.
   */
  public record Report(List<Row> rows, List<Long> seeds, double seconds, String fitter) {

    public Report {
      rows = List.copyOf(rows);
      seeds = List.copyOf(seeds);
    }

    /** The rows by case, in order. */
    Map<String, List<Row>> byShape() {
      Map<String, List<Row>> m = new LinkedHashMap<>();
      for (Row r : rows) {
        m.computeIfAbsent(r.shape(), k -> new ArrayList<>()).add(r);
      }
      return m;
    }

    /** The row with the highest DTW ratio (a failure counts as worst). */
    static Row worst(List<Row> l) {
      Row w = null;
      for (Row r : l) {
        if (w == null || score(r) > score(w)) {
          w = r;
        }
      }
      return w;
    }

    private static double score(Row r) {
      return r.failure() != null || Double.isNaN(r.ratio()) ? Double.POSITIVE_INFINITY : r.ratio();
    }

    /**
     * The table (markdown): one row per case and seed; with several seeds also each case's worst
     * seed.
     */
    public String table() {
      StringBuilder b = new StringBuilder();
      header(b);
      for (Row r : rows) {
        line(b, r);
      }
      if (seeds.size() > 1) {
        b.append("\nWorst seed per shape (highest DTW ratio):\n\n");
        header(b);
        for (List<Row> l : byShape().values()) {
          line(b, worst(l));
        }
      }
      return b.toString();
    }

    private static void header(StringBuilder b) {
      b.append(
          "| shape | seed | model DTW | reference DTW | model / ref. | train DTW | model MSE "
              + "| reference MSE | final goal dist. | peak speed model / demo | train [s] | |\n");
      b.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
    }

    private static void line(StringBuilder b, Row r) {
      String unit = r.unit().equals("mm") ? "" : " [" + r.unit() + "]";
      if (r.failure() != null) {
        b.append(
            String.format(
                Locale.ROOT,
                "| %s%s | %d | | %s | | | | %s | | | %.1f | FAILED: %s |%n",
                r.shape(),
                unit,
                r.seed(),
                num(r.referenceDtw()),
                num(r.referenceMse()),
                r.trainSeconds(),
                r.failure().replace('|', '/').replace('\n', ' ')));
        return;
      }
      b.append(
          String.format(
              Locale.ROOT,
              "| %s%s | %d | %s | %s | %s | %s | %s | %s | %s | %s | %.1f | %s |%n",
              r.shape(),
              unit,
              r.seed(),
              num(r.modelDtw()),
              num(r.referenceDtw()),
              num(r.ratio()),
              num(r.trainDtw()),
              num(r.modelMse()),
              num(r.referenceMse()),
              num(r.finalGoalDistance()),
              num(r.peakSpeedRatio()),
              r.trainSeconds(),
              ((r.beatsReference() ? "" : "**loses**")
                      + (r.refused() ? " refused by the fit check" : "")
                      + (r.augmentDim() > 0 ? " a = " + r.augmentDim() + " (plan-only)" : "")
                      + (r.funnelBase() ? " funnel base" : "")
                      + (Double.isNaN(r.farExcursion())
                          ? ""
                          : String.format(
                              Locale.ROOT,
                              " far field %s× / %s× speed%s",
                              num(r.farExcursion()),
                              num(r.farSpeedRatio()),
                              r.wildFarField() ? " (wild)" : "")))
                  .strip()));
    }

    /** Three significant digits, plain notation where it is short. */
    static String num(double v) {
      if (!Double.isFinite(v)) {
        return String.valueOf(v);
      }
      double a = Math.abs(v);
      if (a != 0 && (a < 1e-3 || a >= 1e5)) {
        return String.format(Locale.ROOT, "%.2e", v);
      }
      return String.format(
          Locale.ROOT, a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : a >= 1 ? "%.2f" : "%.3g", v);
    }

    /**
     * The summary lines: per seed, the shapes where the model beats the reference, the medians over
     * shapes (in mm; other units left out) of model and reference DTW and their ratio, the worst
     * shape; over all seeds, the shapes where every seed wins; the total time.
     */
    public String summary() {
      StringBuilder b = new StringBuilder();
      Map<String, List<Row>> by = byShape();
      int cases = by.size();
      for (long seed : seeds) {
        List<Row> l = rows.stream().filter(r -> r.seed() == seed).toList();
        long wins = l.stream().filter(Row::beatsReference).count();
        List<Row> mm =
            l.stream().filter(r -> r.unit().equals("mm") && r.failure() == null).toList();
        double mModel = median(mm.stream().mapToDouble(Row::modelDtw).toArray());
        double mRef = median(mm.stream().mapToDouble(Row::referenceDtw).toArray());
        double mRatio = median(mm.stream().mapToDouble(Row::ratio).toArray());
        double mTrain = median(mm.stream().mapToDouble(Row::trainDtw).toArray());
        Row w = worst(l);
        long refused = l.stream().filter(Row::refused).count();
        long lifted = l.stream().filter(r -> r.augmentDim() > 0).count();
        long funnels = l.stream().filter(Row::funnelBase).count();
        long wild = l.stream().filter(Row::wildFarField).count();
        b.append(
            String.format(
                Locale.ROOT,
                "seed %d: the model beats the reference on %d of %d shapes; "
                    + "median over shapes: model DTW %s mm, reference DTW %s mm (ratio of the medians %s, "
                    + "median ratio %s; training demos: median DTW %s mm); worst: %s (%s); "
                    + "refused by the fit check: %d; plan-only (a > 0): %d; funnel base: %d; "
                    + "wild far field: %d%n",
                seed,
                wins,
                l.size(),
                num(mModel),
                num(mRef),
                num(mModel / mRef),
                num(mRatio),
                num(mTrain),
                w.shape(),
                w.failure() != null ? "failed" : "ratio " + num(w.ratio()),
                refused,
                lifted,
                funnels,
                wild));
      }
      List<Row> multi =
          rows.stream()
              .filter(
                  r -> r.failure() == null && Math.abs(r.allDemosDtw() - r.referenceDtw()) > 1e-12)
              .toList();
      for (Row r : multi) {
        b.append(
            String.format(
                Locale.ROOT,
                "multi-model %s seed %d: model DTW %s %s, mean of the training demos on "
                    + "the held-out demo's stroke %s (ratio %s), mean of all training demos %s (ratio %s)%n",
                r.shape(),
                r.seed(),
                num(r.modelDtw()),
                r.unit(),
                num(r.referenceDtw()),
                num(r.ratio()),
                num(r.allDemosDtw()),
                num(r.modelDtw() / r.allDemosDtw())));
      }
      if (seeds.size() > 1) {
        long all =
            by.values().stream().filter(l -> l.stream().allMatch(Row::beatsReference)).count();
        Row w = worst(rows);
        b.append(
            String.format(
                Locale.ROOT,
                "all seeds: the model beats the reference for every seed on %d of %d "
                    + "shapes; worst shape and seed: %s seed %d (%s)%n",
                all,
                cases,
                w.shape(),
                w.seed(),
                w.failure() != null ? "failed" : "ratio " + num(w.ratio())));
      }
      double train = rows.stream().mapToDouble(Row::trainSeconds).sum();
      b.append(
          String.format(
              Locale.ROOT,
              "total %.0f s (training %.0f s) for %d shape%s x %d seed%s%n",
              seconds,
              train,
              cases,
              cases == 1 ? "" : "s",
              seeds.size(),
              seeds.size() == 1 ? "" : "s"));
      return b.toString();
    }
  }

  static double median(double[] v) {
    if (v.length == 0) {
      return Double.NaN;
    }
    double[] s = v.clone();
    Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
  }

  /**
   * Runs the benchmark.
   *
   * @param progress where progress lines go (stderr in the main), or null for none.
   */
  public static Report run(
      List<Case> cases, List<Long> seeds, ShapeFitter fitter, PrintStream progress) {
    return run(cases, seeds, fitter, progress, null);
  }

  /**
   * Runs the benchmark and, when {@code plots} is not null, writes per shape and seed into that
   * directory {@code <shape>_s<seed>.png} (every demo and the rollout from its start, training and
   * held out in their colours) and {@code <shape>_s<seed>_profiles.png} (the held-out demos' paths
   * and speed profiles against the rollouts).
   *
   * @param progress where progress lines go (stderr in the main), or null for none.
   */
  public static Report run(
      List<Case> cases, List<Long> seeds, ShapeFitter fitter, PrintStream progress, Path plots) {
    long start = System.nanoTime();
    List<Row> rows = new ArrayList<>();
    for (int c = 0; c < cases.size(); c++) {
      Case cs = cases.get(c);
      List<HeldOut> reference = reference(cs);
      for (long seed : seeds) {
        String tag =
            String.format(Locale.ROOT, "[%d/%d] %s seed %d", c + 1, cases.size(), cs.name(), seed);
        Row r = trainAndEvaluate(cs, reference, seed, fitter, progress, tag, plots);
        rows.add(r);
        if (progress != null) {
          progress.printf(
              Locale.ROOT,
              "%s: %s%n",
              tag,
              r.failure() != null
                  ? "FAILED: " + r.failure()
                  : String.format(
                      Locale.ROOT,
                      "model DTW %s vs reference %s %s (ratio %s%s; training demos %s%s), "
                          + "trained in %.1f s",
                      Report.num(r.modelDtw()),
                      Report.num(r.referenceDtw()),
                      cs.unit(),
                      Report.num(r.ratio()),
                      r.beatsReference() ? "" : ", loses",
                      Report.num(r.trainDtw()),
                      (r.augmentDim() > 0 ? "; a = " + r.augmentDim() : "")
                          + (r.funnelBase() ? "; funnel base" : ""),
                      r.trainSeconds()));
        }
      }
    }
    return new Report(rows, seeds, (System.nanoTime() - start) / 1e9, fitter.describe());
  }

  /** Trains on the case's training demos and evaluates on its held-out demos. */
  static Row trainAndEvaluate(
      Case cs,
      List<HeldOut> reference,
      long seed,
      ShapeFitter fitter,
      PrintStream progress,
      String tag) {
    return trainAndEvaluate(cs, reference, seed, fitter, progress, tag, null);
  }

  private static Row trainAndEvaluate(
      Case cs,
      List<HeldOut> reference,
      long seed,
      ShapeFitter fitter,
      PrintStream progress,
      String tag,
      Path plots) {
    long t0 = System.nanoTime();
    MotionModel model;
    try {
      DemonstrationSet training = cs.trainingSet();
      ShapeFitter.ProgressSink sink =
          progress == null
              ? ShapeFitter.ProgressSink.none()
              : (i, n, loss) -> {
                if (n >= 4 && i % (n / 4) == 0 && i < n) {
                  progress.printf(Locale.ROOT, "%s: iteration %d/%d, loss %.3e%n", tag, i, n, loss);
                }
              };
      model = fitter.fit(training, seed, sink);
    } catch (Exception e) {
      double s = (System.nanoTime() - t0) / 1e9;
      return new Row(
          cs.name(),
          cs.unit(),
          seed,
          reference,
          Double.NaN,
          s,
          e.getClass().getSimpleName() + ": " + e.getMessage(),
          false,
          -1,
          false,
          Double.NaN,
          Double.NaN);
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    List<HeldOut> out = new ArrayList<>();
    for (int k = 0; k < cs.heldOut().size(); k++) {
      HeldOut ref = reference.get(k);
      HeldOut m = modelMetrics(model, cs.set().demo(cs.heldOut().get(k)));
      out.add(
          new HeldOut(
              ref.demo(),
              m.modelDtw(),
              ref.referenceDtw(),
              m.modelMse(),
              ref.referenceMse(),
              m.finalGoalDistance(),
              m.peakSpeedRatio(),
              ref.allDemosDtw()));
    }
    double trainDtw = 0;
    for (int i : cs.training()) {
      trainDtw += modelMetrics(model, cs.set().demo(i)).modelDtw() / cs.training().size();
    }
    if (plots != null) {
      writePlots(cs, model, seed, plots, progress);
    }
    Double check =
        model.provenance() == null
            ? null
            : model.provenance().getMetricsMap().get("fit_check_passed");
    return new Row(
        cs.name(),
        cs.unit(),
        seed,
        out,
        trainDtw,
        seconds,
        null,
        check != null && check == 0.0,
        model.augmentDim(),
        model.stateDim() == 2
            && model.augmentDim() == 0
            && model.toProto().getBase().getModesList().stream()
                .allMatch(m -> m.getKind() == Mode.Kind.REAL),
        metric(model, FitCheck.FAR_EXCURSION_METRIC),
        metric(model, FitCheck.FAR_SPEED_METRIC));
  }

  private static double metric(MotionModel model, String name) {
    return model.provenance() == null
        ? Double.NaN
        : model.provenance().getMetricsMap().getOrDefault(name, Double.NaN);
  }

  /**
   * The plots of one fitted case (see {@link #run(List, List, ShapeFitter, PrintStream, Path)}). A
   * plot that cannot be written is reported on {@code progress} and the benchmark goes on.
   */
  static void writePlots(Case cs, MotionModel model, long seed, Path dir, PrintStream progress) {
    List<DemoMetrics> demos = new ArrayList<>();
    Map<String, String> labels = new LinkedHashMap<>();
    for (int i = 0; i < cs.set().size(); i++) {
      boolean held = cs.heldOut().contains(i);
      if (!held && !cs.training().contains(i)) {
        continue;
      }
      Demonstration demo = cs.set().demo(i);
      demos.add(rolloutMetrics(model, demo, held ? Split.VALIDATION : Split.TRAIN));
      if (held) {
        labels.put(demo.name(), "held out");
      }
    }
    Evaluation ev = new Evaluation(demos);
    String stem = String.format(Locale.ROOT, "%s_s%d", cs.name(), seed);
    String title = String.format(Locale.ROOT, "%s, seed %d", cs.name(), seed);
    try {
      Files.createDirectories(dir);
      Plots.rollouts(model, ev, title, dir.resolve(stem + ".png"));
      Plots.demoProfiles(model, ev, labels, title, dir.resolve(stem + "_profiles.png"));
    } catch (java.io.IOException | RuntimeException e) {
      if (progress != null) {
        progress.println("bench-accuracy: could not write the plots of " + title + ": " + e);
      }
    }
  }

  /** The demo against the closed-form rollout from its first sample at its own times. */
  private static DemoMetrics rolloutMetrics(MotionModel model, Demonstration demo, Split split) {
    int n = demo.size();
    int d = demo.dimension();
    double[] t = demo.times();
    double[] rel = new double[n];
    for (int j = 0; j < n; j++) {
      rel[j] = t[j] - t[0];
    }
    double[] y = Reference.rowMajor(demo);
    double[] yhat = new double[n * d];
    new Rollout(model, n).rollout(Arrays.copyOfRange(y, 0, d), rel, n, yhat);
    double[] goal = Arrays.copyOfRange(y, (n - 1) * d, n * d);
    return Evaluation.compare(demo.name(), split, rel, y, yhat, n, d, goal);
  }

  /**
   * The model's closed-form rollout from the demo's first sample at the demo's own times, against
   * the demo (referenceDtw / referenceMse left NaN).
   */
  static HeldOut modelMetrics(MotionModel model, Demonstration demo) {
    DemoMetrics m = rolloutMetrics(model, demo, Split.VALIDATION);
    int n = m.points();
    int d = demo.dimension();
    double[] rel = m.times();
    double ratio =
        Reference.peakSpeed(m.rollout(), rel, n, d) / Reference.peakSpeed(m.demo(), rel, n, d);
    return new HeldOut(
        -1, m.dtw(), Double.NaN, m.mse(), Double.NaN, m.finalGoalDistance(), ratio, Double.NaN);
  }

  /**
   * The no-learning reference for each held-out demo: the index-aligned mean of the training demos
   * on its stroke, compared with the demo at equal index (DTW, MSE). Demos of unequal length are
   * first resampled to {@value HandwritingBenchmark#SAMPLES} points uniform in their own time (the
   * mean and the held-out demo alike).
   */
  static List<HeldOut> reference(Case cs) {
    List<HeldOut> out = new ArrayList<>();
    for (int h : cs.heldOut()) {
      List<Demonstration> mates = new ArrayList<>();
      for (int i : cs.training()) {
        if (cs.strokeOf()[i] == cs.strokeOf()[h]) {
          mates.add(cs.set().demo(i));
        }
      }
      if (mates.isEmpty()) {
        throw new IllegalArgumentException(
            cs.name() + ": held-out demo " + h + " has no training demo on its " + "stroke");
      }
      Demonstration demo = cs.set().demo(h);
      List<Demonstration> all = new ArrayList<>(mates);
      all.add(demo);
      int n = Reference.sameLength(all, demo.size()) ? demo.size() : HandwritingBenchmark.SAMPLES;
      int d = demo.dimension();
      double[] mean = Reference.indexAlignedMean(mates, n);
      double[] y = n == demo.size() ? Reference.rowMajor(demo) : Reference.resampled(demo, n);
      double[] idx = new double[n];
      for (int j = 0; j < n; j++) {
        idx[j] = j;
      }
      DemoMetrics m =
          Evaluation.compare(
              demo.name(),
              Split.VALIDATION,
              idx,
              y,
              mean,
              n,
              d,
              Arrays.copyOfRange(y, (n - 1) * d, n * d));
      List<Demonstration> everyTraining = new ArrayList<>();
      for (int i : cs.training()) {
        everyTraining.add(cs.set().demo(i));
      }
      double allDtw = m.dtw();
      if (everyTraining.size() != mates.size()) {
        double[] meanAll = Reference.indexAlignedMean(everyTraining, n);
        allDtw = org.diffeomotion.trainer.eval.Dtw.align(meanAll, n, y, n, d).normalised();
      }
      out.add(
          new HeldOut(h, Double.NaN, m.dtw(), Double.NaN, m.mse(), Double.NaN, Double.NaN, allDtw));
    }
    return out;
  }

  /**
   * The project's sample bag as a case: 7 demos, trained on 0, 1, 3, 5, 6, held out 2 and 4, in
   * [m].
   */
  static Case sampleBag(Path bag) throws DemoDataException {
    DemonstrationSet set =
        new BagDemoReader(
                bag,
                BagReadOptions.defaults()
                    .withTopic("/demo/pose")
                    .withDimensions(List.of("x", "y"))
                    .withGapThreshold(1.0)
                    .withTrim(TrimOptions.of(0.02, 0.3)))
            .read();
    return new Case(
        "sample_bag",
        set.units().get(0),
        set,
        new int[set.size()],
        HandwritingBenchmark.TRAINING_DEMOS,
        HandwritingBenchmark.HELD_OUT_DEMOS);
  }

  private static final String USAGE =
      String.join(
          "\n",
          "Usage: scripts/bench-accuracy.sh [--shapes A,B,..] [--seeds S,..] [--out FILE.md] [--sample-bag]"
              + " [--train K=V,..] [--start-spread K] [--sensor-noise MM] [--draw K] [--plots DIR]",
          "Trains on demos 0,1,3,5,6 of each handwriting-benchmark shape with the trainer's default options and",
          "compares the rollouts from held-out demos 2 and 4 with those demos and with the no-learning reference",
          "(the index-aligned mean of the training demos). trainer/BENCHMARK.md.",
          "  --shapes A,B,..  shapes to run (default: all): "
              + String.join(",", HandwritingBenchmark.names()),
          "  --seeds S,..     training seeds (default: 1)",
          "  --out FILE.md    also write the table and summary as markdown",
          "  --sample-bag     also run data/sample/demos_2d.bag (/demo/pose, x,y, gap 1 s, trim 0.02,0.3)",
          "  --train K=V,..   ablation: change training options from their defaults, K one of "
              + String.join(", ", TrainerDefaultsFitter.ABLATION_KEYS),
          "  --plots DIR      also write per shape and seed DIR/<shape>_s<seed>.png (demos and rollouts)",
          "                   and DIR/<shape>_s<seed>_profiles.png (held-out paths and speed profiles)",
          "  --start-spread K the wide-starts variant: each shape's start spread times K (default 1)",
          "  --sensor-noise MM the noisy variant: white noise of SD MM per component on every sample of",
          "                   the training demos (the held-out demos stay clean; default 0)",
          "  --draw K         fresh draws: every shape's demos drawn anew from the same generator",
          "                   (seed + 1000 K; 0, the default, is the benchmark; names get \"#K\")",
          "  --baselines      train nothing: the start-aware baselines (arc-length mean, + start offset,",
          "                   + similarity about the goal) against the reference, per shape",
          "  --oracle         train nothing: what a predictor that sees only the held-out start could do,",
          "                   estimated with the generator (conditional mean path, floor); shapes only",
          "  --poses ...      (first) the pose benchmark instead: scripts/bench-accuracy.sh --poses --help",
          "  -h, --help       this text");

  public static void main(String[] args) {
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }
    System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
    System.exit(execute(args, System.out, System.err, null));
  }

  /**
   * {@link #main} without exiting: returns the exit code. fitter null = the trainer's defaults
   * (changed by {@code --train}).
   */
  static int execute(String[] args, PrintStream out, PrintStream err, ShapeFitter fitter) {
    if (args.length > 0 && args[0].equals("--poses")) {
      return PoseBenchmark.execute(
          Arrays.copyOfRange(args, 1, args.length), out, err, PoseBenchmark.trainerDefaults());
    }
    String train = null;
    List<String> shapes = List.of();
    List<Long> seeds = List.of(1L);
    Path md = null;
    boolean bag = false;
    Path plots = null;
    double spread = 1.0;
    double noise = 0.0;
    int draw = 0;
    boolean baselines = false;
    boolean oracle = false;
    try {
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--shapes" -> shapes = Arrays.asList(value(args, ++i, "--shapes").split(","));
          case "--seeds" -> {
            List<Long> l = new ArrayList<>();
            for (String s : value(args, ++i, "--seeds").split(",")) {
              try {
                l.add(Long.parseLong(s.trim()));
              } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--seeds: '" + s + "' is not an integer");
              }
            }
            seeds = List.copyOf(l);
          }
          case "--out" -> md = Path.of(value(args, ++i, "--out"));
          case "--sample-bag" -> bag = true;
          case "--baselines" -> baselines = true;
          case "--oracle" -> oracle = true;
          case "--plots" -> plots = Path.of(value(args, ++i, "--plots"));
          case "--train" -> train = value(args, ++i, "--train");
          case "--start-spread" -> {
            spread = number(args, ++i, "--start-spread");
            if (!(spread > 0) || !Double.isFinite(spread)) {
              throw new IllegalArgumentException("--start-spread must be > 0, got " + args[i]);
            }
          }
          case "--sensor-noise" -> {
            noise = number(args, ++i, "--sensor-noise");
            if (!(noise >= 0) || !Double.isFinite(noise)) {
              throw new IllegalArgumentException("--sensor-noise must be >= 0 mm, got " + args[i]);
            }
          }
          case "--draw" -> {
            double k = number(args, ++i, "--draw");
            if (!(k >= 0 && k <= BenchmarkShape.MAX_DRAW) || k != Math.rint(k)) {
              throw new IllegalArgumentException(
                  "--draw must be an integer 0.." + BenchmarkShape.MAX_DRAW + ", got " + args[i]);
            }
            draw = (int) k;
          }
          case "-h", "--help" -> {
            out.println(USAGE);
            return 0;
          }
          default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'");
        }
      }
      if (oracle && (spread != 1.0 || noise != 0.0 || draw != 0 || bag || baselines)) {
        throw new IllegalArgumentException(
            "--oracle estimates the benchmark's own shapes: not with --start-spread,"
                + " --sensor-noise, --draw, --sample-bag or --baselines");
      }
      if (fitter == null) {
        fitter = train == null ? ShapeFitter.trainerDefaults() : new TrainerDefaultsFitter(train);
      } else if (train != null) {
        throw new IllegalArgumentException("--train applies to the trainer's defaults only");
      }
      if (md != null && Files.isDirectory(md)) {
        throw new IllegalArgumentException("--out " + md + " is a directory; give a file name");
      }
      List<Case> cases = new ArrayList<>();
      for (BenchmarkShape s : HandwritingBenchmark.select(shapes)) {
        cases.add(Case.of(s, spread, noise, draw));
      }
      if (bag) {
        // scripts/bench-accuracy.sh names the repository root; otherwise the working directory.
        cases.add(sampleBag(Path.of(System.getProperty("diffeo.root", ".")).resolve(SAMPLE_BAG)));
      }
      Instant when = Instant.now().truncatedTo(ChronoUnit.SECONDS);
      if (plots != null && Files.exists(plots) && !Files.isDirectory(plots)) {
        throw new IllegalArgumentException("--plots " + plots + " is a file; give a directory");
      }
      if (oracle) {
        err.println(
            "bench-accuracy: generator oracle, "
                + GeneratorOracle.DRAWS
                + " draws per held-out demo (about 3 s per shape) ...");
        String table =
            GeneratorOracle.table(cases, GeneratorParameters.DEFAULTS, GeneratorOracle.DRAWS);
        out.print(table);
        if (md != null) {
          AtomicFiles.write(
              md,
              ("# Generator oracle, "
                      + when
                      + "\n\nDTW in mm against held-out demos "
                      + HandwritingBenchmark.HELD_OUT_DEMOS
                      + " (mean); nothing trained (trainer/BENCHMARK.md, \"How close to the"
                      + " floor\").\n\n"
                      + table.replace("\nsingle", "\n\nsingle"))
                  .getBytes(StandardCharsets.UTF_8));
          err.println("wrote " + md);
        }
        return 0;
      }
      if (baselines) {
        String table = StartAwareBaselines.table(cases);
        out.print(table);
        if (md != null) {
          AtomicFiles.write(
              md,
              ("# Start-aware baselines, "
                      + when
                      + "\n\nDTW in mm (the sample bag: m) against held-out demos "
                      + HandwritingBenchmark.HELD_OUT_DEMOS
                      + " (mean); nothing trained (trainer/BENCHMARK.md).\n\n"
                      + table.replace("\nmedian", "\n\nmedian"))
                  .getBytes(StandardCharsets.UTF_8));
          err.println("wrote " + md);
        }
        return 0;
      }
      Report report = run(cases, seeds, fitter, err, plots);
      String table = report.table();
      String summary = report.summary();
      out.print(table);
      out.println();
      out.print(summary);
      if (md != null) {
        String text =
            "# Accuracy benchmark, "
                + when
                + "\n\n"
                + "Fitter: "
                + report.fitter()
                + ". Seeds "
                + seeds
                + ". Lengths in mm (the sample bag: m); "
                + "MSE in mm^2 (m^2) over samples and dimensions; means over the held-out demos "
                + HandwritingBenchmark.HELD_OUT_DEMOS
                + ".\n\n"
                + table
                + "\n"
                + summary.replace("\n", "\n\n");
        AtomicFiles.write(md, text.getBytes(StandardCharsets.UTF_8));
        err.println("wrote " + md);
      }
      return 0;
    } catch (IllegalArgumentException e) {
      err.println("bench-accuracy: " + e.getMessage());
      err.println(USAGE);
      return 2;
    } catch (DemoDataException e) {
      err.println("bench-accuracy: error: " + e.getMessage());
      return 1;
    } catch (java.io.IOException e) {
      err.println("bench-accuracy: error: " + e);
      return 1;
    }
  }

  /** The option's value as a number; an error naming the option when it is none. */
  private static double number(String[] args, int i, String option) {
    String v = value(args, i, option);
    try {
      return Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + ": '" + v + "' is not a number");
    }
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length || args[i].startsWith("--")) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[i];
  }
}
