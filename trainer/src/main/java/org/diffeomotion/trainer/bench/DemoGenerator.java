package org.diffeomotion.trainer.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.diffeomotion.trainer.data.DemoDataException;
import org.diffeomotion.trainer.data.Demonstration;
import org.diffeomotion.trainer.data.DemonstrationSet;

/**
 * Turns a {@link BenchmarkShape} into demonstrations that look and move like human handwriting
 * (trainer/BENCHMARK.md, "Generator"):
 *
 * <ol>
 *   <li><b>Nominal path</b> per stroke: the glyph's strokes joined, reversed/trimmed as the shape
 *       says, y up, Chaikin-smoothed between corners, scaled (bounding box {@code size}),
 *       translated so that the path's end, the goal, is the origin, resampled densely by arc
 *       length.
 *   <li><b>Per demo:</b> corners rounded (Gaussian along the arc, random radius), then a smooth
 *       random deformation that is exactly zero at the goal: a rotation and anisotropic scale about
 *       the goal, a few low-frequency displacement modes faded out near the goal, and a start
 *       offset faded out along the path.
 *   <li><b>Time law:</b> speed = an envelope over normalised time ({@link TimeLaw}) times the
 *       two-thirds power law of the path's curvature; the demo's duration varies around the
 *       shape's. Samples are uniform in time; the last is exactly the goal, at rest.
 *   <li><b>Checks:</b> a demo that crosses or touches itself, or crosses a demo of another stroke,
 *       is drawn again.
 * </ol>
 *
 * Deterministic: {@link Random} (a specified algorithm) seeded with the shape's seed, and {@link
 * StrictMath}, give the same bits on every JVM.
 */
final class DemoGenerator {

  /** Dimension names and units of the generated sets. */
  static final List<String> DIMENSIONS = List.of("x", "y");

  static final List<String> UNITS = List.of("mm", "mm");

  /**
   * A multi-stroke set's bounding box relative to {@link GeneratorParameters#size()}: its strokes
   * lie side by side, so that each is about 40 mm rather than 25.
   */
  static final double MULTI_SIZE = 1.5;

  private DemoGenerator() {}

  /** The shape's demonstrations with parameters p. */
  static DemonstrationSet generate(BenchmarkShape shape, GeneratorParameters p) {
    Random rnd = new Random(scramble(shape.seed()));
    // The noise has a stream of its own: a noisy set is the clean set plus noise, demo for demo,
    // so a benchmark variant can train on noisy demos and judge against the clean ones.
    Random noiseRnd = new Random(scramble(~shape.seed()));
    List<Curve> nominal = nominalPaths(shape, p);

    ShapeDraws shapeDraws = ShapeDraws.draw(rnd, p);
    double startSpeed = shapeDraws.startSpeed();
    double startSpread = shapeDraws.startSpread();
    double speed = shapeDraws.speed();
    double cv = shapeDraws.durationCv();
    double variability = shapeDraws.variability();
    double meanLength = 0;
    for (int i = 0; i < p.demos(); i++) {
      meanLength += nominal.get(shape.strokeOfDemo(i)).length() / p.demos();
    }
    double duration =
        StrictMath.min(p.durationMax(), StrictMath.max(p.durationMin(), meanLength / speed));
    double[] z = standardScores(p.demos(), rnd);

    List<Demonstration> demos = new ArrayList<>();
    List<double[]> accepted = new ArrayList<>();
    for (int i = 0; i < p.demos(); i++) {
      int stroke = shape.strokeOfDemo(i);
      double t = duration * (1 + cv * z[i]);
      double[] xy = null;
      for (int attempt = 0; attempt < p.maxAttempts() && xy == null; attempt++) {
        double[] candidate =
            demo(nominal.get(stroke), startSpeed, startSpread, variability, p, rnd);
        if (acceptable(candidate, p, shape, i, accepted)) {
          xy = candidate;
        }
      }
      if (xy == null) {
        throw new IllegalStateException(
            "shape "
                + shape.name()
                + ", demo "
                + i
                + ": every one of "
                + p.maxAttempts()
                + " draws crossed or touched itself or another stroke's demo; "
                + "the stroke or its placement needs changing");
      }
      accepted.add(xy);
      xy = withNoise(xy, p, noiseRnd);
      int n = p.samples();
      double[] times = new double[n];
      double[][] states = new double[n][];
      for (int j = 0; j < n; j++) {
        times[j] = j == n - 1 ? t : t * j / (n - 1);
        states[j] = new double[] {xy[2 * j], xy[2 * j + 1]};
      }
      demos.add(new Demonstration(shape.name() + "_" + i, source(shape), times, states));
    }
    try {
      return DemonstrationSet.of(demos, DIMENSIONS, UNITS, "", source(shape));
    } catch (DemoDataException e) {
      throw new IllegalStateException(
          "the generator made invalid data for " + shape.name() + ": " + e.getMessage(), e);
    }
  }

