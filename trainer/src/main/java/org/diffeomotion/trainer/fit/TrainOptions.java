package org.diffeomotion.trainer.fit;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.diffeomotion.model.MotionModel;

/**
 * Training options: plain values with documented defaults. Start from {@link #defaults()} and
 * change what you need with {@link #toBuilder()} or the {@code withX} shortcuts; {@link
 * Builder#build()} validates every field and names the offending one. Immutable.
 *
 * <p>The schedule (TRAINING.md): the first {@code windowFraction} of the iterations fit shooting
 * windows (segments of {@code windows[i]} samples rolled out from their own first sample, each
 * length for an equal share), the rest the closed-form rollouts of whole demos from their starts.
 * The learning rate warms up linearly over {@code warmupIterations}, then follows a cosine to
 * {@code finalLearningRateFraction} of its peak. Gradients are clipped to a global norm of {@code
 * gradientClip}. The exported parameters are the best iterate (lowest whole-demo loss seen); a loss
 * spike or a non-finite loss rolls back to it and halves the learning rate. {@code starts}
 * independent initialisations train in parallel and the best one is kept.
 */
public final class TrainOptions {

  private final int blocks;
  private final int width;
  private final int hiddenLayers;
  private final double epsilon;
  private final double clamp;
  private final long iterations;
  private final double learningRate;
  private final long warmupIterations;
  private final double finalLearningRateFraction;
  private final double gradientClip;
  private final int[] windows;
  private final double windowFraction;
  private final int starts;
  private final Timing timing;
  private final long realignEvery;
  private final double realignFrom;
  private final double featureScale;
  private final int fitPoints;
  private final long seed;
  private final double initDecay;
  private final boolean neighbourBlends;
  private final boolean blendChoice;
  private final double initOmega;
  private final double funnel;
  private final double farField;
  private final double farSpeed;
  private final long validationEvery;
  private final long progressEvery;
  private final long checkpointEvery;
  private final Path checkpointPath;

  private TrainOptions(Builder b) {
    blocks = b.blocks;
    width = b.width;
    hiddenLayers = b.hiddenLayers;
    epsilon = b.epsilon;
    clamp = b.clamp;
    iterations = b.iterations;
    learningRate = b.learningRate;
    warmupIterations = b.warmupIterations;
    finalLearningRateFraction = b.finalLearningRateFraction;
    gradientClip = b.gradientClip;
    windows = b.windows.clone();
    windowFraction = b.windowFraction;
    starts = b.starts;
    timing = b.timing;
    realignEvery = b.realignEvery;
    realignFrom = b.realignFrom;
    featureScale = b.featureScale;
    fitPoints = b.fitPoints;
    seed = b.seed;
    initDecay = b.initDecay;
    neighbourBlends = b.neighbourBlends;
    blendChoice = b.blendChoice;
    initOmega = b.initOmega;
    funnel = b.funnel;
    farField = b.farField;
    farSpeed = b.farSpeed;
    validationEvery = b.validationEvery;
    progressEvery = b.progressEvery;
    checkpointEvery = b.checkpointEvery;
    checkpointPath = b.checkpointPath;
  }

  /**
   * The automatic initial decay in time constants per median demo duration: 6, so that a rollout
   * has covered all but e^-6 (0.25 %) of its distance to the goal when a typical demo has ended.
   * With 4 (e^-4, 1.8 %: ~0.9 mm of a 50 mm shape) the progress timing fitted every demo as if it
   * ended short of the goal, the models kept that slow tail, and the held-out DTW paid for it on
   * every shape (TRAINING.md, Accuracy).
   */
  public static final double AUTO_DECAY_TIME_CONSTANTS = 6.0;

