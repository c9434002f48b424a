package org.diffeomotion.trainer.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Random;
import org.diffeomotion.model.MotionModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns demonstrations into training data ({@link PreparedData}).
 *
 * <ol>
 *   <li>Resampling: each demo, with times relative to its first sample, is linearly interpolated at
 *       N uniform times {@code j·T/(N−1)}, j = 0..N−1, T its duration; the first and last points
 *       are the demo's own.
 *   <li>Goal: g = mean of the demos' end points; its spread (max and RMS distance of the end points
 *       from g) must be within {@link PreprocessOptions#maxGoalSpread()} (or the relative limit),
 *       otherwise the demos do not show one goal and training would be meaningless. For full-pose
 *       sets ({@link DemonstrationSet#isPose()}) the position (x, y, z [m]) and the rotation (r_x,
 *       r_y, r_z [rad]; the distance of an end's r from the mean is then its angle from the goal
 *       orientation, the mean end r being 0 to rounding as q_g is their Karcher mean) are checked
 *       apart, each against the limit in its own unit (the relative one over its own extent; for
 *       the rotation at least {@link #MIN_ROTATION_SPREAD_LIMIT}). The goal's rotation entries are
 *       set to exactly 0 (the goal orientation itself).
 *   <li>Scale: σ_k = max over all resampled points of |y_k − g_k|; with {@link
 *       PreprocessOptions#sharedScale()} (the default) the largest of these over the dimensions of
 *       the same unit, for each of them; raised to at least {@link
 *       PreprocessOptions#minScaleFraction()} · max_k σ_k. For a full pose the rotation's σ is then
 *       divided by √{@link PreprocessOptions#rotationWeight()} (default 1/4, so ×2): the loss
 *       weighs the orientation less than the position.
 *   <li>Time scale: τ = median demo duration / {@link PreprocessOptions#timeScaleDivisor()}.
 *   <li>Split: the demo indices are shuffled with {@code java.util.Random(seed)} (whose sequence is
 *       specified, so the split is the same on every JVM) and the first {@code round(fraction ·
 *       demos)} become validation.
 * </ol>
 *
 * g, σ and τ use all demos, validation included: they define the task's coordinates, not something
 * learned, and must not change with the split.
 */
public final class Preprocessor {

  private static final Logger LOG = LoggerFactory.getLogger(Preprocessor.class);

  private Preprocessor() {}

  /**
   * @param set validated demonstrations. Not modified.
   * @param options grid size, split, limits
   * @return the prepared data
   * @throws DemoDataException if the demos do not end near a common goal, or do not move
   */
  public static PreparedData prepare(DemonstrationSet set, PreprocessOptions options)
      throws DemoDataException {
    Objects.requireNonNull(set, "set");
    Objects.requireNonNull(options, "options");
    int m = set.size();
    int d = set.dimension();
    int n = options.gridSize();
    DataLocation where = DataLocation.of(set.source());

    double[][] times = new double[m][];
    double[][] states = new double[m][];
    double[] durations = new double[m];
    for (int i = 0; i < m; i++) {
      Demonstration demo = set.demo(i);
      times[i] = new double[n];
      states[i] = new double[n * d];
      resample(demo.timesView(), demo.statesView(), n, times[i], states[i]);
      durations[i] = demo.duration();
    }

    double[] goal = new double[d];
    for (int i = 0; i < m; i++) {
      for (int k = 0; k < d; k++) {
        goal[k] += states[i][(n - 1) * d + k];
      }
    }
    for (int k = 0; k < d; k++) {
      goal[k] /= m;
    }
    if (set.isPose()) {
      // q_g is the Karcher mean of the end orientations, so the mean end r is 0 to rounding (~1e-16
      // rad); the goal is q_g itself, r = 0 exactly (the model file requires it).
      for (int k = 3; k < 6; k++) {
        goal[k] = 0.0;
      }
    }

    double extent = 0;
    double[] scale = new double[d];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double r2 = 0;
        for (int k = 0; k < d; k++) {
          double e = states[i][j * d + k] - goal[k];
          scale[k] = Math.max(scale[k], Math.abs(e));
          r2 += e * e;
        }
        extent = Math.max(extent, Math.sqrt(r2));
      }
    }
    if (!(extent > 0)) {
      throw new DemoDataException(
          where,
          "the demonstrations do not move: every sample is"
              + " at the goal "
              + Arrays.toString(goal));
    }

    double spreadMax;
    double spreadRms;
    double rotationSpreadMax = Double.NaN;
    double rotationSpreadRms = Double.NaN;
    if (set.isPose()) {
      // Metres and radians are not added up: the position and the orientation of the ends are
      // checked apart, each against its own limit.
      double[] pos = checkSpread(set, states, goal, n, 0, 3, options, 0.0, where);
      double[] rot =
          checkSpread(set, states, goal, n, 3, 6, options, MIN_ROTATION_SPREAD_LIMIT, where);
      spreadMax = pos[0];
      spreadRms = pos[1];
      rotationSpreadMax = rot[0];
      rotationSpreadRms = rot[1];
    } else {
      double[] all = checkSpread(set, states, goal, n, 0, d, options, 0.0, where);
      spreadMax = all[0];
      spreadRms = all[1];
    }

    double maxScale = 0;
    for (double s : scale) {
      maxScale = Math.max(maxScale, s);
    }
    if (options.sharedScale()) {
      shareByUnit(scale, set.units());
    }
    double floor = options.minScaleFraction() * maxScale;
    for (int k = 0; k < d; k++) {
      if (!(scale[k] >= floor) || scale[k] == 0) {
        LOG.warn(
            "{}: dimension {} barely moves (max |y - g| = {}); its scale is raised" + " to {}",
            where,
            set.dimensionNames().get(k),
            scale[k],
            floor > 0 ? floor : maxScale);
        scale[k] = floor > 0 ? floor : maxScale;
      }
    }
    if (set.isPose()) {
      // The loss weighs normalised errors alike; a larger σ for the rotation weighs it less.
      double widen = 1 / Math.sqrt(options.rotationWeight());
      for (int k = 3; k < 6; k++) {
        scale[k] *= widen;
      }
    }

    double[] sorted = durations.clone();
    Arrays.sort(sorted);
    double median = m % 2 == 1 ? sorted[m / 2] : 0.5 * (sorted[m / 2 - 1] + sorted[m / 2]);
    double tau = median / options.timeScaleDivisor();
    checkTimeScale(tau, median, where.withField("t"));

    int[][] split = split(m, options.validationFraction(), options.splitSeed());
    List<String> names = new ArrayList<>(m);
    for (Demonstration demo : set.demos()) {
      names.add(demo.name());
    }
    PreparedData out =
        new PreparedData(
            names,
            set.dimensionNames(),
            set.units(),
            set.frameId(),
            set.source(),
            n,
            times,
            states,
            goal,
            spreadMax,
            spreadRms,
            scale,
            tau,
            split[0],
            split[1],
            set.sha256(),
            set.goalOrientation(),
            rotationSpreadMax,
            rotationSpreadRms);
    LOG.info("prepared {}", out);
    return out;
  }

  /**
   * Smallest limit on the rotation spread of pose demos' ends with the relative limit, 0.05 rad
   * (2.9°): a motion that barely turns would otherwise refuse ends that differ by a fraction of a
   * degree.
   */
  static final double MIN_ROTATION_SPREAD_LIMIT = 0.05;

  /**
   * The spread of the demos' end points from the goal over the dimensions from..to-1 (Euclidean),
   * refused when above the limit: {@link PreprocessOptions#maxGoalSpread()}, or the relative limit
   * times the extent over these dimensions (at least {@code minLimit}).
   *
   * @return {max, rms} in the dimensions' units
   */
  private static double[] checkSpread(
      DemonstrationSet set,
      double[][] states,
      double[] goal,
      int n,
      int from,
      int to,
      PreprocessOptions options,
      double minLimit,
      DataLocation where)
      throws DemoDataException {
    int m = set.size();
    int d = set.dimension();
    double extent = 0;
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double r2 = 0;
        for (int k = from; k < to; k++) {
          double e = states[i][j * d + k] - goal[k];
          r2 += e * e;
        }
        extent = Math.max(extent, Math.sqrt(r2));
      }
    }
    double spreadMax = 0;
    double spreadSq = 0;
    int worst = 0;
    for (int i = 0; i < m; i++) {
      double r2 = 0;
      for (int k = from; k < to; k++) {
        double e = states[i][(n - 1) * d + k] - goal[k];
        r2 += e * e;
      }
      spreadSq += r2;
      if (Math.sqrt(r2) > spreadMax) {
        spreadMax = Math.sqrt(r2);
        worst = i;
      }
    }
    double spreadRms = Math.sqrt(spreadSq / m);
    boolean relative = Double.isNaN(options.maxGoalSpread());
    double limit =
        relative
            ? Math.max(options.relativeGoalSpread() * extent, minLimit)
            : options.maxGoalSpread();
    String unit = commonUnit(set.units().subList(from, to));
    if (spreadMax > limit) {
      Demonstration w = set.demo(worst);
      throw new DemoDataException(
          where.withDemo("#" + worst + " (" + w.name() + ")"),
          "the demonstrations do not end near a common goal: this demo ends "
              + fmt(spreadMax)
              + unit
              + (set.isPose() && from == 3
                  ? String.format(
                      java.util.Locale.ROOT,
                      " (%.3g°) from the mean end orientation (x y z w %s)",
                      Math.toDegrees(spreadMax),
                      Arrays.toString(set.goalOrientation()))
                  : " from the mean end point "
                      + Arrays.toString(Arrays.copyOfRange(goal, from, to)))
              + " (end-point spread: max "
              + fmt(spreadMax)
              + unit
              + ", rms "
              + fmt(spreadRms)
              + unit
              + "; limit "
              + fmt(limit)
              + unit
              + (relative
                  ? " = "
                      + options.relativeGoalSpread()
                      + " x the motion extent "
                      + fmt(extent)
                      + unit
                      + (minLimit > 0 ? ", at least " + fmt(minLimit) + unit : "")
                  : "")
              + "). Check that every demo reaches the same"
              + " goal, the gap threshold (demos split or merged wrongly?) and trimming;"
              + " or raise the limit if the goal really varies this much");
    }
    return new double[] {spreadMax, spreadRms};
  }

  /**
   * Linear interpolation of one demo at n uniform times from its start.
   *
   * @param t sample times [s], strictly increasing, length ≥ 2. Not modified.
   * @param y states [len][d]. Not modified.
   * @param n number of output points, ≥ 2
   * @param outTimes output times relative to t[0] [s], length n. Modified.
   * @param outY output states, row-major [n][d]. Modified.
   */
  static void resample(double[] t, double[][] y, int n, double[] outTimes, double[] outY) {
    int d = y[0].length;
    int len = t.length;
    double t0 = t[0];
    double duration = t[len - 1] - t0;
    int seg = 0;
    for (int j = 0; j < n; j++) {
      // The last point is set exactly; j*T/(n-1) can round a hair past T.
      double tj = j == n - 1 ? duration : duration * j / (n - 1);
      outTimes[j] = tj;
      double abs = t0 + tj;
      while (seg < len - 2 && t[seg + 1] < abs) {
        seg++;
      }
      if (j == n - 1) {
        // Copied, not interpolated: y0 + 1·(y1 − y0) need not round to y1, and the end
        // points define the goal.
        System.arraycopy(y[len - 1], 0, outY, j * d, d);
        continue;
      }
      double a = Math.min(1.0, Math.max(0.0, (abs - t[seg]) / (t[seg + 1] - t[seg])));
      for (int k = 0; k < d; k++) {
        outY[j * d + k] = y[seg][k] + a * (y[seg + 1][k] - y[seg][k]);
      }
    }
  }

  /** {train, validation}, each ascending. */
  static int[][] split(int m, double fraction, long seed) {
    int nVal = (int) Math.round(fraction * m);
    if (fraction > 0 && m >= 2) {
      nVal = Math.max(1, nVal);
    }
    nVal = Math.min(nVal, m - 1);
    if (fraction > 0 && nVal == 0) {
      LOG.warn("only {} demonstration(s): no validation split", m);
    }
    int[] order = new int[m];
    for (int i = 0; i < m; i++) {
      order[i] = i;
    }
    Random rng = new Random(seed);
    for (int i = m - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int tmp = order[i];
      order[i] = order[j];
      order[j] = tmp;
    }
    int[] validation = Arrays.copyOfRange(order, 0, nVal);
    int[] train = Arrays.copyOfRange(order, nVal, m);
    Arrays.sort(validation);
    Arrays.sort(train);
    return new int[][] {train, validation};
  }

  /**
   * Gives every dimension the largest scale among the dimensions of its unit (in place): the loss
   * then weighs a unit of error alike along each of them, as distances in the task space (the
   * held-out DTW, a tracking error) do. Per-dimension scales stretch a dimension that moves little
   * to the size of the motion: on a nearly straight stroke (the benchmark's {@code line}, 50 mm
   * long, 2.7 mm wide) its sideways wobble then weighed ~400 times more than an error along it, and
   * the fit traded the stroke's timing for the wobble (trainer/BENCHMARK.md, One scale per unit).
   * Units are compared as strings; dimensions without one ("") form one group.
   */
  static void shareByUnit(double[] scale, List<String> units) {
    for (int k = 0; k < scale.length; k++) {
      double max = 0;
      for (int j = 0; j < scale.length; j++) {
        if (units.get(j).equals(units.get(k))) {
          max = Math.max(max, scale[j]);
        }
      }
      scale[k] = max;
    }
  }

  /**
   * Refuses, before any training, demos whose median duration gives a time scale the model file
   * cannot hold ({@link MotionModel#MIN_TIME_SCALE}..{@link MotionModel#MAX_TIME_SCALE}): almost
   * always time stamps in another unit (epoch nanoseconds read as seconds last ~1e9 s). Before,
   * this surfaced only at export, after the whole training run.
   *
   * @param tau the time scale the demos give [s]
   * @param medianDuration the median demo duration [s]
   */
  private static void checkTimeScale(double tau, double medianDuration, DataLocation where)
      throws DemoDataException {
    if (tau >= MotionModel.MIN_TIME_SCALE && tau <= MotionModel.MAX_TIME_SCALE) {
      return;
    }
    throw new DemoDataException(
        where,
        String.format(
            Locale.ROOT,
            "the median demo duration is %.4g s, which gives a time scale tau = %.4g s outside"
                + " the model's [%.0e, %.0e] s. Time stamps must be in seconds: %s",
            medianDuration,
            tau,
            MotionModel.MIN_TIME_SCALE,
            MotionModel.MAX_TIME_SCALE,
            tau > MotionModel.MAX_TIME_SCALE
                ? "nanosecond stamps are 1e9 times too large, milliseconds 1e3"
                : "these demos last almost no time; check the time column"));
  }

  private static String commonUnit(List<String> units) {
    String u = units.get(0);
    for (String x : units) {
      if (!x.equals(u)) {
        return " (data units)";
      }
    }
    return u.isEmpty() ? "" : " " + u;
  }

  private static String fmt(double v) {
    return String.format(java.util.Locale.ROOT, "%.4g", v);
  }
}