  /**
   * The per-shape draws, the first of a shape's random stream.
   *
   * @param startSpeed the start speed b of the {@link TimeLaw}.
   * @param startSpread standard deviation of a demo's start offset per component, relative to the
   *     size.
   * @param speed the mean path speed [mm/s].
   * @param durationCv the coefficient of variation of the demos' durations.
   * @param variability the factor on every per-demo deformation amplitude.
   */
  record ShapeDraws(
      double startSpeed, double startSpread, double speed, double durationCv, double variability) {

    /** The draws of the shape whose stream is rnd (seeded with {@link #scramble} of its seed). */
    static ShapeDraws draw(Random rnd, GeneratorParameters p) {
      double startSpeed =
          p.startSpeedMin()
              + (p.startSpeedMax() - p.startSpeedMin())
                  * StrictMath.pow(rnd.nextDouble(), p.startSpeedSkew());
      double startSpread =
          p.startSpreadMin()
              * StrictMath.exp(
                  rnd.nextDouble() * StrictMath.log(p.startSpreadMax() / p.startSpreadMin()));
      double speed = p.meanSpeed() * StrictMath.exp((2 * rnd.nextDouble() - 1) * p.speedLogRange());
      double cv = p.durationCvMin() + (p.durationCvMax() - p.durationCvMin()) * rnd.nextDouble();
      double variability =
          p.variabilityMin()
              * StrictMath.exp(
                  rnd.nextDouble() * StrictMath.log(p.variabilityMax() / p.variabilityMin()));
      return new ShapeDraws(startSpeed, startSpread, speed, cv, variability);
    }

    /** The draws of a shape (a fresh stream from its seed). */
    static ShapeDraws of(BenchmarkShape shape, GeneratorParameters p) {
      return draw(new Random(scramble(shape.seed())), p);
    }
  }

  /**
   * One demo's path (before the time law) as the generator draws it: corners rounded by a random
   * radius, then {@link #deform}ed, resampled at the dense spacing. For {@link GeneratorOracle},
   * which draws many of them; rnd is its own stream.
   */
  static Curve drawPath(
      Curve nominal, double startSpread, double variability, GeneratorParameters p, Random rnd) {
    double sigma = p.cornerSigma() * StrictMath.exp(p.cornerSigmaLogSd() * gaussian(rnd));
    return deform(nominal.smoothed(sigma), startSpread, variability, p, rnd)
        .resampled(p.denseSpacing());
  }