  /** The defaults (the table in TRAINING.md). */
  public static TrainOptions defaults() {
    return new Builder().build();
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Coupling blocks K >= 0 (default 6). */
  public int blocks() {
    return blocks;
  }

  /** Hidden units per MLP layer >= 1 (default 64). */
  public int width() {
    return width;
  }

  /** Hidden layers per MLP >= 0 (default 1: in -> width -> out). */
  public int hiddenLayers() {
    return hiddenLayers;
  }

  /** Lower bound on every decay rate, >= 1e-6 [1/normalised time] (default 0.05). */
  public double epsilon() {
    return epsilon;
  }

  /** c of the soft clamp on the log-scales, in [1e-3, 20] (default 2.0). */
  public double clamp() {
    return clamp;
  }

  /** Total iterations of a {@link Trainer#fit} run, >= 1 (default 2000). */
  public long iterations() {
    return iterations;
  }

  /** Peak Adam step size, in (0, 1] (default 3e-3). */
  public double learningRate() {
    return learningRate;
  }

  /** Iterations of the linear learning-rate warm-up, >= 0 (default 50). */
  public long warmupIterations() {
    return warmupIterations;
  }

  /** Learning rate at the last iteration as a fraction of the peak, in [0, 1] (default 0.05). */
  public double finalLearningRateFraction() {
    return finalLearningRateFraction;
  }

  /** Global gradient-norm clip (normalised loss units); 0 = off (default 1.0). */
  public double gradientClip() {
    return gradientClip;
  }

  /**
   * Shooting-window lengths in samples, each >= 2, increasing; empty (default) = whole demos only.
   */
  public int[] windows() {
    return windows.clone();
  }

  /**
   * Share of the iterations spent on shooting windows, in [0, 1) (default 0: measured to hurt,
   * TRAINING.md).
   */
  public double windowFraction() {
    return windowFraction;
  }

  /** Independent initialisations trained in parallel, best kept, 1..64 (default 2). */
  public int starts() {
    return starts;
  }

  /** Which times the demo samples are fitted at (default {@link Timing#PROGRESS}, shape first). */
  public Timing timing() {
    return timing;
  }

  /**
   * Re-alignment period [iterations]: from {@link #realignFrom()} of the run on, every this many
   * iterations each training demo is re-timed to the model's own progress (the times at which the
   * current model's rollout from the demo's start passes closest to its samples, in order;
   * TRAINING.md "Alignment"), so that the loss compares paths rather than a guessed timing; 0 =
   * never (default 100).
   */
  public long realignEvery() {
    return realignEvery;
  }

  /** Share of the iterations before the first re-alignment, in [0, 1) (default 0.25). */
  public double realignFrom() {
    return realignFrom;
  }

  /** The first iteration that re-aligns, or -1 when re-alignment is off. */
  public long realignStart() {
    return realignEvery == 0 ? -1 : Math.round(realignFrom * iterations);
  }

  /** Whether iteration i (0-based) re-aligns the demos before its step. */
  public boolean realignsAt(long i) {
    long first = realignStart();
    return first >= 0 && i >= first && (i - first) % realignEvery == 0;
  }

  /**
   * Scale of the first hidden layer's initial weights and biases, > 0: how sharp the coupling nets'
   * initial features are over the normalised state (FlowEngine.initialParameters); NaN (default) =
   * auto from how close together the training demos start (BaseInit.featureScale: 8 for demos
   * starting within a few per cent of the extent of each other, down to 1 for demos far apart).
   */
  public double featureScale() {
    return featureScale;
  }

  /**
   * Samples per training demo that the loss compares, >= 2 (default 50): each demo is interpolated
   * at this many uniform times (a demo with fewer samples keeps its own). Half of the data side's
   * default grid of 100 fits as well on the handwriting benchmark and iterates ~1.6 times faster
   * (TRAINING.md).
   */
  public int fitPoints() {
    return fitPoints;
  }

  /**
   * Seeds the initial parameters and permutations; start i uses {@link #startSeed(int)} (default
   * 1).
   */
  public long seed() {
    return seed;
  }

  /**
   * Initial decay rate p^2 + epsilon of every mode [1/normalised time], > 0; NaN (default) = auto:
   * {@link #AUTO_DECAY_TIME_CONSTANTS} / (median training-demo duration), i.e. e^-6 of the distance
   * to the goal left at a demo's end.
   */
  public double initDecay() {
    return initDecay;
  }

  /**
   * Whether each training demo's blend with its nearest-start neighbour is fitted too
   * (NeighbourBlends; TRAINING.md step 1).
   */
  public boolean neighbourBlends() {
    return neighbourBlends;
  }

  /**
   * How the exported start is chosen among {@link #starts()}: true (default) by the path error of
   * rollouts from between the training starts against the training demos' pairwise blends there
   * (never fitted: a validation score for interpolation), false by the lowest training loss. Why:
   * the training loss picked the start that imitates held-out demos better in only 13 of 24 runs
   * (trainer/BENCHMARK.md, Which start to export). Falls back to the loss when no pair of demos can
   * be blended (fewer than two demos, or paths too unlike).
   */
  public boolean blendChoice() {
    return blendChoice;
  }

  /**
   * The highest initial mode frequency [rad per normalised time]; its sign is the initial sense of
   * rotation; NaN (default) = auto: from the demos (the mean angle they sweep around the goal in
   * each mode's plane, per median duration), so the base turns the way the demos do.
   */
  public double initOmega() {
    return initOmega;
  }

  /**
   * The funnel of a base without augmentation (a = 0, d >= 2: planar, Cartesian, a pose), >= 1, or
   * 0 for none (the default). With a funnel the base's d modes are real, all but the first starting
   * this many times faster than the first ({@link #initDecay}; d = 3 and the pose's d = 6 since 7
   * Dec 2026, before d = 2 only): base paths from nearby starts close up onto one path long before
   * they reach the goal, so an offset of a start from the demonstrated ones fades along the way
   * instead of being carried to the end (TRAINING.md, step 3). Both rates are then learnt. 0: one
   * oscillatory mode, turning from the start with {@link #initOmega}. Augmented models (a > 0) and
   * d = 1 keep their oscillatory modes. Not the default: away from the demonstrated region the
   * funnel's field can take long detours (the sample bag: rollouts from starts on the far side of
   * the goal out to 10.7 m before they return; trainer/BENCHMARK.md, The funnel base).
   */
  public double funnel() {
    return funnel;
  }

  /**
   * Weight of the far-field term, 0 for none. With it, every iteration also rolls out from a few of
   * 25 starts on a grid over the training demos' bounding box grown by a quarter of its largest
   * side (d = 1 to 3, not for poses), and penalises each rollout point's distance from the goal
   * beyond {@link #FAR_FIELD_REACH} times the larger of its start's and the extent (the farthest
   * demo sample's): a hinge, so a field that does not stray there costs nothing. Why: nothing else
   * constrains the flow away from the demos (eval.FitCheck.FarField measures it; TRAINING.md, step
   * 12).
   */
  public double farField() {
    return farField;
  }

  /**
   * The default far-field weight. Measured on the handwriting benchmark (BENCHMARK.md, <i>The far
   * field</i>): rollouts from around the demos that went out to 8.9 times their start's distance
   * stay within 1.8 times with it (three seeds); held-out DTW lower in 29 of 87 (shape, seed) runs
   * by more than 2 %, higher in 17; training about a quarter longer.
   */
  public static final double DEFAULT_FAR_FIELD = 10.0;

  /**
   * The far-field speed cap, 0 for none (needs {@link #farField} > 0): the far-field rollouts are
   * also penalised (same weight) where their speed exceeds this many times the fitted demos' peak
   * speed (secant speed over 1 % of the longest fitted demo, at the start and over the first
   * quarter of the far-field horizon). Why: the far-field term bounds how far a far start goes, not
   * how fast; a base whose second mode is fast (the funnel) raced far starts in at 20-100 times the
   * demos' peak speed (trainer/BENCHMARK.md, The far field).
   */
  public double farSpeed() {
    return farSpeed;
  }

  /** The far-field term's reach: rollouts may get this many times their start's distance out. */
  public static final double FAR_FIELD_REACH = 1.25;

  /**
   * The default far-field speed cap (0: off): 2 since 7 Dec 2026. With the funnel preference of
   * {@code diffeo train} it took the fits whose far field is wild (farther than 1.5 times the
   * start, or faster than 20 times the demos' peak) from 6 / 9 / 4 to 2 / 3 / 2 of 29 (three
   * seeds), the funnel kept on 12 / 18 / 16 instead of 8 / 9 / 13, and the median held-out DTW from
   * 0.800 / 0.793 / 0.803 to 0.787 / 0.770 / 0.752 mm (trainer/BENCHMARK.md, A speed cap by
   * default).
   */
  public static final double DEFAULT_FAR_SPEED = 2.0;

  /** The funnel measured best on the handwriting benchmark: the fast mode starts 8x faster. */
  public static final double MEASURED_FUNNEL = 8.0;

  /**
   * Whether {@link #funnel} shapes the base of a model with this state and augmentation: a state of
   * d >= 2 without augmentation (a = 0; a pose has d = 6) has the d real modes; augmented models
   * keep their oscillatory modes whatever the option says. Until 7 Dec 2026 d = 2 only; on the pose
   * benchmark {@code --funnel prefer} took the positions' median ratio from 0.925 to 0.792 and the
   * runs won from 12 to 15 of 20 (trainer/BENCHMARK.md, The funnel in 3-D and for poses).
   */
  public static boolean funnelApplies(int stateDim, int augmentDim) {
    return stateDim >= 2 && augmentDim == 0;
  }

  /**
   * The largest {@link TrainingSet#startSpacing} (mean nearest-neighbour start distance over the
   * extent) at which {@code --funnel prefer} tries the funnel: 0.15.
   */
  public static final double FUNNEL_MAX_START_SPACING = 0.15;

  /**
   * Whether the training starts lie close enough together for the funnel ({@code --funnel prefer}
   * trains it beside the oscillatory base only then): spacing at most {@value
   * #FUNNEL_MAX_START_SPACING}, or undefined (one demo). Why: the funnel's premise is that demos
   * from nearby starts join one path, so that a start's offset from them may fade; between demos
   * that start far apart and stay apart it pulls a start in between onto one of their paths. On the
   * sample bag (spacing 0.35), with the speed cap, the funnel fits kept followed the held-out demo
   * to 10.6-14.3 mm, the oscillatory fits to 4.65-5.79 mm (reference 78.6 mm); the handwriting
   * shapes lie at 0.013-0.062 (trainer/BENCHMARK.md, A speed cap by default).
   */
  public static boolean funnelSuitsStarts(double startSpacing) {
    return !(startSpacing > FUNNEL_MAX_START_SPACING);
  }

  /**
   * The share of the iterations that {@code --augment auto}'s second stage, the a = 1 fit after a
   * loose a = 0 one, trains: half since 7 Dec 2026 (3/4 that morning, all before). That stage runs
   * after both a = 0 bases, so it decides whether a loop stays within the 30 s budget. Measured on
   * the 14 benchmark runs that keep it (trainer/BENCHMARK.md, A shorter lift stage): against 3/4,
   * held-out DTW within +-11 % on 12 (geometric mean 0.999), and on {@code v_script}, whose a = 1
   * fit follows its training demos more closely and the held-out ones less the longer it trains,
   * 2.93 / 2.43 -> 2.19 / 1.24 mm (seeds 2, 3; the reference 2.51): early stopping of a model that
   * may cross its own paths.
   */
  public static final double LIFT_ITERATIONS = 0.5;

  /** {@link #LIFT_ITERATIONS} of {@code iterations}, at least 1. */
  public static long liftIterations(long iterations) {
    return liftIterations(iterations, LIFT_ITERATIONS);
  }

  /**
   * {@code share} of {@code iterations}, at least 1 (the benchmark's ablation of {@link
   * #LIFT_ITERATIONS}).
   *
   * @throws IllegalArgumentException if share is not in (0, 1]
   */
  public static long liftIterations(long iterations, double share) {
    if (!(share > 0 && share <= 1)) {
      throw new IllegalArgumentException("lift share must be in (0, 1], got " + share);
    }
    return Math.max(1, Math.round(share * iterations));
  }

  /** Held-out MSE every N iterations; 0 = only at the end (default 50). */
  public long validationEvery() {
    return validationEvery;
  }

  /** Progress report every N iterations >= 1 (default 10). */
  public long progressEvery() {
    return progressEvery;
  }

  /** Checkpoint every N iterations; 0 = never (default 0). */
  public long checkpointEvery() {
    return checkpointEvery;
  }

  /** Where checkpoints go; required when checkpointEvery > 0. */
  public Path checkpointPath() {
    return checkpointPath;
  }

  public TrainOptions withBlocks(int v) {
    return toBuilder().blocks(v).build();
  }

  public TrainOptions withWidth(int v) {
    return toBuilder().width(v).build();
  }

  public TrainOptions withHiddenLayers(int v) {
    return toBuilder().hiddenLayers(v).build();
  }

  public TrainOptions withEpsilon(double v) {
    return toBuilder().epsilon(v).build();
  }

  public TrainOptions withClamp(double v) {
    return toBuilder().clamp(v).build();
  }

  public TrainOptions withIterations(long v) {
    return toBuilder().iterations(v).build();
  }

  public TrainOptions withLearningRate(double v) {
    return toBuilder().learningRate(v).build();
  }

  public TrainOptions withSeed(long v) {
    return toBuilder().seed(v).build();
  }

  public TrainOptions withStarts(int v) {
    return toBuilder().starts(v).build();
  }

  public TrainOptions withRealign(long every, double from) {
    return toBuilder().realign(every, from).build();
  }

  public TrainOptions withTiming(Timing v) {
    return toBuilder().timing(v).build();
  }

  public TrainOptions withValidationEvery(long v) {
    return toBuilder().validationEvery(v).build();
  }

  public TrainOptions withProgressEvery(long v) {
    return toBuilder().progressEvery(v).build();
  }

  public TrainOptions withCheckpoints(long every, Path path) {
    return toBuilder().checkpoints(every, path).build();
  }

  public TrainOptions withInitDecay(double v) {
    return toBuilder().initDecay(v).build();
  }

  public TrainOptions withInitOmega(double v) {
    return toBuilder().initOmega(v).build();
  }

  /**
   * The seed of start i: seed itself for start 0, then seed + i * 0x9E3779B97F4A7C15 (the
   * golden-ratio increment), so that the starts of neighbouring seeds never coincide (with seed +
   * i, seeds 2 and 3 would share a start and "three seeds" would not be three).
   */
  public long startSeed(int i) {
    return seed + i * 0x9E3779B97F4A7C15L;
  }

  /**
   * The learning rate at iteration i (0-based) of a run of {@link #iterations()}: warm-up, then
   * cosine.
   */
  public double learningRateAt(long i) {
    if (i < warmupIterations) {
      return learningRate * (i + 1) / (warmupIterations + 1);
    }
    long span = Math.max(1, iterations - warmupIterations);
    double progress = Math.min(1.0, (double) (i - warmupIterations) / span);
    double floor = finalLearningRateFraction;
    return learningRate * (floor + (1 - floor) * 0.5 * (1 + Math.cos(Math.PI * progress)));
  }

  /**
   * The shooting-window length in samples at iteration i (0-based), or 0 for whole demos:
   * windows[j] for the j-th equal share of the first windowFraction of the iterations.
   */
  public int windowAt(long i) {
    long local = Math.round(windowFraction * iterations);
    if (windows.length == 0 || i >= local) {
      return 0;
    }
    int j = (int) Math.min(windows.length - 1, i * windows.length / Math.max(1, local));
    return windows[j];
  }

  /** The options that determine the numbers a run produces (not its length or reporting). */
  String fingerprint(double decay, double omega) {
    return String.format(
        Locale.ROOT,
        "blocks=%d width=%d hidden=%d eps=%s clamp=%s lr=%s warmup=%d lrFinal=%s "
            + "clip=%s windows=%s windowFraction=%s timing=%s realign=%d/%s featureScale=%s fitPoints=%d iterations=%d seed=%d "
            + "initDecay=%s initOmega=%s%s%s%s%s%s",
        blocks,
        width,
        hiddenLayers,
        epsilon,
        clamp,
        learningRate,
        warmupIterations,
        finalLearningRateFraction,
        gradientClip,
        Arrays.toString(windows),
        windowFraction,
        timing.name().toLowerCase(Locale.ROOT),
        realignEvery,
        realignFrom,
        featureScale,
        fitPoints,
        iterations,
        seed,
        decay,
        omega,
        neighbourBlends ? " blends" : "",
        blendChoice ? "" : " choice=loss",
        funnel > 0 ? " funnel=" + funnel : "",
        farField > 0 ? " farField=" + farField : "",
        farSpeed > 0 ? " farSpeed=" + farSpeed : "");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TrainOptions t
        && toString().equals(t.toString())
        && validationEvery == t.validationEvery
        && progressEvery == t.progressEvery
        && checkpointEvery == t.checkpointEvery
        && java.util.Objects.equals(checkpointPath, t.checkpointPath);
  }

  @Override
  public int hashCode() {
    return toString().hashCode();
  }

  @Override
  public String toString() {
    return "TrainOptions{" + fingerprint(initDecay, initOmega) + " starts=" + starts + "}";
  }

  /** Mutable builder with the defaults; {@link #build()} validates. */
  public static final class Builder {
    private int blocks = 6;
    private int width = 64;
    private int hiddenLayers = 1;
    private double epsilon = 0.05;
    private double clamp = 2.0;
    private long iterations = 2000;
    private double learningRate = 3e-3;
    private long warmupIterations = 50;
    private double finalLearningRateFraction = 0.05;
    private double gradientClip = 1.0;
    private int[] windows = {};
    private double windowFraction = 0.0;
    private int starts = 2;
    private Timing timing = Timing.PROGRESS;
    private long realignEvery = 100;
    private double realignFrom = 0.25;
    private double featureScale = Double.NaN;
    private int fitPoints = 50;
    private long seed = 1;
    private double initDecay = Double.NaN;
    private boolean neighbourBlends = true;
    private boolean blendChoice = true;
    private double initOmega = Double.NaN;
    private double funnel = 0.0;
    private double farField = DEFAULT_FAR_FIELD;
    private double farSpeed = DEFAULT_FAR_SPEED;
    private long validationEvery = 50;
    private long progressEvery = 10;
    private long checkpointEvery = 0;
    private Path checkpointPath;

    public Builder() {}

    Builder(TrainOptions o) {
      blocks = o.blocks;
      width = o.width;
      hiddenLayers = o.hiddenLayers;
      epsilon = o.epsilon;
      clamp = o.clamp;
      iterations = o.iterations;
      learningRate = o.learningRate;
      warmupIterations = o.warmupIterations;
      finalLearningRateFraction = o.finalLearningRateFraction;
      gradientClip = o.gradientClip;
      windows = o.windows.clone();
      windowFraction = o.windowFraction;
      starts = o.starts;
      timing = o.timing;
      realignEvery = o.realignEvery;
      realignFrom = o.realignFrom;
      featureScale = o.featureScale;
      fitPoints = o.fitPoints;
      seed = o.seed;
      initDecay = o.initDecay;
      neighbourBlends = o.neighbourBlends;
      blendChoice = o.blendChoice;
      initOmega = o.initOmega;
      funnel = o.funnel;
      farField = o.farField;
      farSpeed = o.farSpeed;
      validationEvery = o.validationEvery;
      progressEvery = o.progressEvery;
      checkpointEvery = o.checkpointEvery;
      checkpointPath = o.checkpointPath;
    }

    public Builder blocks(int v) {
      blocks = v;
      return this;
    }

    public Builder width(int v) {
      width = v;
      return this;
    }

    public Builder hiddenLayers(int v) {
      hiddenLayers = v;
      return this;
    }

    public Builder epsilon(double v) {
      epsilon = v;
      return this;
    }

    public Builder clamp(double v) {
      clamp = v;
      return this;
    }

    public Builder iterations(long v) {
      iterations = v;
      return this;
    }

    public Builder learningRate(double v) {
      learningRate = v;
      return this;
    }

    public Builder warmupIterations(long v) {
      warmupIterations = v;
      return this;
    }

    public Builder finalLearningRateFraction(double v) {
      finalLearningRateFraction = v;
      return this;
    }

    public Builder gradientClip(double v) {
      gradientClip = v;
      return this;
    }

    /** Shooting-window lengths in samples (copied). */
    public Builder windows(int... v) {
      windows = v.clone();
      return this;
    }

    public Builder windowFraction(double v) {
      windowFraction = v;
      return this;
    }

    public Builder starts(int v) {
      starts = v;
      return this;
    }

    public Builder timing(Timing v) {
      timing = java.util.Objects.requireNonNull(v, "timing");
      return this;
    }

    /** Re-align every {@code every} iterations (0 = never) from the share {@code from} on. */
    public Builder realign(long every, double from) {
      realignEvery = every;
      realignFrom = from;
      return this;
    }

    public Builder featureScale(double v) {
      featureScale = v;
      return this;
    }

    public Builder fitPoints(int v) {
      fitPoints = v;
      return this;
    }

    public Builder seed(long v) {
      seed = v;
      return this;
    }

    public Builder initDecay(double v) {
      initDecay = v;
      return this;
    }

    /** See {@link TrainOptions#blendChoice}. */
    public Builder blendChoice(boolean v) {
      blendChoice = v;
      return this;
    }

    public Builder neighbourBlends(boolean v) {
      neighbourBlends = v;
      return this;
    }

    public Builder initOmega(double v) {
      initOmega = v;
      return this;
    }

    /** See {@link TrainOptions#funnel}: 0 (none) or in [1, 100]. */
    public Builder funnel(double v) {
      funnel = v;
      return this;
    }

    /** See {@link TrainOptions#farSpeed}: 0 (none) or a factor in [1, 1000]. */
    public Builder farSpeed(double v) {
      farSpeed = v;
      return this;
    }

    /** See {@link TrainOptions#farField}: 0 (none) or a weight in (0, 1000]. */
    public Builder farField(double v) {
      farField = v;
      return this;
    }

    public Builder validationEvery(long v) {
      validationEvery = v;
      return this;
    }

    public Builder progressEvery(long v) {
      progressEvery = v;
      return this;
    }

    public Builder checkpoints(long every, Path path) {
      checkpointEvery = every;
      checkpointPath = path;
      return this;
    }

    /**
     * @throws IllegalArgumentException naming the first invalid field and its value
     */
    public TrainOptions build() {
      check(blocks >= 0 && blocks <= 64, "blocks", blocks, "0..64");
      check(width >= 1 && width <= 4096, "width", width, "1..4096");
      check(hiddenLayers >= 0 && hiddenLayers <= 8, "hiddenLayers", hiddenLayers, "0..8");
      // The model reader's bounds: a model this trainer exports must load.
      check(
          epsilon >= MotionModel.MIN_EPSILON && Double.isFinite(epsilon),
          "epsilon",
          epsilon,
          ">= " + MotionModel.MIN_EPSILON);
      check(
          clamp >= MotionModel.MIN_CLAMP && clamp <= MotionModel.MAX_CLAMP,
          "clamp",
          clamp,
          MotionModel.MIN_CLAMP + ".." + MotionModel.MAX_CLAMP);
      check(iterations >= 1 && iterations <= 10_000_000, "iterations", iterations, "1..10000000");
      check(
          learningRate > 0 && learningRate <= 1,
          "learningRate",
          learningRate,
          "(0, 1]; Adam steps above ~0.01 rarely train a flow");
      check(warmupIterations >= 0, "warmupIterations", warmupIterations, ">= 0");
      check(
          finalLearningRateFraction >= 0 && finalLearningRateFraction <= 1,
          "finalLearningRateFraction",
          finalLearningRateFraction,
          "[0, 1]");
      check(
          gradientClip >= 0 && Double.isFinite(gradientClip),
          "gradientClip",
          gradientClip,
          ">= 0 (0 = off)");
      for (int i = 0; i < windows.length; i++) {
        check(
            windows[i] >= 2 && (i == 0 || windows[i] > windows[i - 1]),
            "windows",
            Arrays.toString(windows),
            "increasing lengths >= 2 samples");
      }
      check(windowFraction >= 0 && windowFraction < 1, "windowFraction", windowFraction, "[0, 1)");
      check(starts >= 1 && starts <= 64, "starts", starts, "1..64");
      check(
          realignEvery >= 0 && realignEvery <= 10_000_000,
          "realignEvery",
          realignEvery,
          "0..10000000 iterations (0 = never)");
      check(realignFrom >= 0 && realignFrom < 1, "realignFrom", realignFrom, "[0, 1)");
      check(fitPoints >= 2 && fitPoints <= 100_000, "fitPoints", fitPoints, "2..100000");
      check(
          Double.isNaN(featureScale) || featureScale > 0 && featureScale <= 100,
          "featureScale",
          featureScale,
          "(0, 100], or NaN for auto");
      check(
          Double.isNaN(initDecay) || initDecay > 0 && Double.isFinite(initDecay),
          "initDecay",
          initDecay,
          "> 0, or NaN for auto");
      check(
          Double.isNaN(initOmega) || Double.isFinite(initOmega),
          "initOmega",
          initOmega,
          "finite, or NaN for auto");
      check(
          funnel == 0 || funnel >= 1 && funnel <= 100,
          "funnel",
          funnel,
          "0 (one oscillatory mode) or 1..100 (two real modes, the second this many times faster)");
      check(
          farField >= 0 && farField <= 1000,
          "farField",
          farField,
          "0 (off) or a weight in (0, 1000]");
      check(
          farSpeed == 0 || farSpeed >= 1 && farSpeed <= 1000,
          "farSpeed",
          farSpeed,
          "0 (off) or a factor of the demos' peak speed in [1, 1000]");
      check(validationEvery >= 0, "validationEvery", validationEvery, ">= 0");
      check(progressEvery >= 1, "progressEvery", progressEvery, ">= 1");
      check(checkpointEvery >= 0, "checkpointEvery", checkpointEvery, ">= 0");
      check(
          checkpointEvery == 0 || checkpointPath != null,
          "checkpointPath",
          checkpointPath,
          "a file when checkpointEvery > 0");
      return new TrainOptions(this);
    }

    private static void check(boolean ok, String field, Object value, String allowed) {
      if (!ok) {
        throw new IllegalArgumentException(
            "TrainOptions." + field + ": invalid value " + value + " (allowed: " + allowed + ")");
      }
    }
  }
}
