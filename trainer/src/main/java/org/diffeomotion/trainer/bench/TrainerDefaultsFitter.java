package org.diffeomotion.trainer.bench;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.diffeomotion.model.MotionModel;
import org.diffeomotion.proto.model.v1.Model;
import org.diffeomotion.trainer.data.DemonstrationSet;
import org.diffeomotion.trainer.data.PreparedData;
import org.diffeomotion.trainer.data.PreprocessOptions;
import org.diffeomotion.trainer.data.Preprocessor;
import org.diffeomotion.trainer.eval.FitCheck;
import org.diffeomotion.trainer.fit.TrainOptions;
import org.diffeomotion.trainer.fit.TrainResult;
import org.diffeomotion.trainer.fit.Trainer;
import org.diffeomotion.trainer.fit.TrainingSet;

/**
 * {@link ShapeFitter#trainerDefaults()}: the training engine with its default options, as {@code
 * diffeo train} runs it, and the fit check {@code diffeo train} applies before it writes a model.
 * The benchmark measures a refused model too (it says how bad a refused fit is); the verdict goes
 * into the model's provenance as the metric {@code fit_check_passed} (1 or 0).
 */
final class TrainerDefaultsFitter implements ShapeFitter {

  /** The options {@code --train} may change (ablations). */
  static final java.util.List<String> ABLATION_KEYS =
      java.util.List.of(
          "iterations",
          "starts",
          "realignEvery",
          "realignFrom",
          "fitPoints",
          "timing",
          "blocks",
          "blends",
          "featureScale",
          "width",
          "learningRate",
          "clamp",
          "windows",
          "windowFraction",
          "initOmega",
          "initDecay",
          "funnel",
          "farField",
          "farSpeed",
          "blendChoice",
          "hiddenLayers",
          "augment",
          "lift",
          "perDimensionScale",
          "rotationWeight");

  /** The change from the defaults as given ("" = none), and the options it gives for seed 1. */
  private final String changes;

  private final TrainOptions base;

  /**
   * {@code perDimensionScale=true}: each dimension its own σ (diffeo train --per-dimension-scale).
   */
  private final boolean perDimensionScale;

  /** {@code rotationWeight=W}: the pose rotation's loss weight (diffeo train --rotation-weight). */
  private final double rotationWeight;

  /** The share of the iterations the a = 1 stage of augment=auto trains ({@code lift=}). */
  private final double liftShare;

  /**
   * diffeo train's choice of base: {@code funnel=prefer} (the default, as diffeo train: the funnel
   * and the oscillatory base side by side, {@link FitCheck#keepFunnel}), {@code funnel=auto} or a
   * fixed {@code funnel=R} (0: the oscillatory base only).
   */
  private final FunnelMode funnelMode;

  enum FunnelMode {
    FIXED,
    AUTO,
    PREFER
  }

  /**
   * Zero-padded augmentation dimensions a (DESIGN.md section 2); -1 = diffeo train's choice (1 for
   * d = 1, 0 for a pose model, else {@link #AUTO}); {@link #AUTO}: a = 0, and when that fit follows
   * its demos only loosely ({@link FitCheck.Verdict#loose()}) also a = 1, keeping the one with the
   * lower training DTW (1 for d = 1, 0 for a pose model).
   */
  private final int augment;

  /** {@code augment=auto}. */
  static final int AUTO = -2;

  /** The defaults, as diffeo train. */
  TrainerDefaultsFitter() {
    this.changes = "";
    this.base = TrainOptions.defaults();
    this.augment = -1;
    this.funnelMode = FunnelMode.PREFER;
    this.liftShare = TrainOptions.LIFT_ITERATIONS;
    this.perDimensionScale = false;
    this.rotationWeight = PreprocessOptions.DEFAULT_ROTATION_WEIGHT;
  }