  /**
   * SplitMix64's finaliser: {@link Random}'s first outputs for nearby seeds (101, 102, ...) are
   * almost equal, which would give every shape the same per-shape draws.
   */
  static long scramble(long seed) {
    long z = seed + 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  static String source(BenchmarkShape shape) {
    return "handwriting benchmark '"
        + shape.name()
        + "' ("
        + String.join(" + ", shape.sources())
        + ", seed "
        + shape.seed()
        + ")";
  }

  /**
   * Whether demo i (row-major n x 2) is free of self-crossings, touches and crossings of other
   * strokes.
   */
  private static boolean acceptable(
      double[] xy, GeneratorParameters p, BenchmarkShape shape, int i, List<double[]> accepted) {
    int n = xy.length / 2;
    if (Crossings.selfCrossing(xy, n) != null) {
      return false;
    }
    if (Crossings.clearance(xy, n, p.clearanceArc()) < p.minClearance()) {
      return false;
    }
    for (int k = 0; k < accepted.size(); k++) {
      if (shape.strokeOfDemo(k) != shape.strokeOfDemo(i)
          && Crossings.crossing(xy, n, accepted.get(k), accepted.get(k).length / 2) != null) {
        return false;
      }
    }
    return true;
  }

  /**
   * The nominal (undeformed, corner-sharp) path of every stroke, in [mm], each ending at the
   * origin, densely and uniformly resampled.
   */
  static List<Curve> nominalPaths(BenchmarkShape shape, GeneratorParameters p) {
    List<Curve> placed = new ArrayList<>();
    for (StrokeSpec s : shape.strokes()) {
      HersheyGlyph g = GlyphLibrary.glyph(s.font(), s.character());
      Curve c = Curve.join(g.strokes());
      if (s.reverse()) {
        c = c.reversed();
      }
      c = c.trimmed(s.trimStart(), 1 - s.trimEnd());
      c = c.chaikin(p.chaikinIterations(), StrictMath.toRadians(p.cornerAngleDeg()));
      c = c.affine(1, 0, 0, 1, -c.x(c.size() - 1), -c.y(c.size() - 1));
      double[] b = c.box();
      double k = s.relativeSize() / StrictMath.max(b[1] - b[0], b[3] - b[2]);
      double rot = 0;
      if (!Double.isNaN(s.directionDeg())) {
        double[] m = c.resampled(0.05).centroid();
        rot = StrictMath.toRadians(s.directionDeg()) - StrictMath.atan2(m[1], m[0]);
      }
      double cs = k * StrictMath.cos(rot);
      double sn = k * StrictMath.sin(rot);
      placed.add(c.affine(cs, -sn, sn, cs, 0, 0));
    }
    double x0 = Double.POSITIVE_INFINITY;
    double x1 = Double.NEGATIVE_INFINITY;
    double y0 = Double.POSITIVE_INFINITY;
    double y1 = Double.NEGATIVE_INFINITY;
    for (Curve c : placed) {
      double[] b = c.box();
      x0 = StrictMath.min(x0, b[0]);
      x1 = StrictMath.max(x1, b[1]);
      y0 = StrictMath.min(y0, b[2]);
      y1 = StrictMath.max(y1, b[3]);
    }
    double k = p.size() * (placed.size() > 1 ? MULTI_SIZE : 1) / StrictMath.max(x1 - x0, y1 - y0);
    List<Curve> out = new ArrayList<>();
    for (Curve c : placed) {
      out.add(c.affine(k, 0, 0, k, 0, 0).resampled(p.denseSpacing()));
    }
    return out;
  }

  /** One demo's samples along a nominal path, row-major samples x 2 [mm], last exactly (0, 0). */
  private static double[] demo(
      Curve nominal,
      double startSpeed,
      double startSpread,
      double variability,
      GeneratorParameters p,
      Random rnd) {
    Curve path = drawPath(nominal, startSpread, variability, p, rnd);

    // Speed along the path: the two-thirds power law; over time: the envelope.
    double[] kappa = path.curvature(p.curvatureWindow());
    double[] s = path.arcLengths();
    // A slow random modulation of the speed along the path (no two demos keep the same pace).
    double length = s[s.length - 1];
    double[] fm = new double[2];
    double[] pm = new double[2];
    double[] am = new double[2];
    for (int m = 0; m < 2; m++) {
      fm[m] =
          2 * StrictMath.PI * (0.5 + (p.speedModulationCycles() - 0.5) * rnd.nextDouble()) / length;
      pm[m] = 2 * StrictMath.PI * rnd.nextDouble();
      am[m] = p.speedModulation() * gaussian(rnd);
    }
    double[] g =
        new double[s.length]; // G(s) = ∫ ds / speed(s): time spent per arc length, up to a factor
    double prev = 0;
    for (int i = 0; i < s.length; i++) {
      double mod =
          am[0] * StrictMath.sin(fm[0] * s[i] + pm[0])
              + am[1] * StrictMath.sin(fm[1] * s[i] + pm[1]);
      double inv =
          StrictMath.pow(1 + kappa[i] / p.curvatureRef(), p.powerLaw()) * StrictMath.exp(-mod);
      if (i > 0) {
        g[i] = g[i - 1] + 0.5 * (prev + inv) * (s[i] - s[i - 1]);
      }
      prev = inv;
    }
    double lg = p.timeLawLogSd();
    TimeLaw law =
        new TimeLaw(
            StrictMath.min(0.9, startSpeed * StrictMath.exp(lg * gaussian(rnd))),
            p.riseTime() * StrictMath.exp(lg * gaussian(rnd)),
            p.riseShape(),
            p.fallTime() * StrictMath.exp(lg * gaussian(rnd)),
            p.fallShape());
    int n = p.samples();
    double[] share = law.cumulativeShare(n);
    double[] at = new double[n];
    int seg = 0;
    double total = g[g.length - 1];
    for (int j = 0; j < n; j++) {
      double target = share[j] * total;
      while (seg < g.length - 2 && g[seg + 1] < target) {
        seg++;
      }
      double span = g[seg + 1] - g[seg];
      double f = span > 0 ? StrictMath.min(1, StrictMath.max(0, (target - g[seg]) / span)) : 0;
      at[j] = s[seg] + f * (s[seg + 1] - s[seg]);
    }
    at[n - 1] = s[s.length - 1];
    double[] xy = path.sampleXy(at);
    xy[2 * n - 2] = 0.0;
    xy[2 * n - 1] = 0.0;
    return xy;
  }

  /**
   * The samples with sensor noise (a copy; the same array when there is none), drawn from the
   * noise's own stream (the demos are those of the clean set). Added after the crossing checks:
   * where the demo moves slowly consecutive samples are closer than the noise, and a noisy polyline
   * zig-zags across itself there however clean the motion is. Faded out over the last 5 % of the
   * samples; the last stays exactly at the goal.
   */
  private static double[] withNoise(double[] xy, GeneratorParameters p, Random rnd) {
    if (p.sensorNoise() <= 0) {
      return xy;
    }
    int n = xy.length / 2;
    int fade = StrictMath.max(1, n / 20);
    double[] out = xy.clone();
    for (int j = 0; j < n - 1; j++) {
      double w = p.sensorNoise() * StrictMath.min(1.0, (n - 1 - j) / (double) fade);
      out[2 * j] += w * rnd.nextGaussian();
      out[2 * j + 1] += w * rnd.nextGaussian();
    }
    return out;
  }

  /**
   * A smooth random deformation of a path that ends at the origin, exactly zero there (the
   * rotation, scale and mode amplitudes times the shape's variability): rotation and anisotropic
   * scale about the origin, displacement modes {@code a_k sin(w_k . x + phi_k)} times {@code 1 -
   * exp(-(|x| / fadeRadius)^2)}, and a start offset weighted by {@code (1 - s/L)^power}.
   */
  private static Curve deform(
      Curve c, double startSpread, double variability, GeneratorParameters p, Random rnd) {
    double v = variability;
    double rot = v * StrictMath.toRadians(p.rotationSdDeg()) * gaussian(rnd);
    double dir = StrictMath.PI * rnd.nextDouble();
    double s1 = 1 + v * p.scaleSd() * gaussian(rnd);
    double s2 = 1 + v * p.scaleSd() * gaussian(rnd);
    // M = R(rot) * R(dir) * diag(s1, s2) * R(-dir)
    double cd = StrictMath.cos(dir);
    double sd = StrictMath.sin(dir);
    double a = s1 * cd * cd + s2 * sd * sd;
    double b = (s1 - s2) * cd * sd;
    double d = s1 * sd * sd + s2 * cd * cd;
    double cr = StrictMath.cos(rot);
    double sr = StrictMath.sin(rot);
    double m00 = cr * a - sr * b;
    double m01 = cr * b - sr * d;
    double m10 = sr * a + cr * b;
    double m11 = sr * b + cr * d;
    int k = p.modes();
    double[] wx = new double[k];
    double[] wy = new double[k];
    double[] phase = new double[k];
    double[] ax = new double[k];
    double[] ay = new double[k];
    for (int m = 0; m < k; m++) {
      double angle = 2 * StrictMath.PI * rnd.nextDouble();
      double lambda =
          p.modeWavelengthMin()
              + (p.modeWavelengthMax() - p.modeWavelengthMin()) * rnd.nextDouble();
      wx[m] = 2 * StrictMath.PI / lambda * StrictMath.cos(angle);
      wy[m] = 2 * StrictMath.PI / lambda * StrictMath.sin(angle);
      phase[m] = 2 * StrictMath.PI * rnd.nextDouble();
      ax[m] = v * p.modeAmplitudeSd() * gaussian(rnd);
      ay[m] = v * p.modeAmplitudeSd() * gaussian(rnd);
    }
    double offX = startSpread * p.size() * gaussian(rnd);
    double offY = startSpread * p.size() * gaussian(rnd);

    int n = c.size();
    double[] s = c.arcLengths();
    double length = s[n - 1];
    double[] x = new double[n];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      double px = c.x(i);
      double py = c.y(i);
      double r2 = (px * px + py * py) / (p.fadeRadius() * p.fadeRadius());
      double fade = 1 - StrictMath.exp(-r2);
      double dx = 0;
      double dy = 0;
      for (int m = 0; m < k; m++) {
        double sin = StrictMath.sin(wx[m] * px + wy[m] * py + phase[m]);
        dx += ax[m] * sin;
        dy += ay[m] * sin;
      }
      double w = StrictMath.pow(StrictMath.max(0.0, 1 - s[i] / length), p.startFadePower());
      x[i] = m00 * px + m01 * py + fade * dx + w * offX;
      y[i] = m10 * px + m11 * py + fade * dy + w * offY;
    }
    x[n - 1] = 0.0;
    y[n - 1] = 0.0;
    return new Curve(x, y);
  }

