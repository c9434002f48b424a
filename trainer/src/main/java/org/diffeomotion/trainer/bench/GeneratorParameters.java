package org.diffeomotion.trainer.bench;

/**
 * Every knob of the demonstration generator, with the values the benchmark uses ({@link
 * #DEFAULTS}); trainer/BENCHMARK.md explains each and how the defaults were matched to the
 * statistics of real handwriting demonstrations. Lengths in [mm], times in [s].
 *
 * <p>Per shape the generator draws, from the shape's seed: a start speed, a start spread, a mean
 * path speed (hence the shape's duration) and a duration spread. Per demonstration it draws a
 * corner radius, a spatial deformation and a variation of the time law.
 *
 * @param demos demonstrations per shape.
 * @param samples samples per demonstration, uniform in time from 0 to its duration.
 * @param size the larger side of the bounding box of a shape's (undeformed) path [mm].
 * @param chaikinIterations Chaikin corner-cutting passes on the font polygon, between corners.
 * @param cornerAngleDeg a font vertex turning by more than this is a corner: kept sharp by Chaikin
 *     and rounded only by the corner smoothing [deg].
 * @param denseSpacing arc-length spacing of the internal dense path [mm].
 * @param cornerSigma standard deviation of the Gaussian smoothing along the path, which rounds
 *     corners to a radius of about this [mm].
 * @param cornerSigmaLogSd per-demo log-normal variation of cornerSigma.
 * @param variabilityMin smallest per-shape factor on every deformation amplitude below (rotation,
 *     scale, modes), drawn log-uniform: some shapes are written more consistently than others.
 * @param variabilityMax largest such factor.
 * @param rotationSdDeg per-demo rotation about the goal, standard deviation [deg].
 * @param scaleSd per-demo scale about the goal, along a random direction and across it, standard
 *     deviation (relative).
 * @param modes smooth random displacement modes per demo (sines over the plane).
 * @param modeAmplitudeSd displacement amplitude of each mode, per component, standard deviation
 *     [mm].
 * @param modeWavelengthMin shortest wavelength of a mode [mm].
 * @param modeWavelengthMax longest wavelength of a mode [mm].
 * @param fadeRadius the modes are multiplied by {@code 1 - exp(-(r / fadeRadius)^2)}, r the
 *     distance from the goal, so that the goal does not move [mm].
 * @param startSpreadMin smallest per-shape start spread: standard deviation of a per-demo start
 *     offset, per component, relative to size (log-uniform between min and max).
 * @param startSpreadMax largest per-shape start spread (relative to size).
 * @param startFadePower the start offset is weighted by {@code (1 - s / L)^power} along the path (s
 *     arc length, L the path length): it fades to 0 at the goal.
 * @param meanSpeed typical mean speed along the path [mm/s] (the shape's duration is its path
 *     length over this, times a per-shape factor).
 * @param speedLogRange per-shape factor on meanSpeed: {@code exp(U(-range, range))}.
 * @param durationMin shortest shape duration [s] (clamp).
 * @param durationMax longest shape duration [s] (clamp).
 * @param durationCvMin smallest per-shape coefficient of variation of the demo durations.
 * @param durationCvMax largest (uniform between min and max).
 * @param startSpeedMin smallest per-shape start speed b of the {@link TimeLaw}.
 * @param startSpeedMax largest; b = min + (max - min) U^startSpeedSkew (most shapes start almost at
 *     rest, a few from a running start).
 * @param startSpeedSkew exponent of that draw (> 1: skewed to min).
 * @param riseTime {@link TimeLaw#riseTime()}.
 * @param riseShape {@link TimeLaw#riseShape()}.
 * @param fallTime {@link TimeLaw#fallTime()}.
 * @param fallShape {@link TimeLaw#fallShape()}.
 * @param timeLawLogSd per-demo log-normal variation of riseTime, fallTime and b.
 * @param speedModulation per-demo slow modulation of the speed along the path: the speed is
 *     multiplied by {@code exp(a1 sin(w1 s + p1) + a2 sin(w2 s + p2))}, a_i normal with this
 *     standard deviation.
 * @param speedModulationCycles the w_i are between 0.5 and this many cycles per path length.
 * @param curvatureRef two-thirds power law: the speed is multiplied by {@code (1 + kappa /
 *     curvatureRef)^(-powerLaw)}, kappa the path's curvature [1/mm]: paths slow down in tight
 *     turns.
 * @param powerLaw exponent of that factor (1/3: speed ∝ curvature^(-1/3)).
 * @param curvatureWindow half-width of the window the curvature is measured over [mm].
 * @param sensorNoise standard deviation of white noise added to every sample but the last, per
 *     component [mm] (0, the default: none), after the crossing checks. Faded out over the last 5 %
 *     of the samples so that the demo still ends at rest at the goal.
 * @param minClearance a demo is redrawn when two of its samples that are at least clearanceArc
 *     apart along the path are closer than this [mm] (it touches itself), or when it crosses itself
 *     or a demo of another stroke.
 * @param clearanceArc see minClearance [mm].
 * @param maxAttempts draws per demo before the generator gives up (an error).
 */