  /**
   * The defaults changed by {@code k=v,k=v} (keys {@link #ABLATION_KEYS}).
   *
   * @throws IllegalArgumentException naming an unknown key or a bad value
   */
  TrainerDefaultsFitter(String changes) {
    this.changes = changes;
    TrainOptions.Builder b = TrainOptions.defaults().toBuilder();
    TrainOptions d = TrainOptions.defaults();
    long every = d.realignEvery();
    double from = d.realignFrom();
    int augment = -1;
    double liftShare = TrainOptions.LIFT_ITERATIONS;
    FunnelMode funnelMode = FunnelMode.PREFER;
    boolean perDimensionScale = false;
    double rotationWeight = PreprocessOptions.DEFAULT_ROTATION_WEIGHT;
    for (String kv : changes.split(",")) {
      String[] p = kv.split("=", 2);
      if (p.length != 2) {
        throw new IllegalArgumentException("--train: '" + kv + "' is not K=V");
      }
      String k = p[0].trim();
      String v = p[1].trim();
      try {
        switch (k) {
          case "iterations" -> b.iterations(Long.parseLong(v));
          case "augment" -> augment = v.equals("auto") ? AUTO : Integer.parseInt(v);
          case "lift" -> {
            liftShare = Double.parseDouble(v);
            TrainOptions.liftIterations(1, liftShare); // validates the share
          }
          case "starts" -> b.starts(Integer.parseInt(v));
          case "perDimensionScale" -> perDimensionScale = Boolean.parseBoolean(v);
          case "rotationWeight" -> {
            rotationWeight = Double.parseDouble(v);
            PreprocessOptions.defaults().withRotationWeight(rotationWeight); // validates it
          }
          case "realignEvery" -> every = Long.parseLong(v);
          case "realignFrom" -> from = Double.parseDouble(v);
          case "fitPoints" -> b.fitPoints(Integer.parseInt(v));
          case "blocks" -> b.blocks(Integer.parseInt(v));
          case "blends" -> b.neighbourBlends(Boolean.parseBoolean(v));
          case "featureScale" -> b.featureScale(Double.parseDouble(v));
          case "width" -> b.width(Integer.parseInt(v));
          case "learningRate" -> b.learningRate(Double.parseDouble(v));
          case "clamp" -> b.clamp(Double.parseDouble(v));
          // windows=8:16:32 (a comma separates the K=V pairs)
          case "windows" ->
              b.windows(
                  java.util.Arrays.stream(v.split(":")).mapToInt(Integer::parseInt).toArray());
          case "windowFraction" -> b.windowFraction(Double.parseDouble(v));
          case "initOmega" -> b.initOmega(Double.parseDouble(v));
          case "initDecay" -> b.initDecay(Double.parseDouble(v));
          case "funnel" -> {
            funnelMode =
                switch (v) {
                  case "auto" -> FunnelMode.AUTO;
                  case "prefer" -> FunnelMode.PREFER;
                  default -> FunnelMode.FIXED;
                };
            b.funnel(
                funnelMode == FunnelMode.AUTO
                    ? TrainOptions.MEASURED_FUNNEL
                    : funnelMode == FunnelMode.PREFER ? 0 : Double.parseDouble(v));
          }
          case "farField" -> b.farField(Double.parseDouble(v));
          case "farSpeed" -> b.farSpeed(Double.parseDouble(v));
          case "blendChoice" -> b.blendChoice(Boolean.parseBoolean(v));
          case "hiddenLayers" -> b.hiddenLayers(Integer.parseInt(v));
          case "timing" ->
              b.timing(
                  org.diffeomotion.trainer.fit.Timing.valueOf(
                      v.toUpperCase(java.util.Locale.ROOT)));
          default ->
              throw new IllegalArgumentException(
                  "--train: unknown option '" + k + "' (one of " + ABLATION_KEYS + ")");
        }
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--train: " + k + "=" + v + " is not a number");
      }
    }
    this.base = b.realign(every, from).build();
    this.augment = augment;
    this.funnelMode = funnelMode;
    this.liftShare = liftShare;
    this.perDimensionScale = perDimensionScale;
    this.rotationWeight = rotationWeight;
  }

  @Override
  public MotionModel fit(DemonstrationSet training, long seed, ProgressSink progress)
      throws Exception {
    PreparedData prepared =
        Preprocessor.prepare(
            training,
            PreprocessOptions.defaults()
                .withSharedScale(!perDimensionScale)
                .withRotationWeight(rotationWeight));
    int d = prepared.dimension();
    // diffeo train's choice: 1 for a 1-D state, 0 for a pose model, else auto.
    int mode = augment >= 0 ? augment : d == 1 ? 1 : prepared.isPose() ? 0 : AUTO;
    if (mode != AUTO) {
      return base(prepared, training, seed, progress, mode).model();
    }
    Fitted plane = base(prepared, training, seed, progress, 0);
    if (!plane.verdict().loose()) {
      return plane.model();
    }
    // diffeo train's second stage: half the iterations (TrainOptions.LIFT_ITERATIONS; lift=).
    Fitted lifted =
        fit(
            prepared,
            training,
            seed,
            progress,
            1,
            base.toBuilder()
                .iterations(TrainOptions.liftIterations(base.iterations(), liftShare))
                .build());
    // diffeo train's rule: a passing, not diverged a = 1 fit that follows the demos more closely,
    // or any passing one where the a = 0 fit is refused (FitCheck.keepSecond)
    return FitCheck.keepSecond(
            lifted.verdict(), lifted.diverged(), plane.verdict(), plane.diverged())
        ? lifted.model()
        : plane.model();
  }

