package org.diffeomotion.trainer.data;

/**
 * Options of the {@link Preprocessor}. Immutable; start from {@link #defaults()} and use the {@code
 * with*} methods.
 *
 * @param gridSize points per demonstration after resampling (≥ 2)
 * @param validationFraction fraction of the demonstrations held out for validation, in [0, 1);
 *     rounded to a whole number of demos, at least one when &gt; 0 and there are ≥ 2 demos, and
 *     always leaving one for training
 * @param splitSeed seed of the deterministic train/validation shuffle
 * @param maxGoalSpread largest allowed distance of a demo's end point from the goal, in the state's
 *     units (Euclidean over all dimensions); NaN means {@code relativeGoalSpread} times the
 *     motion's extent
 * @param relativeGoalSpread used when {@code maxGoalSpread} is NaN: the limit as a fraction of the
 *     extent (the largest distance of any sample from the goal)
 * @param timeScaleDivisor τ = median demo duration / this; with 5 the base motion {@code exp(−s)}
 *     has decayed to e⁻⁵ ≈ 0.7 % at the end of a typical demo (&gt; 0)
 * @param minScaleFraction a dimension's σ is raised to at least this fraction of the largest σ (in
 *     [0, 1]), so that a dimension that barely moves (or not at all: planar data with a constant z)
 *     does not divide by ~0 and blow up its noise
 * @param sharedScale whether dimensions of the same unit share one σ (the largest of theirs), so
 *     the fit's loss weighs a millimetre along every axis alike, as the held-out DTW and a robot's
 *     tracking error do (true, the default since 7 Dec 2026, evening); false: each dimension its
 *     own σ, so every z spans [−1, 1], and a dimension that moves little (a nearly straight
 *     stroke's sideways wobble, the height of a table-top motion) is magnified to the size of the
 *     motion (trainer/DATA.md, Preprocessing step 3)
 * @param rotationWeight full poses only ({@link DemonstrationSet#isPose()}): the weight of the
 *     rotation vector's normalised error against the position's in the fit's loss, in (0, 1e4]; the
 *     rotation's σ is divided by its square root, so with the default {@link
 *     #DEFAULT_ROTATION_WEIGHT} the demos' largest rotation from the goal spans 1/2 in normalised
 *     units and the largest position offset 1. Why not 1: the fit then traded the positions for the
 *     orientation (which still beat the reference by half), trainer/BENCHMARK.md, The rotation
 *     weight. Ignored for other sets
 */