record GeneratorParameters(
    int demos,
    int samples,
    double size,
    int chaikinIterations,
    double cornerAngleDeg,
    double denseSpacing,
    double cornerSigma,
    double cornerSigmaLogSd,
    double variabilityMin,
    double variabilityMax,
    double rotationSdDeg,
    double scaleSd,
    int modes,
    double modeAmplitudeSd,
    double modeWavelengthMin,
    double modeWavelengthMax,
    double fadeRadius,
    double startSpreadMin,
    double startSpreadMax,
    double startFadePower,
    double meanSpeed,
    double speedLogRange,
    double durationMin,
    double durationMax,
    double durationCvMin,
    double durationCvMax,
    double startSpeedMin,
    double startSpeedMax,
    double startSpeedSkew,
    double riseTime,
    double riseShape,
    double fallTime,
    double fallShape,
    double timeLawLogSd,
    double speedModulation,
    double speedModulationCycles,
    double curvatureRef,
    double powerLaw,
    double curvatureWindow,
    double sensorNoise,
    double minClearance,
    double clearanceArc,
    int maxAttempts) {

  /** The benchmark's parameters. */
  static final GeneratorParameters DEFAULTS =
      new GeneratorParameters(
          7,
          1000,
          50.0,
          3,
          55.0,
          0.1,
          1.0,
          0.25,
          0.6,
          1.6,
          1.5,
          0.03,
          3,
          1.15,
          60.0,
          150.0,
          8.0,
          0.004,
          0.03,
          4.0,
          28.0,
          0.35,
          1.3,
          8.7,
          0.03,
          0.12,
          0.01,
          0.35,
          8.0,
          0.055,
          1.9,
          0.074,
          0.9,
          0.15,
          0.25,
          2.0,
          1.0 / 15.0,
          1.0 / 3.0,
          1.0,
          0.0,
          1.0,
          10.0,
          200);

  /** A copy with another sensor noise [mm]. */
  GeneratorParameters withSensorNoise(double noise) {
    return with(noise, maxAttempts);
  }

  /** A copy with another number of draws per demo. */
  GeneratorParameters withMaxAttempts(int attempts) {
    return with(sensorNoise, attempts);
  }

  /**
   * A copy whose per-shape start spreads are {@code k} times these (the benchmark's wide-starts
   * variant: demos taught from farther apart starts, between which a held-out start must be
   * interpolated).
   */
  GeneratorParameters withStartSpreadScale(double k) {
    return with(sensorNoise, maxAttempts, startSpreadMin * k, startSpreadMax * k);
  }

  private GeneratorParameters with(double noise, int attempts) {
    return with(noise, attempts, startSpreadMin, startSpreadMax);
  }

  private GeneratorParameters with(double noise, int attempts, double spreadMin, double spreadMax) {
    return new GeneratorParameters(
        demos,
        samples,
        size,
        chaikinIterations,
        cornerAngleDeg,
        denseSpacing,
        cornerSigma,
        cornerSigmaLogSd,
        variabilityMin,
        variabilityMax,
        rotationSdDeg,
        scaleSd,
        modes,
        modeAmplitudeSd,
        modeWavelengthMin,
        modeWavelengthMax,
        fadeRadius,
        spreadMin,
        spreadMax,
        startFadePower,
        meanSpeed,
        speedLogRange,
        durationMin,
        durationMax,
        durationCvMin,
        durationCvMax,
        startSpeedMin,
        startSpeedMax,
        startSpeedSkew,
        riseTime,
        riseShape,
        fallTime,
        fallShape,
        timeLawLogSd,
        speedModulation,
        speedModulationCycles,
        curvatureRef,
        powerLaw,
        curvatureWindow,
        noise,
        minClearance,
        clearanceArc,
        attempts);
  }
}