  /**
   * A standard normal draw truncated to [-2, 2] (drawn again outside): human demonstrations vary,
   * but a 4-sigma deformation would make a demo that is not the same shape any more.
   */
  static double gaussian(Random rnd) {
    double g = rnd.nextGaussian();
    while (StrictMath.abs(g) > 2) {
      g = rnd.nextGaussian();
    }
    return g;
  }

  /**
   * n standard scores with mean exactly 0 and sample standard deviation exactly 1: normal quantiles
   * at (i + 0.5) / n in a random order. Demo durations {@code T (1 + cv z_i)} then have exactly the
   * coefficient of variation cv, whatever the draw.
   */
  static double[] standardScores(int n, Random rnd) {
    double[] z = new double[n];
    for (int i = 0; i < n; i++) {
      z[i] = normalQuantile((i + 0.5) / n);
    }
    double mean = 0;
    for (double v : z) {
      mean += v / n;
    }
    double ss = 0;
    for (int i = 0; i < n; i++) {
      z[i] -= mean;
      ss += z[i] * z[i];
    }
    double sd = n > 1 ? StrictMath.sqrt(ss / (n - 1)) : 1;
    for (int i = n - 1; i > 0; i--) {
      int j = rnd.nextInt(i + 1);
      double tmp = z[i];
      z[i] = z[j];
      z[j] = tmp;
    }
    for (int i = 0; i < n; i++) {
      z[i] = sd > 0 ? z[i] / sd : 0;
    }
    return z;
  }

  /** The standard normal quantile (Acklam's rational approximation, relative error < 1.2e-9). */
  static double normalQuantile(double p) {
    double[] a = {
      -3.969683028665376e+01,
      2.209460984245205e+02,
      -2.759285104469687e+02,
      1.383577518672690e+02,
      -3.066479806614716e+01,
      2.506628277459239e+00
    };
    double[] b = {
      -5.447609879822406e+01,
      1.615858368580409e+02,
      -1.556989798598866e+02,
      6.680131188771972e+01,
      -1.328068155288572e+01
    };
    double[] c = {
      -7.784894002430293e-03,
      -3.223964580411365e-01,
      -2.400758277161838e+00,
      -2.549732539343734e+00,
      4.374664141464968e+00,
      2.938163982698783e+00
    };
    double[] d = {
      7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00
    };
    double q;
    if (p < 0.02425) {
      q = StrictMath.sqrt(-2 * StrictMath.log(p));
      return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
          / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    }
    if (p > 1 - 0.02425) {
      return -normalQuantile(1 - p);
    }
    q = p - 0.5;
    double r = q * q;
    return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5])
        * q
        / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  }
}
