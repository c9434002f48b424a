package org.diffeomotion.model;

import org.diffeomotion.model.internal.CouplingFlow;
import org.diffeomotion.model.internal.FloatKernels;
import org.diffeomotion.model.internal.FlowWorkspace;
import org.diffeomotion.model.internal.Kernels;
import org.diffeomotion.model.internal.StableLinearBase;

/**
 * The learned velocity field {@code y' = f(y) = (sigma / tau) * [J_F(x) A x]_{1..d}} with {@code x
 * = F^-1(z(y) + c)}: one inverse pass and one forward-mode JVP per query. This is what a reactive
 * controller evaluates at the robot's current state at the control rate.
 *
 * <p>For models with augmentation (a &gt; 0) the field is evaluated on the slice [y, 0]; only a = 0
 * models carry the global guarantee for state feedback ({@link
 * MotionModel#supportsStateFeedback()}).
 *
 * <p>Not thread-safe; {@link #tryVelocity} allocates nothing and never throws.
 */
public final class VelocityField implements OdeRhs {
  private final MotionModel model;
  private final Kernels k;
  private final Precision precision;
  private final CouplingFlow flow;
  private final StableLinearBase base;
  private final FlowWorkspace ws;
  private final Frame frame;
  private final int d;
  private final int dim;
  private final double[] c;
  private final double[] z;
  private final double[] x;
  private final double[] ax;
  private final double[] jv;

  public VelocityField(MotionModel model) {
    this(model, Kernels.best(), Precision.DOUBLE);
  }

  /** With named kernels: best, scalar or vector. */
  public VelocityField(MotionModel model, String kernels) {
    this(model, Kernels.named(kernels), Precision.DOUBLE);
  }

  /**
   * With the coupling networks in {@code precision}.
   *
   * @throws IllegalArgumentException for {@link Precision#FLOAT} when the model's weights or F(0)
   *     do not fit in float range
   */
  public VelocityField(MotionModel model, Precision precision) {
    this(model, Kernels.best(), precision);
  }

  /** With named kernels (best, scalar or vector) and a precision. */
  public VelocityField(MotionModel model, String kernels, Precision precision) {
    this(model, Kernels.named(kernels), precision);
  }

  private VelocityField(MotionModel model, Kernels kernels, Precision precision) {
    if (precision == null) {
      throw new IllegalArgumentException("precision is null: expected DOUBLE or FLOAT");
    }
    this.model = model;
    this.k = kernels;
    this.precision = precision;
    FloatKernels fk = precision == Precision.FLOAT ? FloatKernels.matching(kernels) : null;
    this.flow = model.flow();
    this.base = model.base();
    this.ws = new FlowWorkspace(flow, 1, fk);
    this.frame = new Frame(model);
    this.d = model.stateDim();
    this.dim = model.networkDim();
    this.c = model.anchor(k, fk);
    this.z = new double[dim];
    this.x = new double[dim];
    this.ax = new double[dim];
    this.jv = new double[dim];
  }

  public MotionModel model() {
    return model;
  }

  /** Precision of the coupling networks. */
  public Precision precision() {
    return precision;
  }

  /** Name of the numeric kernels in use (as {@link Rollout#kernels()}). */
  public String kernels() {
    return ws.floatKernels() == null ? k.name() : k.name() + "+" + ws.floatKernels().name();
  }

  /** Moves the attractor to {@code goal} [dimension units]. Not modified. */
  public void setGoal(double[] goal) {
    frame.setGoal(goal);
  }

  public void resetGoal() {
    frame.resetGoal();
  }

  public double[] goal() {
    return frame.goalCopy();
  }

  /** Uses time scale tau [s]: the velocity scales with 1 / tau. */
  public void setTimeScale(double tau) {
    frame.setTimeScale(tau);
  }

  /** Back to the model's own time scale. */
  public void resetTimeScale() {
    frame.resetTimeScale();
  }

  public double timeScale() {
    return frame.tau;
  }

  /**
   * The velocity at state y.
   *
   * @param y state, d values [dimension units]. Not modified.
   * @param out velocity, d values [units/s]. Modified (undefined on error).
   * @return {@link Status#OK} or a negative {@link Status} code
   */
  public int tryVelocity(double[] y, double[] out) {
    if (y == null || y.length != d || out == null || out.length < d) {
      return Status.ERR_DIMENSION;
    }
    if (!frame.normalise(y, c, z)) {
      return Status.ERR_NON_FINITE_INPUT;
    }
    // The Jacobian from the inverse pass's own activations: no second evaluation of the nets.
    flow.inverseKeep(k, z, x, ws);
    base.apply(x, ax, 1);
    flow.tangentAtInverse(k, ax, jv, ws);
    double invTau = 1.0 / frame.tau;
    boolean finite = true;
    for (int i = 0; i < d; i++) {
      double v = frame.scale[i] * invTau * jv[i];
      out[i] = v;
      finite &= Double.isFinite(v);
    }
    return finite ? Status.OK : Status.ERR_NON_FINITE_RESULT;
  }

  /** As {@link #tryVelocity}; bad input throws an exception naming the field and value. */
  public void velocity(double[] y, double[] out) {
    int st = tryVelocity(y, out);
    if (st == Status.ERR_DIMENSION) {
      throw new IllegalArgumentException(
          "state has "
              + (y == null ? "null" : y.length)
              + " values and out "
              + (out == null ? "null" : out.length)
              + "; the model's state dimension is "
              + d
              + " "
              + model.dimensionNames());
    }
    if (st == Status.ERR_NON_FINITE_INPUT) {
      throw new IllegalArgumentException("state" + Frame.where(y) + ", must be finite");
    }
    if (st == Status.ERR_NON_FINITE_RESULT) {
      throw new IllegalArgumentException(
          "the velocity overflowed: the state is far outside "
              + "the region the model can represent");
    }
  }

  /** {@link OdeRhs} view for the integrators: trusts its input (t is unused: autonomous). */
  @Override
  public void eval(double t, double[] y, double[] dydt) {
    tryVelocity(y, dydt);
  }

  /**
   * The base coordinates {@code x = F^-1(z(y) + c)} of a state (D values), the point whose squared
   * norm is the Lyapunov function.
   *
   * @param out D values. Modified.
   */
  public void toBase(double[] y, double[] out) {
    if (y == null || y.length != d || out.length < dim) {
      throw new IllegalArgumentException(
          "state has " + (y == null ? "null" : y.length) + " values, expected " + d);
    }
    if (!frame.normalise(y, c, z)) {
      throw new IllegalArgumentException("state" + Frame.where(y) + ", must be finite");
    }
    flow.inverse(k, z, out, 1, ws);
  }

  /** The Lyapunov function {@code V(y) = ||x(y)||^2} (unitless). */
  public double lyapunov(double[] y) {
    toBase(y, x);
    double v = 0;
    for (int i = 0; i < dim; i++) {
      v += x[i] * x[i];
    }
    return v;
  }
}