public record PreprocessOptions(
    int gridSize,
    double validationFraction,
    long splitSeed,
    double maxGoalSpread,
    double relativeGoalSpread,
    double timeScaleDivisor,
    double minScaleFraction,
    boolean sharedScale,
    double rotationWeight) {

  /**
   * Default {@link #rotationWeight()}, 1/4: measured on the pose benchmark and the sample pose bag
   * (trainer/BENCHMARK.md, The rotation weight).
   */
  public static final double DEFAULT_ROTATION_WEIGHT = 0.25;

  /** Largest {@link #rotationWeight()}. */
  public static final double MAX_ROTATION_WEIGHT = 1e4;

  /**
   * Most points per demo after resampling: every point is a rollout point of every iteration, and
   * 100 000 per demo is already far beyond what training needs (the fit uses 50).
   */
  public static final int MAX_GRID = 100_000;

  public PreprocessOptions {
    if (gridSize < 2 || gridSize > MAX_GRID) {
      throw new IllegalArgumentException(
          "gridSize must be 2.." + MAX_GRID + " points per demo, got " + gridSize);
    }
    if (!(validationFraction >= 0 && validationFraction < 1)) {
      throw new IllegalArgumentException(
          "validationFraction must be in [0, 1), got " + validationFraction);
    }
    if (!Double.isNaN(maxGoalSpread) && !(maxGoalSpread >= 0 && maxGoalSpread < 1e300)) {
      throw new IllegalArgumentException(
          "maxGoalSpread must be NaN (relative) or finite >= 0, got " + maxGoalSpread);
    }
    if (!(relativeGoalSpread >= 0) || !Double.isFinite(relativeGoalSpread)) {
      throw new IllegalArgumentException(
          "relativeGoalSpread must be finite and >= 0, got " + relativeGoalSpread);
    }
    if (!(timeScaleDivisor > 0) || !Double.isFinite(timeScaleDivisor)) {
      throw new IllegalArgumentException(
          "timeScaleDivisor must be finite and > 0, got " + timeScaleDivisor);
    }
    if (!(minScaleFraction >= 0 && minScaleFraction <= 1)) {
      throw new IllegalArgumentException(
          "minScaleFraction must be in [0, 1], got " + minScaleFraction);
    }
    if (!(rotationWeight > 0 && rotationWeight <= MAX_ROTATION_WEIGHT)) {
      throw new IllegalArgumentException(
          "rotationWeight must be in (0, " + MAX_ROTATION_WEIGHT + "], got " + rotationWeight);
    }
  }

  /**
   * 100 points per demo, no validation split (seed 0), goal spread ≤ 5 % of the extent, τ = median
   * duration / 5, one σ per unit (≥ 10⁻³ of the largest σ), rotation weight 1/4 (poses).
   */
  public static PreprocessOptions defaults() {
    return new PreprocessOptions(
        100, 0.0, 0L, Double.NaN, 0.05, 5.0, 1e-3, true, DEFAULT_ROTATION_WEIGHT);
  }

  public PreprocessOptions withGridSize(int n) {
    return edit(f -> f.gridSize = n);
  }

  /**
   * @param fraction validation fraction in [0, 1); @param seed shuffle seed
   */
  public PreprocessOptions withValidation(double fraction, long seed) {
    return edit(
        f -> {
          f.validationFraction = fraction;
          f.splitSeed = seed;
        });
  }

  /**
   * @param spread absolute limit in state units, or NaN for the relative limit
   */
  public PreprocessOptions withMaxGoalSpread(double spread) {
    return edit(f -> f.maxGoalSpread = spread);
  }

  public PreprocessOptions withRelativeGoalSpread(double fraction) {
    return edit(f -> f.relativeGoalSpread = fraction);
  }

  public PreprocessOptions withTimeScaleDivisor(double divisor) {
    return edit(f -> f.timeScaleDivisor = divisor);
  }

  public PreprocessOptions withMinScaleFraction(double fraction) {
    return edit(f -> f.minScaleFraction = fraction);
  }

  /**
   * @param shared true: one σ per unit (the default); false: one per dimension
   */
  public PreprocessOptions withSharedScale(boolean shared) {
    return edit(f -> f.sharedScale = shared);
  }

  /**
   * @param weight the rotation's loss weight against the position's, in (0, 1e4] (poses only)
   */
  public PreprocessOptions withRotationWeight(double weight) {
    return edit(f -> f.rotationWeight = weight);
  }

  /** A copy with the fields {@code change} sets (validated by the constructor). */
  private PreprocessOptions edit(java.util.function.Consumer<Fields> change) {
    Fields f = new Fields(this);
    change.accept(f);
    return new PreprocessOptions(
        f.gridSize,
        f.validationFraction,
        f.splitSeed,
        f.maxGoalSpread,
        f.relativeGoalSpread,
        f.timeScaleDivisor,
        f.minScaleFraction,
        f.sharedScale,
        f.rotationWeight);
  }

  /** The fields, mutable, for {@link #edit}. */
  private static final class Fields {
    int gridSize;
    double validationFraction;
    long splitSeed;
    double maxGoalSpread;
    double relativeGoalSpread;
    double timeScaleDivisor;
    double minScaleFraction;
    boolean sharedScale;
    double rotationWeight;

    Fields(PreprocessOptions o) {
      gridSize = o.gridSize;
      validationFraction = o.validationFraction;
      splitSeed = o.splitSeed;
      maxGoalSpread = o.maxGoalSpread;
      relativeGoalSpread = o.relativeGoalSpread;
      timeScaleDivisor = o.timeScaleDivisor;
      minScaleFraction = o.minScaleFraction;
      sharedScale = o.sharedScale;
      rotationWeight = o.rotationWeight;
    }
  }
}
