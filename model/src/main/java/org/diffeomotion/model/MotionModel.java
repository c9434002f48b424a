package org.diffeomotion.model;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.diffeomotion.model.internal.AffineCouplingBlock;
import org.diffeomotion.model.internal.CouplingFlow;
import org.diffeomotion.model.internal.FloatKernels;
import org.diffeomotion.model.internal.FlowWorkspace;
import org.diffeomotion.model.internal.Kernels;
import org.diffeomotion.model.internal.StableLinearBase;
import org.diffeomotion.model.internal.TanhMlp;
import org.diffeomotion.proto.model.v1.DenseLayer;
import org.diffeomotion.proto.model.v1.Mode;
import org.diffeomotion.proto.model.v1.Model;
import org.diffeomotion.proto.model.v1.Provenance;

/**
 * A validated, immutable learned stable motion model (DESIGN.md section 2): state {@code y} in R^d,
 * goal {@code g}, scale {@code sigma}, time scale {@code tau}, a stable linear base and a
 * coupling-flow diffeomorphism F of R^D, D = d + a. Thread-safe; evaluate it through per-thread
 * evaluators: {@link Rollout}, {@link VelocityField}, {@link FlowEvaluator}.
 */
public final class MotionModel {
  /** Largest D accepted: bounds scratch memory per evaluator. */
  public static final int MAX_DIM = 1024;

  /** Largest layer width accepted. */
  public static final int MAX_WIDTH = 4096;

  /** Largest number of coupling blocks accepted. */
  public static final int MAX_BLOCKS = 256;

  /**
   * Range of the soft clamp c on the log-scales: below, 1/c overflows or the block cannot scale at
   * all; above, exp(c) per half-block overflows long before a state is extreme.
   */
  public static final double MIN_CLAMP = 1e-3;

  public static final double MAX_CLAMP = 20.0;

  /**
   * Smallest epsilon: the slowest decay rate must be a rate, not a rounding residue (1e-6 per tau
   * is a time constant of a million time scales; DESIGN.md: "not 1e-10").
   */
  public static final double MIN_EPSILON = 1e-6;

  /** Range of the time scale tau [s]. */
  public static final double MIN_TIME_SCALE = 1e-6;

  public static final double MAX_TIME_SCALE = 1e6;

  private final Model proto;
  private final int stateDim;
  private final int augmentDim;
  private final double[] goal;
  private final double[] scale;
  private final double timeScale;
  private final StableLinearBase base;
  private final CouplingFlow flow;
  // c = F(0) per kernel family, computed once per model and shared read-only by every evaluator
  // (Rollout, VelocityField, FlowEvaluator). One per family, because the scalar and the vector
  // kernels round differently in the last bits, and the goal is an exact equilibrium only when
  // c comes from the same kernels as the evaluator's own F.
  private final Object anchorLock = new Object();
  private final java.util.Map<String, double[]> anchors = new java.util.HashMap<>();

  private MotionModel(Model proto, StableLinearBase base, CouplingFlow flow) {
    this.proto = proto;
    this.stateDim = proto.getStateDim();
    this.augmentDim = proto.getAugmentDim();
    this.goal = toArray(proto.getGoalList());
    this.scale = toArray(proto.getScaleList());
    this.timeScale = proto.getTimeScale();
    this.base = base;
    this.flow = flow;
  }

