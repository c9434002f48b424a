package org.diffeomotion.trainer.fit;

import com.google.protobuf.Timestamp;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.diffeomotion.model.ModelArtifacts;
import org.diffeomotion.model.MotionModel;
import org.diffeomotion.model.Rollout;
import org.diffeomotion.proto.model.v1.Model;
import org.diffeomotion.proto.model.v1.PoseLayout;
import org.diffeomotion.proto.model.v1.Provenance;
import org.diffeomotion.trainer.fit.internal.BaseInit;
import org.diffeomotion.trainer.fit.internal.BlendScore;
import org.diffeomotion.trainer.fit.internal.CheckpointFile;
import org.diffeomotion.trainer.fit.internal.DemoTiming;
import org.diffeomotion.trainer.fit.internal.FlowEngine;
import org.diffeomotion.trainer.fit.internal.FlowExport;
import org.diffeomotion.trainer.fit.internal.FlowLayout;
import org.diffeomotion.trainer.fit.internal.NeighbourBlends;
import org.diffeomotion.trainer.fit.internal.RowKernels;
import org.diffeomotion.trainer.fit.internal.TrainingRun;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a stable motion model (DESIGN.md section 2) on a {@link TrainingSet}: full-batch Adam with
 * an explicit reverse-mode gradient on ND4J (TRAINING.md), on a schedule that first fits shooting
 * windows (short segments rolled out from their own first sample), then the closed-form rollouts of
 * whole demos from their starts; warm-up and cosine decay of the learning rate, gradient-norm
 * clipping, rollback on a loss spike, and the best iterate kept. {@link TrainOptions#starts()}
 * initialisations (seeds TrainOptions.startSeed(i)) train side by side, in parallel on up to as
 * many cores, and the one with the lowest whole-demo loss is exported.
 *
 * <p>Typical use: {@code new Trainer(data, options).fit(listener)}, then {@link #export}. Same
 * seed, options and data give bitwise the same loss curve on the CPU backend; a run resumed from a
 * checkpoint continues bitwise as if it had not been interrupted.
 *
 * <p>Not thread-safe: one trainer, one calling thread (it runs its starts on its own pool).
 */
public final class Trainer {

  private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);

  /** Rollbacks on loss spikes after which a start counts as diverged. */
  public static final int MAX_ROLLBACKS = TrainingRun.MAX_ROLLBACKS;

  private final TrainingSet data;

  /**
   * The training demos as fitted: resampled to fitPoints samples and, with Timing.PROGRESS,
   * re-timed.
   */
  private final List<Demo> fitTrain;

  /** The export choice's validation score (TrainOptions.blendChoice), or null for the loss. */
  private final BlendScore blendScore;

  /** Each start's blend score at its best iterate (normalised units); null when not scored. */
  private double[] blendScores;

  /** Far-field starts rolled out by the far-field term (0 when off). */
  private final int farStartCount;

  /** The far-field term's starts are split into this many groups, one per iteration. */
  static final int FAR_GROUPS = 5;

  /** Grid points per axis of the far-field starts, by state dimension (index d). */
  private static final int[] FAR_GRID = {0, 9, 5, 3};

  /** Rollout times per far-field start. */
  private static final int FAR_TIMES = 10;

  /** Far-field speed pairs per start: at the start and the first rollout times. */
  private static final int FAR_SPEED_TIMES = 4;

  /** The far-field speed pairs' step, over the longest fitted demo. */
  private static final double FAR_SPEED_STEP = 0.01;

  /** The far-field rollouts span this many times the longest fitted demo (the fit check's 2). */
  private static final double FAR_HORIZON = 2.0;

  /**
   * The far-field term's starts: a grid over the training demos' bounding box (normalised) grown by
   * a quarter of its largest side on every side; each start's reach, {@link
   * TrainOptions#FAR_FIELD_REACH} times the larger of its distance from the goal and the extent
   * (the farthest demo sample's distance: the demos themselves may head away from the goal, and a
   * start among them should follow); times up to twice the longest fitted demo's, spaced
   * quadratically (detours start early).
   */
  private record FarStarts(
      double[][] starts, double[] s, double[] reach, double[] speedS, double delta, double peak) {
    /**
     * @param grid how many leading dimensions the grid spans (a pose: its 3 positions; the others
     *     are held at the demos' mean start, as {@code FitCheck}'s far field does)
     */
    static FarStarts of(List<Demo> demos, List<Demo> fitted, List<double[]> fitTimes, int grid) {
      int d = demos.get(0).z()[0].length;
      double[] lo = new double[d];
      double[] hi = new double[d];
      double[] meanStart = new double[d];
      java.util.Arrays.fill(lo, Double.POSITIVE_INFINITY);
      java.util.Arrays.fill(hi, Double.NEGATIVE_INFINITY);
      double extent = 0;
      for (Demo demo : demos) {
        for (int k = 0; k < d; k++) {
          meanStart[k] += demo.z()[0][k] / demos.size();
        }
        for (double[] z : demo.z()) {
          double r2 = 0;
          for (int k = 0; k < d; k++) {
            lo[k] = Math.min(lo[k], z[k]);
            hi[k] = Math.max(hi[k], z[k]);
            r2 += z[k] * z[k];
          }
          extent = Math.max(extent, Math.sqrt(r2));
        }
      }
      double side = 0;
      for (int k = 0; k < grid; k++) {
        side = Math.max(side, hi[k] - lo[k]);
      }
      int n = FAR_GRID[grid];
      int count = (int) Math.round(Math.pow(n, grid));
      double[][] starts = new double[count][d];
      double[] reach = new double[count];
      for (int i = 0; i < count; i++) {
        double r2 = 0;
        for (int k = 0, rest = i; k < d; k++, rest /= n) {
          double a = lo[k] - 0.25 * side;
          double b = hi[k] + 0.25 * side;
          starts[i][k] = k < grid ? a + (b - a) * (rest % n) / (n - 1) : meanStart[k];
          r2 += starts[i][k] * starts[i][k];
        }
        reach[i] = TrainOptions.FAR_FIELD_REACH * Math.max(Math.sqrt(r2), extent);
      }
      double longest = 0;
      for (double[] s : fitTimes) {
        longest = Math.max(longest, s[s.length - 1]);
      }
      double[] s = new double[FAR_TIMES];
      for (int i = 0; i < FAR_TIMES; i++) {
        double u = (i + 1.0) / FAR_TIMES;
        s[i] = FAR_HORIZON * longest * u * u;
      }
      // the speed pairs: at the start and the first FAR_SPEED_TIMES - 1 rollout times, where a
      // fast mode's speed is (it decays from there)
      double[] speedS = new double[FAR_SPEED_TIMES];
      System.arraycopy(s, 0, speedS, 1, FAR_SPEED_TIMES - 1);
      double delta = FAR_SPEED_STEP * longest;
      // the fitted demos' peak speed over the same step (their own timing: progress or demo)
      double peak = 0;
      for (Demo f : fitted) {
        double[] fs = f.s();
        double[][] fz = f.z();
        for (int i = 0, k = 0; i < fs.length; i++) {
          while (k < fs.length - 1 && fs[k] - fs[i] < delta) {
            k++;
          }
          double span = fs[k] - fs[i];
          if (span > 0) {
            double r2 = 0;
            for (int c = 0; c < d; c++) {
              double e = fz[k][c] - fz[i][c];
              r2 += e * e;
            }
            peak = Math.max(peak, Math.sqrt(r2) / span);
          }
        }
      }
      return new FarStarts(starts, s, reach, speedS, delta, peak);
    }
  }

  /** Neighbour blends fitted after the demos (0 when off). */
  private final int blendCount;

  private final TrainOptions options;
  private final FlowLayout[] layouts;
  private final TrainingRun[] runs;

  /** Each start's initial parameters (for {@link #identityModel}). */
  private final double[][] initial;

  private final String fingerprint;
  private final double initDecay;
  private final double[] initOmega;
  private final double featureScale;
  private long iteration;
  private int selected;
  private double lastValidation = Double.NaN;

  /** A fresh run: seeded initial parameters (every block the identity). Arguments not modified. */
  public Trainer(TrainingSet data, TrainOptions options) {
    this.data = data;
    this.options = options;
    List<double[]> ts = new ArrayList<>();
    List<double[][]> tz = new ArrayList<>();
    List<double[]> vs = new ArrayList<>();
    List<double[][]> vz = new ArrayList<>();
    double median = medianDuration(data.train());
    this.initDecay =
        Double.isNaN(options.initDecay())
            ? TrainOptions.AUTO_DECAY_TIME_CONSTANTS / median
            : options.initDecay();
    List<Demo> resampled = new ArrayList<>(data.train().size());
    for (Demo d : data.train()) {
      resampled.add(DemoTiming.resample(d, options.fitPoints()));
    }
    // Blends come after the demos: predictions j < train().size() are the demos' own.
    List<Demo> all = new ArrayList<>(resampled);
    if (options.neighbourBlends()) {
      all.addAll(NeighbourBlends.of(resampled, data.scale(), NeighbourBlends.MIN_START_GAP));
    }
    List<Demo> fit = new ArrayList<>(all.size());
    for (Demo r : all) {
      fit.add(options.timing() == Timing.PROGRESS ? DemoTiming.progress(r, median, initDecay) : r);
    }
    this.blendCount = fit.size() - resampled.size();
    this.blendScore =
        options.blendChoice() && options.starts() > 1 ? new BlendScore(resampled) : null;
    this.fitTrain = List.copyOf(fit.subList(0, resampled.size()));
    for (Demo d : fit) {
      ts.add(d.s());
      tz.add(d.z());
    }
    for (Demo d : data.validation()) {
      vs.add(d.s());
      vz.add(d.z());
    }
    FarStarts farField =
        options.farField() > 0 && (data.isPose() || data.stateDim() <= 3)
            ? FarStarts.of(data.train(), fitTrain, ts, data.isPose() ? 3 : data.stateDim())
            : null;
    this.farStartCount = farField == null ? 0 : farField.starts().length;
    int starts = options.starts();
    layouts = new FlowLayout[starts];
    runs = new TrainingRun[starts];
    initial = new double[starts][];
    for (int i = 0; i < starts; i++) {
      long seed = options.startSeed(i);
      layouts[i] =
          new FlowLayout(
              data.stateDim(),
              data.augmentDim(),
              options.blocks(),
              options.width(),
              options.hiddenLayers(),
              options.epsilon(),
              options.clamp(),
              seed,
              options.funnel() > 0);
      FlowEngine engine = new FlowEngine(layouts[i], ts, tz, vs, vz);
      if (farField != null) {
        engine.setFarField(
            farField.starts(), farField.s(), farField.reach(), FAR_GROUPS, options.farField());
        if (options.farSpeed() > 0 && farField.peak() > 0) {
          engine.setFarSpeed(
              farField.starts(),
              farField.speedS(),
              farField.delta(),
              options.farSpeed() * farField.peak());
        }
      }
      runs[i] = new TrainingRun(engine, ts, tz, options.gradientClip());
    }
    this.initOmega =
        Double.isNaN(options.initOmega())
            ? BaseInit.omegaFromDemos(data.train(), layouts[0].oscillatoryModes, median)
            : BaseInit.spread(options.initOmega(), layouts[0].oscillatoryModes);
    this.featureScale =
        Double.isNaN(options.featureScale()) ? BaseInit.featureScale(data) : options.featureScale();
    for (int i = 0; i < starts; i++) {
      double[] init =
          FlowEngine.initialParameters(
              layouts[i],
              options.startSeed(i),
              initDecay,
              initOmega,
              featureScale,
              options.funnel());
      runs[i].engine().setParameterValues(init);
      initial[i] = init;
      runs[i].resetBest();
    }
    this.fingerprint =
        options.fingerprint(initDecay, initOmega.length == 0 ? 0.0 : initOmega[0])
            + " featureScale="
            + featureScale
            + " starts="
            + starts
            + " a="
            + data.augmentDim()
            + " kernels="
            + RowKernels.bestName()
            + " data="
            + data.contentHash();
    LOG.info(
        "trainer: d={} a={} blocks={} width={} hidden={} params={} starts={} train demos={} points={} "
            + "neighbour blends={} held-out demos={} initial decay {} omega {} feature scale {} base {}",
        data.stateDim(),
        data.augmentDim(),
        options.blocks(),
        options.width(),
        options.hiddenLayers(),
        layouts[0].size,
        starts,
        data.train().size(),
        runs[0].engine().trainingPoints(),
        blendCount,
        data.validation().size(),
        initDecay,
        java.util.Arrays.toString(initOmega),
        featureScale,
        layouts[0].isFunnel()
            ? "funnel ("
                + layouts[0].modes
                + " real modes, all but the first "
                + options.funnel()
                + "x faster)"
            : "oscillatory");
  }

  /** The value of "kernels=" in a fingerprint, or "" where it has none. */
  private static String kernelsOf(String fingerprint) {
    int i = fingerprint.indexOf(" kernels=");
    if (i < 0) {
      return "";
    }
    int from = i + " kernels=".length();
    int end = fingerprint.indexOf(' ', from);
    return fingerprint.substring(from, end < 0 ? fingerprint.length() : end);
  }

  /**
   * Continues the run saved in a checkpoint. data and options must be those of the saved run (only
   * the reporting options may differ), else IllegalArgumentException.
   */
  public static Trainer resume(Path checkpoint, TrainingSet data, TrainOptions options)
      throws IOException {
    CheckpointFile.State s = CheckpointFile.read(checkpoint);
    Trainer t = new Trainer(data, options);
    String saved = s.fingerprint();
    if (!saved.equals(t.fingerprint)) {
      String savedKernels = kernelsOf(saved);
      String current = RowKernels.bestName();
      if (!savedKernels.isEmpty()
          && !savedKernels.equals(current)
          && saved
              .replace(" kernels=" + savedKernels + " ", " kernels=" + current + " ")
              .equals(t.fingerprint)) {
        throw new IllegalArgumentException(
            "checkpoint "
                + checkpoint
                + " was written by the "
                + savedKernels
                + " row kernels and this JVM trains with the "
                + current
                + " ones; they agree to rounding, not to the bit, so the run would not continue"
                + " exactly: resume with -D"
                + RowKernels.PROPERTY
                + "="
                + savedKernels
                + " (e.g. in JAVA_OPTS)");
      }
      throw new IllegalArgumentException(
          "checkpoint "
              + checkpoint
              + " is from a different run:\n  saved:   "
              + s.fingerprint()
              + "\n  current: "
              + t.fingerprint);
    }
    if (s.runs().size() != t.runs.length) {
      throw new IllegalArgumentException(
          "checkpoint "
              + checkpoint
              + " has "
              + s.runs().size()
              + " starts, the options give "
              + t.runs.length);
    }
    for (int i = 0; i < t.runs.length; i++) {
      CheckpointFile.RunState r = s.runs().get(i);
      TrainingRun run = t.runs[i];
      run.engine().setParameterValues(r.params());
      run.adam().restore(r.adamStep(), r.m(), r.v());
      run.restore(
          r.window(),
          r.stageBestLoss(),
          r.stageBest(),
          r.bestLoss(),
          r.bestIteration(),
          r.best(),
          r.learningRateFactor(),
          r.rollbacks(),
          r.diverged(),
          r.alignedTimes());
    }
    t.iteration = s.iteration();
    LOG.info("resumed from {} at iteration {}", checkpoint, t.iteration);
    return t;
  }

  private static double medianDuration(List<Demo> demos) {
    double[] d = new double[demos.size()];
    for (int j = 0; j < d.length; j++) {
      d[j] = demos.get(j).s()[demos.get(j).points() - 1];
    }
    java.util.Arrays.sort(d);
    double m = d.length % 2 == 1 ? d[d.length / 2] : 0.5 * (d[d.length / 2 - 1] + d[d.length / 2]);
    return m > 0 ? m : 1.0;
  }

  /**
   * The first-layer feature scale the starts were initialised with (the option, or its automatic
   * value).
   */
  public double featureScale() {
    return featureScale;
  }

  /**
   * The funnel this run's base started with: the initial decay ratio of its two real modes, or 0
   * when its modes are oscillatory ({@link TrainOptions#funnel}; only a d = 2, a = 0 model has
   * one).
   */
  public double funnel() {
    return layouts[0].isFunnel() ? options.funnel() : 0.0;
  }

  /** Iterations done so far. */
  public long iteration() {
    return iteration;
  }

  public TrainOptions options() {
    return options;
  }

  /** Number of trainable parameters (of one start). */
  public int parameterCount() {
    return layouts[0].size;
  }

  /**
   * One iteration of every start (one after the other, on this thread). Returns the first start's
   * fitted loss before the update [normalised units^2]; NaN once it diverged.
   */
  public double step() {
    double first = Double.NaN;
    for (int i = 0; i < runs.length; i++) {
      double l =
          runs[i].step(iteration, options::learningRateAt, options::windowAt, options::realignsAt);
      if (i == 0) {
        first = l;
      }
    }
    iteration++;
    return first;
  }

  /** {@link #fit(ProgressListener, long)} to {@link TrainOptions#iterations()}. */
  public TrainResult fit(ProgressListener listener) throws IOException {
    return fit(listener, options.iterations());
  }

  /**
   * Runs until {@code stopAt} iterations are done in total (the schedule is always that of {@link
   * TrainOptions#iterations()}; a smaller stopAt interrupts the run as a crash would, e.g. to test
   * a resume), reporting to listener and writing checkpoints as the options say. The starts step in
   * parallel on up to min(starts, cores) threads. At the end every start holds its best iterate and
   * the best start is selected for export.
   */
  public TrainResult fit(ProgressListener listener, long stopAt) throws IOException {
    long total = options.iterations();
    long stop = Math.min(stopAt, total);
    int todo = (int) Math.max(0, stop - iteration);
    double[] curve = new double[todo];
    int[] windowCurve = new int[todo];
    long start = System.nanoTime();
    long windowStart = start;
    long windowIters = 0;
    int threads = Math.min(runs.length, Runtime.getRuntime().availableProcessors());
    ExecutorService pool =
        threads > 1
            ? Executors.newFixedThreadPool(
                threads,
                r -> {
                  Thread th = new Thread(r, "trainer-start");
                  th.setDaemon(true);
                  return th;
                })
            : null;
    try {
      for (int i = 0; i < todo; i++) {
        long it = iteration;
        double[] losses =
            forEachRun(
                pool,
                run ->
                    run.step(it, options::learningRateAt, options::windowAt, options::realignsAt));
        iteration++;
        int leader = leader();
        curve[i] = losses[leader];
        windowCurve[i] = runs[leader].window();
        windowIters++;
        boolean last = iteration == stop;
        boolean validate =
            options.validationEvery() > 0 && iteration % options.validationEvery() == 0 || last;
        double val = Double.NaN;
        double whole = Double.NaN;
        if (validate) {
          long at = iteration;
          // Whole-demo loss at the current parameters of starts still on windows: candidates for
          // the best.
          forEachRun(pool, run -> run.window() != 0 ? run.evaluateWhole(at) : run.bestLoss());
          leader = leader();
          whole = runs[leader].bestLoss();
          if (!data.validation().isEmpty()) {
            val = runs[leader].engine().validationLoss();
            lastValidation = val;
          }
        }
        if (options.checkpointEvery() > 0 && (iteration % options.checkpointEvery() == 0 || last)) {
          writeCheckpoint(options.checkpointPath());
        }
        if (iteration % options.progressEvery() == 0 || validate) {
          long now = System.nanoTime();
          double ms = (now - windowStart) / 1e6 / windowIters;
          double eta = ms * (total - iteration) / 1e3;
          Progress p =
              new Progress(iteration, total, curve[i], val, ms, eta, windowCurve[i], whole);
          LOG.debug("{}", p);
          listener.onProgress(p);
          windowStart = now;
          windowIters = 0;
        }
        if (allDiverged()) {
          LOG.warn("every start diverged by iteration {}", iteration);
          curve = java.util.Arrays.copyOf(curve, i + 1);
          windowCurve = java.util.Arrays.copyOf(windowCurve, i + 1);
          break;
        }
      }
      if (iteration == total) {
        long at = iteration;
        forEachRun(pool, run -> run.evaluateWhole(at));
      }
    } finally {
      if (pool != null) {
        pool.shutdownNow();
      }
    }
    for (TrainingRun run : runs) {
      run.restoreBest();
    }
    selected = exported();
    TrainingRun best = runs[selected];
    double seconds = (System.nanoTime() - start) / 1e9;
    LOG.info(
        "training: start {} of {} selected (seed {}), best whole-demo loss {} at iteration {}, {} rollbacks",
        selected + 1,
        runs.length,
        options.startSeed(selected),
        best.bestLoss(),
        best.bestIteration(),
        best.rollbacks());
    return new TrainResult(
        iteration,
        trainingLoss(),
        validationMse(),
        seconds,
        curve,
        windowCurve,
        best.bestIteration(),
        options.startSeed(selected),
        rollbacks(),
        allDiverged(),
        bestLosses());
  }

  /** Runs f on every start (in parallel when pool is non-null) and returns its results. */
  private double[] forEachRun(
      ExecutorService pool, java.util.function.ToDoubleFunction<TrainingRun> f) {
    double[] out = new double[runs.length];
    if (pool == null) {
      for (int i = 0; i < runs.length; i++) {
        out[i] = f.applyAsDouble(runs[i]);
      }
      return out;
    }
    List<Future<Double>> futures = new ArrayList<>(runs.length);
    for (TrainingRun run : runs) {
      futures.add(pool.submit(() -> f.applyAsDouble(run)));
    }
    for (int i = 0; i < runs.length; i++) {
      try {
        out[i] = futures.get(i).get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("training interrupted", e);
      } catch (ExecutionException e) {
        Throwable c = e.getCause();
        if (c instanceof RuntimeException re) {
          throw re;
        }
        if (c instanceof Error er) {
          throw er;
        }
        throw new IllegalStateException(c);
      }
    }
    return out;
  }

  /**
   * The start with the lowest best whole-demo loss among those that did not diverge (else start 0's
   * order).
   */
  private int leader() {
    int lead = 0;
    double bestLoss = Double.POSITIVE_INFINITY;
    for (int i = 0; i < runs.length; i++) {
      double l = runs[i].bestLoss();
      if (!runs[i].diverged() && l < bestLoss) {
        bestLoss = l;
        lead = i;
      }
    }
    return lead;
  }

  /**
   * The start to export, after every run has restored its best iterate: with {@code blendChoice}
   * the lowest blend score among the starts that did not diverge (TrainOptions.blendChoice), else
   * (or without any blend, or no finite score) the {@link #leader()}.
   */
  private int exported() {
    int lead = leader();
    if (blendScore == null || blendScore.blendCount() == 0) {
      return lead;
    }
    blendScores = new double[runs.length];
    int best = -1;
    for (int i = 0; i < runs.length; i++) {
      blendScores[i] =
          runs[i].diverged()
              ? Double.POSITIVE_INFINITY
              : blendScore.score(layouts[i], runs[i].bestParameters());
      if (blendScores[i] < Double.POSITIVE_INFINITY
          && (best < 0 || blendScores[i] < blendScores[best])) {
        best = i;
      }
    }
    LOG.info(
        "training: blend scores of the starts {} over {} blends (lower is better); loss leader {}",
        java.util.Arrays.toString(blendScores),
        blendScore.blendCount(),
        lead + 1);
    return best < 0 ? lead : best;
  }

  /**
   * Each start's blend score at its best iterate (TrainOptions.blendChoice; normalised units), as
   * the last {@link #fit} computed them; null when no score was computed (one start, the option
   * off, no blend). A copy.
   */
  public double[] blendScores() {
    return blendScores == null ? null : blendScores.clone();
  }

  private boolean allDiverged() {
    for (TrainingRun r : runs) {
      if (!r.diverged()) {
        return false;
      }
    }
    return true;
  }

  private int rollbacks() {
    int n = 0;
    for (TrainingRun r : runs) {
      n += r.rollbacks();
    }
    return n;
  }

  private double[] bestLosses() {
    double[] b = new double[runs.length];
    for (int i = 0; i < runs.length; i++) {
      b[i] = runs[i].bestLoss();
    }
    return b;
  }

  private FlowEngine engine() {
    return runs[selected].engine();
  }

  private FlowLayout layout() {
    return layouts[selected];
  }

  /** The number of far-field starts the far-field term rolls out from (0: off; TRAINING.md). */
  public int farStartCount() {
    return farStartCount;
  }

  /** The number of neighbour blends fitted beside the training demos (TRAINING.md step 1). */
  public int blendCount() {
    return blendCount;
  }

  /**
   * Whole-demo training loss of the selected start at its current parameters, at the times it fits
   * them (re-aligned to its progress once re-alignment has begun: the loss the best iterate and the
   * start were chosen by) [normalised units^2].
   */
  public double trainingLoss() {
    return runs[selected].wholeLoss();
  }

  /**
   * Held-out MSE of the selected start at its current parameters [normalised units^2]; NaN without
   * held-out demos.
   */
  public double validationMse() {
    lastValidation = engine().validationLoss();
    return lastValidation;
  }

  /** Normalised predictions z^ at every point of every training demo: [demo][point][dim]. */
  public double[][][] predictTraining() {
    // The engine also fits the neighbour blends, after the demos; they are not demos.
    return java.util.Arrays.copyOf(engine().predictions(false), fitTrain.size());
  }

  /** Normalised predictions at every point of every held-out demo: [demo][point][dim]. */
  public double[][][] predictValidation() {
    return engine().predictions(true);
  }

  /** The current parameters in the flat layout (a copy). */
  public double[] parameters() {
    return engine().parameterValues();
  }

  /** Writes the full optimiser state of every start atomically (temp file + rename). */
  public void writeCheckpoint(Path path) throws IOException {
    List<CheckpointFile.RunState> states = new ArrayList<>(runs.length);
    for (TrainingRun r : runs) {
      states.add(
          new CheckpointFile.RunState(
              r.adam().step(),
              r.engine().parameterValues(),
              r.adam().firstMoment(),
              r.adam().secondMoment(),
              r.window(),
              r.stageBestLoss(),
              r.stageBest(),
              r.bestLoss(),
              r.bestIteration(),
              r.bestParameters(),
              r.learningRateFactor(),
              r.rollbacks(),
              r.diverged(),
              r.alignedTimes()));
    }
    CheckpointFile.write(
        path, new CheckpointFile.State(fingerprint, iteration, options.seed(), states));
    LOG.debug("checkpoint {} at iteration {}", path, iteration);
  }

  /**
   * Caps the native threads ND4J uses for its ops and for BLAS (process-wide). On a small shared
   * machine 1 thread gives far steadier iteration times for the reference size (TRAINING.md); wide
   * models gain from more. Must be called before training starts.
   */
  public static void setComputeThreads(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    }
    Nd4j.getEnvironment().setMaxThreads(threads);
    Nd4j.getEnvironment().setMaxMasterThreads(threads);
    Nd4j.factory().blas().setMaxThreads(threads);
  }

  /**
   * The row kernels this JVM trains with: "vector" or "scalar" (TRAINING.md, <i>Engine design</i>).
   *
   * @throws IllegalArgumentException when -Ddiffeomotion.kernels names unknown or unavailable
   *     kernels (the message says which and why)
   */
  public static String rowKernels() {
    return RowKernels.bestName();
  }

  /**
   * The compute backend, e.g. "nd4j-native 1.0.0-M2.1 (CPU), vector row kernels": the ND4J backend
   * and the kernels of the per-row passes (TRAINING.md, <i>Backends</i>).
   */
  public static String backend() {
    Properties p = buildProperties();
    String v = p.getProperty("nd4j.version", "unknown");
    String name = Nd4j.getBackend().getClass().getSimpleName();
    return (name.toLowerCase().contains("cpu")
            ? "nd4j-native " + v + " (CPU)"
            : "nd4j-cuda-11.6 " + v + " (CUDA)")
        + ", "
        + RowKernels.bestName()
        + " row kernels";
  }

  private static Properties buildProperties() {
    Properties p = new Properties();
    try (InputStream in = Trainer.class.getResourceAsStream("build.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      LOG.warn("cannot read build.properties: {}", e.toString());
    }
    return p;
  }

  /**
   * The model artifact (every field of the schema filled) for the current parameters.
   *
   * @param name model name, 1..128 characters.
   * @param notes free text for the provenance (e.g. the command line).
   */
  public Model toModel(String name, String notes) {
    Model.Builder m = artifact(engine().parameterValues(), name);
    Instant now = Instant.now();
    Provenance.Builder prov =
        Provenance.newBuilder()
            .setDataSha256(data.dataSha256().isEmpty() ? data.contentHash() : data.dataSha256())
            .setTrainDemos(data.train().size())
            .setValidationDemos(data.validation().size())
            .setIterations(iteration)
            .setBackend(backend())
            .setCreated(
                Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()))
            .setGenerator(
                "diffeo-motion-trainer " + buildProperties().getProperty("version", "unknown"))
            .setNotes(
                (options.fingerprint(initDecay, initOmega.length == 0 ? 0.0 : initOmega[0])
                        + " featureScale="
                        + featureScale
                        + " starts="
                        + runs.length
                        + " selected seed="
                        + (options.startSeed(selected))
                        + " "
                        + notes)
                    .trim());
    prov.putMetrics("train_loss_normalised", trainingLoss());
    prov.putMetrics("train_mse", physicalMse(predictTraining(), fitTrain));
    prov.putMetrics("best_iteration", runs[selected].bestIteration());
    prov.putMetrics("rollbacks", rollbacks());
    prov.putMetrics("starts", runs.length);
    prov.putMetrics("neighbour_blends", blendCount);
    prov.putMetrics("far_field_term_starts", farStartCount);
    if (blendScores != null) {
      // The export choice's validation score of the exported start (TrainOptions.blendChoice).
      prov.putMetrics("blend_score_normalised", blendScores[selected]);
    }
    if (!data.validation().isEmpty()) {
      prov.putMetrics("validation_loss_normalised", engine().validationLoss());
      prov.putMetrics("validation_mse", physicalMse(predictValidation(), data.validation()));
    }
    return m.setProvenance(prov).build();
  }

  /**
   * The untrained model of the selected start (every block the identity, the initial base): what
   * the fit is compared with before it is exported (eval.FitCheck).
   */
  public MotionModel identityModel(String name) throws IOException {
    return MotionModel.fromProto(
        artifact(initial[selected], name)
            .setProvenance(
                Provenance.newBuilder()
                    .setNotes("untrained: the identity flow over the initial base"))
            .build());
  }

  /**
   * Every field of the artifact but the provenance, for parameters th of the selected start's
   * layout.
   */
  private Model.Builder artifact(double[] th, String name) {
    Model.Builder m =
        Model.newBuilder()
            .setName(name)
            .setStateDim(data.stateDim())
            .addAllDimensionNames(data.dimensionNames())
            .addAllDimensionUnits(data.dimensionUnits())
            .setFrameId(data.frameId())
            .setTimeScale(data.timeScale())
            .setAugmentDim(data.augmentDim())
            .setBase(FlowExport.base(layout(), th))
            .addAllBlocks(FlowExport.blocks(layout(), th));
    for (int i = 0; i < data.stateDim(); i++) {
      m.addGoal(data.goal()[i]);
      m.addScale(data.scale()[i]);
    }
    if (data.isPose()) {
      // Full poses: x, y, z then r relative to q_g; TrainingSet guarantees goal r = 0 exactly.
      PoseLayout.Builder pose = PoseLayout.newBuilder().addAllPositionDims(List.of(0, 1, 2));
      pose.addAllRotationDims(List.of(3, 4, 5));
      for (double v : data.goalOrientation()) {
        pose.addGoalOrientation(v);
      }
      m.setPose(pose);
    }
    return m;
  }

  /** Tolerance of the export cross-check, relative to max(1, |z^|) in normalised units. */
  public static final double EXPORT_TOLERANCE = 1e-6;

  /**
   * Builds the model artifact for the current parameters, validates it with the model module, and
   * checks that the model module's closed-form rollout from each demo's start (training and
   * held-out) reproduces this trainer's own predictions: for every point, max_i |y_model -
   * y_trainer|_i / sigma_i <= EXPORT_TOLERANCE * max(1, |z^|_inf).
   *
   * @throws IllegalStateException when the cross-check fails (the export is refused)
   * @throws org.diffeomotion.model.ModelFormatException when the model module rejects the artifact
   */
  public MotionModel export(String name, String notes) throws IOException {
    MotionModel model = MotionModel.fromProto(toModel(name, notes));
    double worst =
        Math.max(
            crossCheck(model, fitTrain, predictTraining()),
            crossCheck(model, data.validation(), predictValidation()));
    if (!(worst <= EXPORT_TOLERANCE)) {
      throw new IllegalStateException(
          "export refused: the model module's rollout differs from the trainer's "
              + "predictions by "
              + worst
              + " (relative, normalised units), tolerance "
              + EXPORT_TOLERANCE);
    }
    LOG.info(
        "export cross-check: worst relative difference {} over {} demos",
        worst,
        data.train().size() + data.validation().size());
    return model;
  }

  /** {@link #export}, then writes the model file atomically with the model module's writer. */
  public MotionModel export(Path file, String name, String notes) throws IOException {
    MotionModel model = export(name, notes);
    ModelArtifacts.write(model, file);
    LOG.info("wrote model {} ({} iterations) to {}", name, iteration, file);
    return model;
  }

  private double crossCheck(MotionModel model, List<Demo> demos, double[][][] pred) {
    int d = data.stateDim();
    double worst = 0;
    int maxPoints = 1;
    for (Demo dm : demos) {
      maxPoints = Math.max(maxPoints, dm.points());
    }
    Rollout rollout = new Rollout(model, maxPoints);
    for (int j = 0; j < demos.size(); j++) {
      Demo dm = demos.get(j);
      int n = dm.points();
      double[] y0 = new double[d];
      double[] times = new double[n];
      for (int i = 0; i < d; i++) {
        y0[i] = data.goal()[i] + data.scale()[i] * dm.z()[0][i];
      }
      for (int i = 0; i < n; i++) {
        times[i] = dm.s()[i] * data.timeScale();
      }
      double[] out = new double[n * d];
      rollout.rollout(y0, times, n, out);
      for (int i = 0; i < n; i++) {
        double mag = 1.0;
        double err = 0;
        for (int c = 0; c < d; c++) {
          double zm = (out[i * d + c] - data.goal()[c]) / data.scale()[c];
          mag = Math.max(mag, Math.abs(pred[j][i][c]));
          err = Math.max(err, Math.abs(zm - pred[j][i][c]));
        }
        worst = Math.max(worst, err / mag);
      }
    }
    return worst;
  }

  /** Mean over points and dimensions of (sigma (z^ - z))^2 [squared dimension units]. */
  private double physicalMse(double[][][] pred, List<Demo> demos) {
    double sum = 0;
    long n = 0;
    for (int j = 0; j < demos.size(); j++) {
      double[][] z = demos.get(j).z();
      for (int i = 0; i < z.length; i++) {
        for (int c = 0; c < data.stateDim(); c++) {
          double e = data.scale()[c] * (pred[j][i][c] - z[i][c]);
          sum += e * e;
          n++;
        }
      }
    }
    return sum / n;
  }
}
