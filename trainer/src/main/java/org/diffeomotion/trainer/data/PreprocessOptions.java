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
 */
public record PreprocessOptions(
    int gridSize,
    double validationFraction,
    long splitSeed,
    double maxGoalSpread,
    double relativeGoalSpread,
    double timeScaleDivisor,
    double minScaleFraction,
    boolean sharedScale) {

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
  }

  /**
   * 100 points per demo, no validation split (seed 0), goal spread ≤ 5 % of the extent, τ = median
   * duration / 5, one σ per unit (≥ 10⁻³ of the largest σ).
   */
  public static PreprocessOptions defaults() {
    return new PreprocessOptions(100, 0.0, 0L, Double.NaN, 0.05, 5.0, 1e-3, true);
  }

  public PreprocessOptions withGridSize(int n) {
    return new PreprocessOptions(
        n,
        validationFraction,
        splitSeed,
        maxGoalSpread,
        relativeGoalSpread,
        timeScaleDivisor,
        minScaleFraction,
        sharedScale);
  }

  /**
   * @param fraction validation fraction in [0, 1); @param seed shuffle seed
   */
  public PreprocessOptions withValidation(double fraction, long seed) {
    return new PreprocessOptions(
        gridSize,
        fraction,
        seed,
        maxGoalSpread,
        relativeGoalSpread,
        timeScaleDivisor,
        minScaleFraction,
        sharedScale);
  }

  /**
   * @param spread absolute limit in state units, or NaN for the relative limit
   */
  public PreprocessOptions withMaxGoalSpread(double spread) {
    return new PreprocessOptions(
        gridSize,
        validationFraction,
        splitSeed,
        spread,
        relativeGoalSpread,
        timeScaleDivisor,
        minScaleFraction,
        sharedScale);
  }

  public PreprocessOptions withRelativeGoalSpread(double fraction) {
    return new PreprocessOptions(
        gridSize,
        validationFraction,
        splitSeed,
        maxGoalSpread,
        fraction,
        timeScaleDivisor,
        minScaleFraction,
        sharedScale);
  }

  public PreprocessOptions withTimeScaleDivisor(double divisor) {
    return new PreprocessOptions(
        gridSize,
        validationFraction,
        splitSeed,
        maxGoalSpread,
        relativeGoalSpread,
        divisor,
        minScaleFraction,
        sharedScale);
  }

  public PreprocessOptions withMinScaleFraction(double fraction) {
    return new PreprocessOptions(
        gridSize,
        validationFraction,
        splitSeed,
        maxGoalSpread,
        relativeGoalSpread,
        timeScaleDivisor,
        fraction,
        sharedScale);
  }

  /**
   * @param shared true: one σ per unit (the default); false: one per dimension
   */
  public PreprocessOptions withSharedScale(boolean shared) {
    return new PreprocessOptions(
        gridSize,
        validationFraction,
        splitSeed,
        maxGoalSpread,
        relativeGoalSpread,
        timeScaleDivisor,
        minScaleFraction,
        shared);
  }
}
