package org.diffeomotion.trainer.fit.internal;

import static org.diffeomotion.trainer.fit.internal.Nd4jArrays.fOrder;
import static org.diffeomotion.trainer.fit.internal.Nd4jArrays.matrix;

import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The differentiable model and its loss: the coupling flow F ({@link FlowPasses}, batched ND4J),
 * its inverse for the demo starts and c = F(0) ({@link ScalarFlow}, plain Java), the stable linear
 * base ({@link BaseModes}), and the full-batch loss with an explicit reverse-mode gradient
 * (TRAINING.md derives it).
 *
 * <p>All trainable numbers are views into one flat {@link #params() parameter vector}; the gradient
 * has the same layout. All points of all demos (N rows) go through F as one batch of ND4J ops whose
 * intermediate arrays are allocated once, in the constructor; an iteration runs a fixed sequence of
 * a few hundred such ops. The two tiny batches - c = F(0) (1 row) and the inverse pass of the demo
 * starts (J rows) - run in plain Java, where ND4J's per-op overhead would dominate.
 *
 * <p>Not thread-safe.
 */
public final class FlowEngine {

  private final FlowLayout layout;
  private final INDArray params;
  private final INDArray grads;
  private final FlowPasses passes;
  private final BaseModes base;
  private final INDArray mask;
  private final ScalarFlow scalar;

  /** c = F(0), computed in plain Java (one row). */
  private final ScalarFlow.Pass cPass;

  private final INDArray cRow;
  private final INDArray gc;

  /** Snapshot of the parameters for the plain-Java passes, and their gradient contribution. */
  private double[] theta;

  private final double[] gScalar;
  private final DemoSet train;
  private final DemoSet validation;

  /**
   * What {@link #lossAndGradient()} fits: the training demos, or shooting windows cut from them.
   */
  private DemoSet fit;

  private double gradientNorm = Double.NaN;

  /** The far-field term's groups of starts (null: none), their reaches, weight, current group. */
  private DemoSet[] farSets;

  private double[][] farReach;
  private double farWeight;
  private int farGroup;
  private double[] gFar;

  /** The far-field speed hinge's groups (null: none; same starts as farSets), step and cap. */
  private DemoSet[] speedSets;

  private double speedDelta;
  private double speedCap;

  /** Which implementation evaluates the loss: see {@link #usesRows}. */
  enum Path {
    /** the row path up to {@link #rowPathMaxPoints} points, the batched one above. */
    AUTO,
    /** always the batched ND4J pass. */
    BATCHED,
    /** always the plain-Java row path. */
    ROWS
  }

  /**
   * Largest set the AUTO path evaluates one point at a time in plain Java ({@link RowLoss}) with
   * the scalar kernels, or on a GPU backend; larger sets go through the batched ND4J pass. Measured
   * (one thread, 6 blocks x 64; TRAINING.md "Engine design"): the scalar row path is linear in the
   * points and faster than the batched pass up to about this size on the CPU backend. With the
   * vector kernels on the CPU backend the row path is about 3x faster than the batched pass at
   * every size measured (100 to 8000 points), so there it has no limit.
   */
  static final int ROW_PATH_MAX_POINTS = 1000;

  /** The AUTO path's limit for these kernels on this ND4J backend (see ROW_PATH_MAX_POINTS). */
  static int rowPathMaxPoints(RowKernels kernels) {
    boolean cpu = Nd4j.getBackend().getClass().getSimpleName().toLowerCase().contains("cpu");
    return cpu && kernels.name().equals("vector") ? Integer.MAX_VALUE : ROW_PATH_MAX_POINTS;
  }

  private final int rowPathMaxPoints;

  private Path path = Path.AUTO;

  private final RowLoss rows;

  /**
   * @param trainS per training demo, normalised times s (s[0] = 0). Not modified.
   * @param trainZ per training demo, normalised states (n x d, d = layout.stateDim). Not modified.
   * @param validS the same for held-out demos; may be empty.
   * @param validZ the same for held-out demos; may be empty.
   */
  public FlowEngine(
      FlowLayout layout,
      List<double[]> trainS,
      List<double[][]> trainZ,
      List<double[]> validS,
      List<double[][]> validZ) {
    this(layout, trainS, trainZ, validS, validZ, RowKernels.best());
  }

  /** As the public constructor, with the given kernels for the plain-Java passes (benchmarks). */
  FlowEngine(
      FlowLayout layout,
      List<double[]> trainS,
      List<double[][]> trainZ,
      List<double[]> validS,
      List<double[][]> validZ,
      RowKernels kernels) {
    // ND4J's default data types are process-wide global state (every array created without
    // an explicit type, in any thread, in any user of ND4J in this JVM). They are set here,
    // where an engine is created, rather than in a static initialiser that would change them
    // as a side effect of merely loading this class. The engine creates its arrays as
    // DOUBLE explicitly; the default makes the ops' scalar and result arrays double too.
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    this.layout = layout;
    int dim = layout.dim;
    params = Nd4j.create(DataType.DOUBLE, layout.size);
    grads = Nd4j.create(DataType.DOUBLE, layout.size);
    passes = new FlowPasses(layout, params, grads);
    base = new BaseModes(layout, params, grads);
    double[][] mk = new double[1][dim];
    for (int i = 0; i < layout.stateDim; i++) {
      mk[0][i] = 1.0;
    }
    mask = fOrder(mk);
    scalar = new ScalarFlow(layout, kernels);
    rowPathMaxPoints = rowPathMaxPoints(kernels);
    rows = new RowLoss(layout, scalar);
    cPass = new ScalarFlow.Pass(layout, 1);
    cRow = matrix(1, dim);
    gc = matrix(1, dim);
    gScalar = new double[layout.size];
    train = new DemoSet(layout, passes, trainS, trainZ);
    validation = validS.isEmpty() ? null : new DemoSet(layout, passes, validS, validZ);
    fit = train;
  }

  /**
   * Makes {@link #lossAndGradient()} fit these segments instead of the whole training demos: each
   * segment is rolled out from its own first state, so short segments (shooting windows) give a
   * local loss. Allocates the segments' buffers (call it when the schedule changes, not every
   * iteration). null restores the whole demos.
   *
   * @param s per segment, times relative to its first sample (s[0] = 0). Not modified.
   * @param z per segment, states (n x d); z[0] is the segment's start. Not modified.
   */
  public void setFitSegments(List<double[]> s, List<double[][]> z) {
    fit = s == null ? train : new DemoSet(layout, passes, s, z);
  }

  /** Rows (points) of the set {@link #lossAndGradient()} fits now. */
  public int fitPoints() {
    return fit.points;
  }

  /**
   * The parameters the last loss evaluation used (live array, overwritten by the next one; copy to
   * keep). Saves a copy out of ND4J when a run keeps its best iterate.
   */
  public double[] evaluatedParameters() {
    return theta;
  }

  /** Multiplies the gradient by f (clipping). */
  public void scaleGradient(double f) {
    grads.muli(f);
  }

  /** Euclidean norm of the gradient that the last {@link #lossAndGradient()} wrote. */
  public double gradientNorm() {
    return gradientNorm;
  }

  public FlowLayout layout() {
    return layout;
  }

  /** The flat parameter vector (live view; see {@link FlowLayout} for the layout). */
  public INDArray params() {
    return params;
  }

  /** The flat gradient written by {@link #lossAndGradient()} (live view). */
  public INDArray gradient() {
    return grads;
  }

  public double[] parameterValues() {
    return params.toDoubleVector();
  }

  /** Replaces all parameters. values: length layout.size; not modified. */
  public void setParameterValues(double[] values) {
    if (values.length != layout.size) {
      throw new IllegalArgumentException(
          "parameters: expected " + layout.size + " values, got " + values.length);
    }
    params.assign(Nd4j.createFromArray(values));
  }

  /**
   * Initial parameters: hidden layers LeCun-normal weights and N(0, 0.5^2) biases, last layers zero
   * (every block starts as the identity), decay parameters p near sqrt(initDecay - eps),
   * frequencies spread over (0, initOmega].
   */
  public static double[] initialParameters(
      FlowLayout lay, long seed, double initDecay, double initOmega) {
    return initialParameters(
        lay, seed, initDecay, BaseInit.spread(initOmega, lay.oscillatoryModes), 1.0);
  }

  /**
   * Initial parameters: hidden weights LeCun-normal (std sqrt(1/fan_in)), the first layer's scaled
   * by featureScale and its biases N(0, (featureScale/2)^2), later hidden biases N(0, 0.5^2); last
   * layers zero (every block starts as the identity); decay parameters p near sqrt(initDecay -
   * eps); each oscillatory mode's frequency as given (jittered by 5 %).
   *
   * <p>featureScale sets how sharp the first layer's tanh features are over the normalised state
   * (about [-1, 1]): at 1 each feature is nearly linear there and the nets can bend a path only
   * gently; larger values put the features' transitions at spread positions inside the demonstrated
   * region, so that sharp turns are within reach of the first gradient steps.
   *
   * @param omega initial frequency per oscillatory mode [rad per normalised time]. Not modified.
   * @param featureScale > 0, multiplies the first hidden layer's initial weights and biases.
   */
  public static double[] initialParameters(
      FlowLayout lay, long seed, double initDecay, double[] omega, double featureScale) {
    return initialParameters(lay, seed, initDecay, omega, featureScale, 1.0);
  }

  /**
   * As {@link #initialParameters(FlowLayout, long, double, double[], double)}; for a funnel layout
   * ({@link FlowLayout#isFunnel}) every real mode but the first starts {@code funnel} times faster
   * than the first, so that base paths from nearby starts close up onto the slow mode's axis.
   *
   * @param funnel initial decay of the funnel's fast modes over the first's, >= 1 (unused, and may
   *     be 0, for a layout without a funnel).
   */
  public static double[] initialParameters(
      FlowLayout lay,
      long seed,
      double initDecay,
      double[] omega,
      double featureScale,
      double funnel) {
    if (omega.length != lay.oscillatoryModes) {
      throw new IllegalArgumentException(
          "omega: " + lay.oscillatoryModes + " modes, got " + omega.length);
    }
    SplittableRandom rng = new SplittableRandom(seed);
    double[] v = new double[lay.size];
    for (int k = 0; k < lay.blocks; k++) {
      for (FlowLayout.Dense[] net : new FlowLayout.Dense[][] {lay.netA[k], lay.netB[k]}) {
        for (int l = 0; l < net.length - 1; l++) {
          FlowLayout.Dense d = net[l];
          double std = Math.sqrt(1.0 / d.in()) * (l == 0 ? featureScale : 1.0);
          for (int i = 0; i < d.in() * d.out(); i++) {
            v[d.weightOffset() + i] = std * gaussian(rng);
          }
          for (int i = 0; i < d.out(); i++) {
            v[d.biasOffset() + i] = (l == 0 ? 0.5 * featureScale : 0.5) * gaussian(rng);
          }
        }
      }
    }
    double p0 = Math.sqrt(Math.max(initDecay - lay.epsilon, 1e-6));
    double pFast = Math.sqrt(Math.max(funnel * initDecay - lay.epsilon, 1e-6));
    for (int j = 0; j < lay.modes; j++) {
      double p = lay.isFunnel() && j >= 1 ? pFast : p0;
      v[lay.pOffset + j] = p * (1.0 + 0.05 * gaussian(rng));
    }
    for (int j = 0; j < lay.oscillatoryModes; j++) {
      v[lay.omegaOffset + j] = omega[j] * (1.0 + 0.05 * gaussian(rng));
    }
    return v;
  }

  private static double gaussian(SplittableRandom rng) {
    // Box-Muller on the seeded stream: reproducible on every JVM, unlike nextGaussian's caching.
    double u1 = 1.0 - rng.nextDouble();
    double u2 = rng.nextDouble();
    return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
  }

  // ---------------------------------------------------------------------------------------
  // Loss.

  /** Chooses the implementation (tests compare them; the default is AUTO). */
  void usePath(Path p) {
    path = p;
  }

  /** Whether ds is evaluated by the plain-Java row path. */
  boolean usesRows(DemoSet ds) {
    return switch (path) {
      case ROWS -> true;
      case BATCHED -> false;
      case AUTO -> ds.points <= rowPathMaxPoints;
    };
  }

  /** x0 = F^-1(z0 + c) for every demo start of ds (plain Java, activations kept in ds.starts). */
  private void invertStarts(DemoSet ds) {
    int kk = layout.blocks;
    double[] c = cPass.state[kk][0];
    for (int j = 0; j < ds.demos; j++) {
      for (int i = 0; i < layout.dim; i++) {
        ds.starts.state[kk][j][i] = ds.z0[j][i] + c[i];
      }
    }
    scalar.inverse(theta, ds.starts);
  }

  /** theta from the parameters and c = F(0) (plain Java, in cPass). */
  private void prepare() {
    theta = params.toDoubleVector();
    java.util.Arrays.fill(cPass.state[0][0], 0.0);
    scalar.forward(theta, cPass);
  }

  /**
   * Predictions for all points of ds into ds.all.states[K] (F(x), without - c) and the masked
   * residual.
   */
  private double evaluate(DemoSet ds) {
    invertStarts(ds);
    if (usesRows(ds)) {
      return rows.evaluate(theta, ds, cPass, null, null);
    }
    int kk = layout.blocks;
    // only the batched pass needs c and the modes' alpha, omega as ND4J rows
    cRow.assign(Nd4j.createFromArray(cPass.state[kk]));
    base.prepare();
    ds.x0.assign(Nd4j.createFromArray(ds.starts.state[0]));
    Nd4j.gemm(ds.sel, ds.x0, ds.x0r, false, false, 1.0, 0.0);
    base.propagate(ds);
    passes.forward(ds.all);
    ds.all.states[kk].sub(ds.z, ds.resid);
    ds.resid.subiRowVector(cRow);
    ds.resid.muliRowVector(mask);
    return Nd4j.getBlasWrapper().dot(ds.resid, ds.resid) / ((double) ds.points * layout.stateDim);
  }

  /**
   * Training loss: mean over all points of all training demos and the first d dims of (z^ - z)^2.
   */
  public double loss() {
    prepare();
    return evaluate(train);
  }

  /**
   * Adds the far-field hinge to {@link #lossAndGradient()}'s gradient (TrainOptions.farField): the
   * starts are split into {@code groups} interleaved groups, one of which ({@link #selectFarGroup})
   * is rolled out at the times s per call; each rollout point beyond its start's reach from the
   * goal adds weight times max(0, |z^| - reach)^2 / stateDim, averaged over the group's points.
   * Allocates the groups' buffers (call once).
   *
   * @param starts far starts, normalised (stateDim wide). Not modified.
   * @param s rollout times, normalised, all > 0. Not modified.
   * @param reach per start, the distance from the goal beyond which the hinge acts. Not modified.
   */
  public void setFarField(
      double[][] starts, double[] s, double[] reach, int groups, double weight) {
    int g = Math.min(groups, starts.length);
    farSets = new DemoSet[g];
    farReach = new double[g][];
    for (int k = 0; k < g; k++) {
      List<double[]> ss = new java.util.ArrayList<>();
      List<double[][]> zz = new java.util.ArrayList<>();
      List<Double> rr = new java.util.ArrayList<>();
      for (int i = k; i < starts.length; i += g) {
        double[][] z = new double[s.length][];
        java.util.Arrays.fill(z, starts[i]);
        ss.add(s);
        zz.add(z);
        rr.add(reach[i]);
      }
      farSets[k] = new DemoSet(layout, passes, ss, zz);
      farReach[k] = rr.stream().mapToDouble(Double::doubleValue).toArray();
    }
    farWeight = weight;
    farGroup = 0;
    gFar = new double[layout.size];
  }

  /**
   * Adds the far-field speed hinge to the far-field term ({@link #setFarField}, called first, with
   * the same starts): each start of the current group is also rolled out at the pairs of times (s,
   * s + delta), and a pair whose secant speed exceeds cap adds weight times (speed / cap - 1)^2 /
   * stateDim, averaged over the group's pairs. Why: the position hinge bounds how far a far start
   * goes, not how fast (a funnel's fast mode raced far starts in at 20-100 times the demos' speed;
   * trainer/BENCHMARK.md, The far field). Allocates the groups' buffers (call once).
   *
   * @param starts the far starts given to {@link #setFarField}. Not modified.
   * @param s the first time of each pair, normalised, >= 0. Not modified.
   * @param delta the pairs' time step, > 0 [normalised time].
   * @param cap the speed allowed, > 0 [normalised units per normalised time].
   */
  public void setFarSpeed(double[][] starts, double[] s, double delta, double cap) {
    if (farSets == null) {
      throw new IllegalStateException("setFarSpeed needs setFarField first");
    }
    if (!(delta > 0) || !(cap > 0) || s.length == 0) {
      throw new IllegalArgumentException(
          "far-field speed: delta " + delta + ", cap " + cap + ", " + s.length + " times");
    }
    int g = farSets.length;
    double[] pairs = new double[2 * s.length];
    for (int i = 0; i < s.length; i++) {
      pairs[2 * i] = s[i];
      pairs[2 * i + 1] = s[i] + delta;
    }
    speedSets = new DemoSet[g];
    for (int k = 0; k < g; k++) {
      List<double[]> ss = new java.util.ArrayList<>();
      List<double[][]> zz = new java.util.ArrayList<>();
      for (int i = k; i < starts.length; i += g) {
        double[][] z = new double[pairs.length][];
        java.util.Arrays.fill(z, starts[i]);
        ss.add(pairs);
        zz.add(z);
      }
      speedSets[k] = new DemoSet(layout, passes, ss, zz);
    }
    speedDelta = delta;
    speedCap = cap;
  }

  /** The far-field group the next {@link #lossAndGradient()} uses: iteration mod groups. */
  public void selectFarGroup(long iteration) {
    if (farSets != null) {
      farGroup = (int) Math.floorMod(iteration, (long) farSets.length);
    }
  }

  /**
   * The far-field term (weight included) of the current group at the current parameters; 0 when
   * there is none [normalised units^2].
   */
  public double farFieldLoss() {
    if (farSets == null) {
      return 0.0;
    }
    prepare();
    invertStarts(farSets[farGroup]);
    double loss = rows.evaluate(theta, farSets[farGroup], cPass, null, null, farReach[farGroup]);
    if (speedSets != null) {
      DemoSet ss = speedSets[farGroup];
      invertStarts(ss);
      loss += rows.evaluateSpeed(theta, ss, cPass, null, speedDelta, speedCap);
    }
    return farWeight * loss;
  }

  /** Adds the far-field term's gradient of the current group to gScalar (after the fit's). */
  private void addFarField() {
    if (farSets == null) {
      return;
    }
    DemoSet fs = farSets[farGroup];
    invertStarts(fs);
    java.util.Arrays.fill(gFar, 0.0);
    rows.evaluate(theta, fs, cPass, gFar, null, farReach[farGroup]);
    if (speedSets != null) {
      DemoSet ss = speedSets[farGroup];
      invertStarts(ss);
      rows.evaluateSpeed(theta, ss, cPass, gFar, speedDelta, speedCap);
    }
    for (int i = 0; i < gFar.length; i++) {
      gScalar[i] += farWeight * gFar[i];
    }
  }

  /** The loss of the fitted set (training demos or segments) at the current parameters. */
  public double fitLoss() {
    prepare();
    return evaluate(fit);
  }

  /** The same mean squared error on the held-out demos; NaN when there are none. */
  public double validationLoss() {
    if (validation == null) {
      return Double.NaN;
    }
    prepare();
    return evaluate(validation);
  }

  /**
   * The loss of the fitted set (the training demos unless {@link #setFitSegments} chose windows),
   * and its gradient with respect to every parameter into {@link #gradient()}; with {@link
   * #setFarField} the gradient also holds the far-field term's ({@link #farFieldLoss()}, not in the
   * returned loss: best iterates and spikes are judged on the fit alone).
   */
  public double lossAndGradient() {
    int kk = layout.blocks;
    prepare();
    DemoSet ds = fit;
    if (usesRows(ds)) {
      invertStarts(ds);
      java.util.Arrays.fill(gScalar, 0.0);
      double loss = rows.evaluate(theta, ds, cPass, gScalar, null);
      addFarField();
      grads.assign(Nd4j.createFromArray(gScalar));
      double n2 = 0;
      for (double v : gScalar) {
        n2 += v * v;
      }
      gradientNorm = Math.sqrt(n2);
      return loss;
    }
    grads.assign(0.0);
    double loss = evaluate(ds);
    FlowPasses.Batch all = ds.all;
    INDArray gOut = all.gStates[kk];
    ds.resid.mul(2.0 / ((double) ds.points * layout.stateDim), gOut);
    // z^ = F(x) - c
    Nd4j.gemm(all.ones, gOut, gc, false, false, -1.0, 0.0);
    passes.forwardBackward(all);
    // the base: gradients of p and omega, and dL/dx0r into ds.tmp2
    base.backward(ds);
    // x0r = sel x0: sum each demo's points into its start
    Nd4j.gemm(ds.sel, ds.tmp2, ds.gx0, true, false, 1.0, 0.0);
    // x0 = F^-1(z0 + c), in plain Java
    double[][] gx0 = ds.gx0.toDoubleMatrix();
    for (int j = 0; j < ds.demos; j++) {
      System.arraycopy(gx0[j], 0, ds.starts.grad[0][j], 0, layout.dim);
    }
    java.util.Arrays.fill(gScalar, 0.0);
    scalar.inverseBackward(theta, ds.starts, gScalar);
    double[] gcv = gc.toDoubleVector();
    for (int j = 0; j < ds.demos; j++) {
      for (int i = 0; i < layout.dim; i++) {
        gcv[i] += ds.starts.grad[kk][j][i];
      }
    }
    // c = F(0)
    System.arraycopy(gcv, 0, cPass.grad[kk][0], 0, layout.dim);
    scalar.forwardBackward(theta, cPass, gScalar);
    addFarField();
    grads.addi(Nd4j.createFromArray(gScalar));
    gradientNorm = grads.norm2Number().doubleValue();
    return loss;
  }

  /**
   * Normalised predictions z^(s_i) of every point of every training demo (validation: the held-out
   * demos), as [demo][point][dim < d]. Runs a forward evaluation.
   */
  public double[][][] predictions(boolean held) {
    DemoSet ds = held ? validation : train;
    if (ds == null) {
      return new double[0][][];
    }
    prepare();
    double[][] all;
    if (usesRows(ds)) {
      invertStarts(ds);
      all = new double[ds.points][layout.stateDim];
      rows.evaluate(theta, ds, cPass, null, all);
    } else {
      evaluate(ds);
      all = ds.all.states[layout.blocks].subRowVector(cRow).toDoubleMatrix();
    }
    double[][][] out = new double[ds.demos][][];
    for (int j = 0; j < ds.demos; j++) {
      out[j] = new double[ds.length[j]][layout.stateDim];
      for (int i = 0; i < ds.length[j]; i++) {
        System.arraycopy(all[ds.start[j] + i], 0, out[j][i], 0, layout.stateDim);
      }
    }
    return out;
  }

  /** Number of points (rows of the big batch) of the training set. */
  public int trainingPoints() {
    return train.points;
  }
}