  /**
   * Validates a model message and builds the evaluable model.
   *
   * @throws ModelFormatException naming the first field that is missing, inconsistent, non-finite
   *     or unstable
   */
  public static MotionModel fromProto(Model m) throws ModelFormatException {
    int d = m.getStateDim();
    if (m.getName().isEmpty() || m.getName().length() > 128) {
      throw new ModelFormatException(
          "name", "must be 1..128 characters, got " + m.getName().length());
    }
    if (d < 1 || d > MAX_DIM) {
      throw new ModelFormatException("state_dim", "must be in 1.." + MAX_DIM + ", got " + d);
    }
    int a = m.getAugmentDim();
    if (a > MAX_DIM - d) {
      throw new ModelFormatException(
          "augment_dim",
          "state_dim + augment_dim must be <= " + MAX_DIM + ", got " + d + " + " + a);
    }
    int dim = d + a;
    if (dim < 2) {
      throw new ModelFormatException(
          "augment_dim",
          "a 1-D state needs augment_dim >= 1 " + "(the coupling needs D >= 2), got 0");
    }
    checkCount("dimension_names", m.getDimensionNamesCount(), d);
    checkCount("dimension_units", m.getDimensionUnitsCount(), d);
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < d; i++) {
      String n = m.getDimensionNames(i);
      if (n.isEmpty()) {
        throw new ModelFormatException("dimension_names[" + i + "]", "is empty");
      }
      if (!seen.add(n)) {
        throw new ModelFormatException("dimension_names[" + i + "]", "'" + n + "' is repeated");
      }
      if (m.getDimensionUnits(i).isEmpty()) {
        throw new ModelFormatException("dimension_units[" + i + "]", "is empty");
      }
    }
    checkCount("goal", m.getGoalCount(), d);
    checkCount("scale", m.getScaleCount(), d);
    for (int i = 0; i < d; i++) {
      checkFinite("goal[" + i + "]", m.getGoal(i));
      double s = m.getScale(i);
      checkFinite("scale[" + i + "]", s);
      if (!(s > 0)) {
        throw new ModelFormatException("scale[" + i + "]", "must be > 0, got " + s);
      }
    }
    double tau = m.getTimeScale();
    checkFinite("time_scale", tau);
    if (!(tau >= MIN_TIME_SCALE && tau <= MAX_TIME_SCALE)) {
      throw new ModelFormatException(
          "time_scale",
          "must be in [" + MIN_TIME_SCALE + ", " + MAX_TIME_SCALE + "] s (and > 0), got " + tau);
    }
    if (m.hasPose()) {
      checkPose(m);
    }
    StableLinearBase base = readBase(m, dim);
    if (m.getBlocksCount() > MAX_BLOCKS) {
      throw new ModelFormatException(
          "blocks", "at most " + MAX_BLOCKS + " blocks, got " + m.getBlocksCount());
    }
    AffineCouplingBlock[] blocks = new AffineCouplingBlock[m.getBlocksCount()];
    for (int b = 0; b < blocks.length; b++) {
      blocks[b] = readBlock(m.getBlocks(b), "blocks[" + b + "]", dim);
    }
    MotionModel model = new MotionModel(m, base, new CouplingFlow(dim, blocks));
    double[] c = model.anchor(Kernels.best());
    for (int i = 0; i < dim; i++) {
      if (!Double.isFinite(c[i])) {
        throw new ModelFormatException(
            "blocks",
            "F(0) is not finite (component " + i + " = " + c[i] + "): the weights overflow");
      }
    }
    return model;
  }

  /** Largest |norm - 1| of a stored goal orientation (it is normalised when read). */
  public static final double MAX_ORIENTATION_NORM_ERROR = 1e-6;

  private static void checkPose(Model m) throws ModelFormatException {
    org.diffeomotion.proto.model.v1.PoseLayout p = m.getPose();
    if (m.getStateDim() != 6) {
      throw new ModelFormatException(
          "state_dim",
          "a pose model has state_dim 6 (x, y, z, r_x, r_y, r_z), got " + m.getStateDim());
    }
    if (m.getAugmentDim() != 0) {
      throw new ModelFormatException(
          "augment_dim", "a pose model has no augmentation dimensions, got " + m.getAugmentDim());
    }
    boolean[] used = new boolean[6];
    checkPoseDims("pose.position_dims", p.getPositionDimsList(), used, m, "m");
    checkPoseDims("pose.rotation_dims", p.getRotationDimsList(), used, m, "rad");
    for (int k = 0; k < 3; k++) {
      int i = p.getRotationDims(k);
      if (m.getGoal(i) != 0) {
        throw new ModelFormatException(
            "goal[" + i + "]",
            "is "
                + m.getGoal(i)
                + " but must be 0: the rotation vector is relative to"
                + " pose.goal_orientation, so the goal orientation is r = 0");
      }
    }
    if (p.getGoalOrientationCount() != 4) {
      throw new ModelFormatException(
          "pose.goal_orientation",
          "has " + p.getGoalOrientationCount() + " values, expected 4 (x, y, z, w)");
    }
    double n2 = 0;
    for (int k = 0; k < 4; k++) {
      checkFinite("pose.goal_orientation[" + k + "]", p.getGoalOrientation(k));
      n2 += p.getGoalOrientation(k) * p.getGoalOrientation(k);
    }
    if (!(Math.abs(Math.sqrt(n2) - 1) <= MAX_ORIENTATION_NORM_ERROR)) {
      throw new ModelFormatException(
          "pose.goal_orientation",
          "has norm "
              + Math.sqrt(n2)
              + ", expected a unit quaternion (within "
              + MAX_ORIENTATION_NORM_ERROR
              + ")");
    }
  }

  private static void checkPoseDims(
      String field, List<Integer> dims, boolean[] used, Model m, String unit)
      throws ModelFormatException {
    if (dims.size() != 3) {
      throw new ModelFormatException(field, "has " + dims.size() + " values, expected 3");
    }
    for (int k = 0; k < 3; k++) {
      int v = dims.get(k);
      if (v < 0 || v >= 6 || used[v]) {
        throw new ModelFormatException(
            field + "[" + k + "]",
            "= " + Integer.toUnsignedString(v) + " is outside 0..5 or used twice");
      }
      used[v] = true;
      if (!unit.equals(m.getDimensionUnits(v))) {
        throw new ModelFormatException(
            "dimension_units[" + v + "]",
            "is '"
                + m.getDimensionUnits(v)
                + "', a pose model's "
                + field.substring(5)
                + " are in '"
                + unit
                + "'");
      }
    }
  }

  private static StableLinearBase readBase(Model m, int dim) throws ModelFormatException {
    if (!m.hasBase()) {
      throw new ModelFormatException("base", "is missing");
    }
    double eps = m.getBase().getEpsilon();
    checkFinite("base.epsilon", eps);
    if (!(eps >= MIN_EPSILON)) {
      throw new ModelFormatException(
          "base.epsilon",
          "must be > 0 and >= " + MIN_EPSILON + " (it bounds the slowest decay rate), got " + eps);
    }
    List<Mode> modes = m.getBase().getModesList();
    boolean[] osc = new boolean[modes.size()];
    double[] p = new double[modes.size()];
    double[] om = new double[modes.size()];
    int covered = 0;
    for (int k = 0; k < modes.size(); k++) {
      Mode mode = modes.get(k);
      String f = "base.modes[" + k + "]";
      if (mode.getKind() == Mode.Kind.REAL) {
        covered += 1;
        if (mode.getOmega() != 0) {
          throw new ModelFormatException(
              f + ".omega", "must be 0 for a REAL mode, got " + mode.getOmega());
        }
      } else if (mode.getKind() == Mode.Kind.OSCILLATORY) {
        covered += 2;
        osc[k] = true;
      } else {
        throw new ModelFormatException(
            f + ".kind", "must be REAL or OSCILLATORY, got " + mode.getKind());
      }
      checkFinite(f + ".p", mode.getP());
      checkFinite(f + ".omega", mode.getOmega());
      p[k] = mode.getP();
      om[k] = mode.getOmega();
      double decay = p[k] * p[k] + eps;
      if (!(decay > 0) || !Double.isFinite(decay)) {
        throw new ModelFormatException(
            f, "is not stable: decay rate p^2 + epsilon = " + decay + " must be finite and > 0");
      }
    }
    if (covered != dim) {
      throw new ModelFormatException(
          "base.modes",
          "cover " + covered + " dimensions, " + "expected D = state_dim + augment_dim = " + dim);
    }
    return new StableLinearBase(dim, eps, osc, p, om);
  }

  private static AffineCouplingBlock readBlock(
      org.diffeomotion.proto.model.v1.CouplingBlock b, String f, int dim)
      throws ModelFormatException {
    int m = dim / 2;
    if (b.getPermutationCount() != dim) {
      throw new ModelFormatException(
          f + ".permutation", "has " + b.getPermutationCount() + " entries, expected D = " + dim);
    }
    int[] perm = new int[dim];
    boolean[] used = new boolean[dim];
    for (int i = 0; i < dim; i++) {
      int v = b.getPermutation(i);
      if (v < 0 || v >= dim || used[v]) {
        throw new ModelFormatException(
            f + ".permutation[" + i + "]",
            "= " + Integer.toUnsignedString(v) + " makes it no permutation of 0.." + (dim - 1));
      }
      used[v] = true;
      perm[i] = v;
    }
    double c = b.getClamp();
    checkFinite(f + ".clamp", c);
    if (!(c >= MIN_CLAMP && c <= MAX_CLAMP)) {
      throw new ModelFormatException(
          f + ".clamp", "must be > 0 and in [" + MIN_CLAMP + ", " + MAX_CLAMP + "], got " + c);
    }
    if (!b.hasNetA()) {
      throw new ModelFormatException(f + ".net_a", "is missing");
    }
    if (!b.hasNetB()) {
      throw new ModelFormatException(f + ".net_b", "is missing");
    }
    TanhMlp netA = readMlp(b.getNetA(), f + ".net_a", dim - m, 2 * m);
    TanhMlp netB = readMlp(b.getNetB(), f + ".net_b", m, 2 * (dim - m));
    return new AffineCouplingBlock(dim, c, perm, netA, netB);
  }

  private static TanhMlp readMlp(org.diffeomotion.proto.model.v1.Mlp net, String f, int in, int out)
      throws ModelFormatException {
    int n = net.getLayersCount();
    if (n < 1) {
      throw new ModelFormatException(f + ".layers", "needs at least one layer");
    }
    int[] ins = new int[n];
    int[] outs = new int[n];
    double[][] w = new double[n][];
    double[][] bias = new double[n][];
    int prev = in;
    for (int l = 0; l < n; l++) {
      DenseLayer layer = net.getLayers(l);
      String lf = f + ".layers[" + l + "]";
      if (layer.getIn() != prev) {
        throw new ModelFormatException(
            lf + ".in",
            "= "
                + layer.getIn()
                + ", expected "
                + prev
                + (l == 0 ? " (the net's input size)" : " (the previous layer's out)"));
      }
      int o = layer.getOut();
      if (o < 1 || o > MAX_WIDTH) {
        throw new ModelFormatException(
            lf + ".out", "must be in 1.." + MAX_WIDTH + ", got " + Integer.toUnsignedString(o));
      }
      if (l == n - 1 && o != out) {
        throw new ModelFormatException(
            lf + ".out", "= " + o + ", expected " + out + " (the net's output size)");
      }
      if (layer.getWeightsCount() != (long) o * prev) {
        throw new ModelFormatException(
            lf + ".weights",
            "has " + layer.getWeightsCount() + " values, expected out * in = " + o + " * " + prev);
      }
      if (layer.getBiasCount() != o) {
        throw new ModelFormatException(
            lf + ".bias", "has " + layer.getBiasCount() + " values, expected out = " + o);
      }
      w[l] = toArray(layer.getWeightsList());
      bias[l] = toArray(layer.getBiasList());
      for (int i = 0; i < w[l].length; i++) {
        if (!Double.isFinite(w[l][i])) {
          throw new ModelFormatException(lf + ".weights[" + i + "]", "is " + w[l][i]);
        }
      }
      for (int i = 0; i < bias[l].length; i++) {
        if (!Double.isFinite(bias[l][i])) {
          throw new ModelFormatException(lf + ".bias[" + i + "]", "is " + bias[l][i]);
        }
      }
      ins[l] = prev;
      outs[l] = o;
      prev = o;
    }
    return new TanhMlp(ins, outs, w, bias);
  }

  private static void checkCount(String field, int got, int want) throws ModelFormatException {
    if (got != want) {
      throw new ModelFormatException(field, "has " + got + " values, expected state_dim = " + want);
    }
  }

  private static void checkFinite(String field, double v) throws ModelFormatException {
    if (!Double.isFinite(v)) {
      throw new ModelFormatException(field, "is " + v + ", must be finite");
    }
  }

  private static double[] toArray(List<Double> list) {
    double[] a = new double[list.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = list.get(i);
    }
    return a;
  }

  /** The model as its protobuf message (the same message it was built from). */
  public Model toProto() {
    return proto;
  }

  public String name() {
    return proto.getName();
  }

  /** d: the state dimension. */
  public int stateDim() {
    return stateDim;
  }

  /** a: zero-padded augmentation dimensions. */
  public int augmentDim() {
    return augmentDim;
  }

  /** D = d + a: the dimension the flow and the linear base act on. */
  public int networkDim() {
    return stateDim + augmentDim;
  }

  public List<String> dimensionNames() {
    return proto.getDimensionNamesList();
  }

  public List<String> dimensionUnits() {
    return proto.getDimensionUnitsList();
  }

  public String frameId() {
    return proto.getFrameId();
  }

  /** Goal g [dimension units]; a copy. */
  public double[] goal() {
    return goal.clone();
  }

  /** Per-dimension scale sigma [dimension units]; a copy. */
  public double[] scale() {
    return scale.clone();
  }

  /** tau [s]. */
  public double timeScale() {
    return timeScale;
  }

  public Provenance provenance() {
    return proto.getProvenance();
  }

  /**
   * Whether this is a full-pose model: y = [p, r] with r the rotation vector relative to {@link
   * #goalOrientation()} (DESIGN.md section 2, "Full poses"). Evaluate its poses with {@link
   * PoseMap}.
   */
  public boolean isPose() {
    return proto.hasPose();
  }

  /**
   * The goal orientation q_g as a unit quaternion x, y, z, w (normalised); a copy.
   *
   * @throws IllegalStateException if this is not a pose model
   */
  public double[] goalOrientation() {
    if (!isPose()) {
      throw new IllegalStateException("model '" + name() + "' is not a pose model");
    }
    double[] q = new double[4];
    for (int k = 0; k < 4; k++) {
      q[k] = proto.getPose().getGoalOrientation(k);
    }
    double n = So3.norm(q, 0);
    for (int k = 0; k < 4; k++) {
      q[k] /= n;
    }
    return q;
  }

  /** The state indices of x, y, z of a pose model; a copy. */
  public int[] positionDims() {
    return dims(proto.getPose().getPositionDimsList());
  }

  /** The state indices of the rotation vector r_x, r_y, r_z of a pose model; a copy. */
  public int[] rotationDims() {
    return dims(proto.getPose().getRotationDimsList());
  }

  private int[] dims(List<Integer> list) {
    if (!isPose()) {
      throw new IllegalStateException("model '" + name() + "' is not a pose model");
    }
    int[] out = new int[list.size()];
    for (int k = 0; k < out.length; k++) {
      out[k] = list.get(k);
    }
    return out;
  }

  /**
   * Whether the reactive field {@code y' = f(y)} is defined on all of R^d with the global guarantee
   * (a = 0). With a > 0 it is defined on the slice [y, 0] only.
   */
  public boolean supportsStateFeedback() {
    return augmentDim == 0;
  }

  /** Eigenvalues, decay rates and the Lyapunov argument for this model. */
  public StabilityReport stability() {
    return new StabilityReport(this);
  }

  /** Multiply-adds of one forward pass of F for one point. */
  public long multiplyAddsPerPoint() {
    return flow.multiplyAddsPerPoint();
  }

  /** tanh evaluations of one forward pass of F for one point. */
  public long tanhPerPoint() {
    return flow.tanhPerPoint();
  }

  /** An evaluator of F, F^-1 and its JVP for up to {@code capacity} points per call. */
  public FlowEvaluator newFlowEvaluator(int capacity) {
    return new FlowEvaluator(this, capacity, Kernels.best());
  }

  /**
   * c = F(0) [normalised units] as the given kernels compute it: D values, computed on first use
   * and then shared; callers must not modify it.
   */
  double[] anchor(Kernels k) {
    return anchor(k, null);
  }

  /**
   * c = F(0) with kernels k and, when fk is not null, the coupling networks in float (computed once
   * per combination, shared read-only).
   *
   * @throws IllegalArgumentException if the float evaluation cannot represent this model (weights
   *     beyond float range, or F(0) overflowing in float)
   */
  double[] anchor(Kernels k, FloatKernels fk) {
    synchronized (anchorLock) {
      String key = k.name() + "/" + (fk == null ? "double" : fk.name());
      double[] c = anchors.get(key);
      if (c == null) {
        if (fk != null && !flow.floatRepresentable()) {
          throw new IllegalArgumentException(
              "precision float: a weight or bias of the model is beyond float range "
                  + "(|v| > 3.4e38); use precision double");
        }
        c = new double[flow.dim()];
        flow.forward(k, new double[flow.dim()], c, 1, new FlowWorkspace(flow, 1, fk));
        for (double v : c) {
          if (fk != null && !Double.isFinite(v)) {
            throw new IllegalArgumentException(
                "precision float: F(0) overflows in float for this model; use precision double");
          }
        }
        anchors.put(key, c);
      }
      return c;
    }
  }

  StableLinearBase base() {
    return base;
  }

  CouplingFlow flow() {
    return flow;
  }

  double[] goalRef() {
    return goal;
  }

  double[] scaleRef() {
    return scale;
  }
}