  /**
   * diffeo train's choice of base for an a-dimensional augmentation: --funnel prefer (a = 0, d = 2:
   * both bases side by side, {@link FitCheck#keepFunnel}), --funnel auto (where the funnel fit is
   * loose, the oscillatory base too, the closer passing fit kept) or the one base given.
   */
  private Fitted base(
      PreparedData prepared, DemonstrationSet training, long seed, ProgressSink progress, int a)
      throws Exception {
    if (funnelMode == FunnelMode.PREFER && TrainOptions.funnelApplies(prepared.dimension(), a)) {
      // diffeo train's rule: the funnel only where the demos start close together.
      if (TrainOptions.funnelSuitsStarts(TrainingSet.from(prepared, 0).startSpacing())) {
        return preferFunnel(prepared, training, seed, progress);
      }
      return fit(prepared, training, seed, progress, a, base.toBuilder().funnel(0).build());
    }
    Fitted first = fit(prepared, training, seed, progress, a, base);
    if (funnelMode != FunnelMode.AUTO || !first.funnel() || !first.verdict().loose()) {
      return first;
    }
    Fitted turning = fit(prepared, training, seed, progress, 0, base.toBuilder().funnel(0).build());
    return FitCheck.keepSecond(
            turning.verdict(), turning.diverged(), first.verdict(), first.diverged())
        ? turning
        : first;
  }

  /** --funnel prefer: the two bases on two threads, each with the options' starts. */
  private Fitted preferFunnel(
      PreparedData prepared, DemonstrationSet training, long seed, ProgressSink progress)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      // The progress lines of the two interleave; the oscillatory fit reports, the funnel's not.
      Future<Fitted> funnel =
          pool.submit(
              () ->
                  fit(
                      prepared,
                      training,
                      seed,
                      ProgressSink.none(),
                      0,
                      base.toBuilder().funnel(TrainOptions.MEASURED_FUNNEL).build()));
      Future<Fitted> turning =
          pool.submit(
              () -> fit(prepared, training, seed, progress, 0, base.toBuilder().funnel(0).build()));
      // Both waited for before a failure of either is thrown: a training left running would
      // share the cores with the next shape's and spoil its time.
      Exception failure = null;
      Fitted f = null;
      Fitted t = null;
      try {
        f = get(funnel);
      } catch (Exception e) {
        failure = e;
      }
      try {
        t = get(turning);
      } catch (Exception e) {
        failure = failure == null ? e : failure;
      }
      if (failure != null) {
        throw failure;
      }
      return FitCheck.keepFunnel(f.verdict(), f.diverged(), t.verdict(), t.diverged()) ? f : t;
    } finally {
      pool.shutdownNow();
    }
  }

  private static Fitted get(Future<Fitted> f) throws Exception {
    try {
      return f.get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception x ? x : e;
    }
  }

  /** A model with the verdict of diffeo train's fit check on it. */
  private record Fitted(
      MotionModel model, FitCheck.Verdict verdict, boolean diverged, boolean funnel) {}

  private Fitted fit(
      PreparedData prepared, DemonstrationSet training, long seed, ProgressSink progress, int a)
      throws Exception {
    return fit(prepared, training, seed, progress, a, base);
  }

  private Fitted fit(
      PreparedData prepared,
      DemonstrationSet training,
      long seed,
      ProgressSink progress,
      int a,
      TrainOptions options)
      throws Exception {
    TrainingSet ts = TrainingSet.from(prepared, a);
    // diffeo train's --threads default: one native thread per start (TRAINING.md, Performance).
    Trainer.setComputeThreads(1);
    Trainer trainer = new Trainer(ts, options.withSeed(seed));
    TrainResult result = trainer.fit(p -> progress.report(p.iteration(), p.iterations(), p.loss()));
    MotionModel model =
        trainer.export(
            "benchmark",
            "accuracy benchmark: "
                + describe()
                + ", seed "
                + seed
                + " | data: "
                + training.source());
    FitCheck.Verdict verdict = FitCheck.check(model, trainer.identityModel("identity"), prepared);
    boolean passed = verdict.passed() && !result.diverged();
    Model proto = model.toProto();
    org.diffeomotion.proto.model.v1.Provenance.Builder provenance =
        proto.getProvenance().toBuilder();
    FitCheck.putFarField(provenance, verdict.farField());
    MotionModel checked =
        MotionModel.fromProto(
            proto.toBuilder()
                .setProvenance(
                    provenance
                        .putMetrics("fit_check_passed", passed ? 1 : 0)
                        .setNotes(
                            proto.getProvenance().getNotes()
                                + (passed
                                    ? ""
                                    : " | fit check: "
                                        + verdict.describe()
                                        + (result.diverged() ? "; training diverged" : ""))))
                .build());
    return new Fitted(checked, verdict, result.diverged(), trainer.funnel() > 0);
  }

  @Override
  public String describe() {
    return "Trainer with TrainOptions.defaults()"
        + (changes.isEmpty() ? " (as diffeo train)" : " changed by " + changes)
        + ", PreprocessOptions.defaults() (grid 100, "
        + "no validation split), 1 native thread per start, and diffeo train's fit check";
  }
}
