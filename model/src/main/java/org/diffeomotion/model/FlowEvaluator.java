package org.diffeomotion.model;

import org.diffeomotion.model.internal.CouplingFlow;
import org.diffeomotion.model.internal.FloatKernels;
import org.diffeomotion.model.internal.FlowWorkspace;
import org.diffeomotion.model.internal.Kernels;

/**
 * Evaluates a model's diffeomorphism F: forward, inverse and the Jacobian-vector product, for up to
 * {@link #capacity()} points per call. Points are laid out as D rows of {@code points} values (row
 * i holds coordinate i of every point); for one point that is a plain D-vector. Not thread-safe (it
 * owns scratch memory); allocates nothing per call.
 */
public final class FlowEvaluator {
  private final CouplingFlow flow;
  private final FlowWorkspace ws;
  private final Kernels kernels;
  private final double[] anchor;

  FlowEvaluator(MotionModel model, int capacity, Kernels kernels) {
    this(model, capacity, kernels, Precision.DOUBLE);
  }

  FlowEvaluator(MotionModel model, int capacity, Kernels kernels, Precision precision) {
    if (precision == null) {
      throw new IllegalArgumentException("precision is null: expected DOUBLE or FLOAT");
    }
    FloatKernels fk = precision == Precision.FLOAT ? FloatKernels.matching(kernels) : null;
    this.flow = model.flow();
    this.ws = new FlowWorkspace(flow, capacity, fk);
    this.kernels = kernels;
    this.anchor = model.anchor(kernels, fk); // shared, read-only: anchor() hands out copies
  }

  /**
   * With the coupling networks in {@code precision}.
   *
   * @param kernels {@code "best"}, {@code "scalar"} (reference) or {@code "vector"}
   */
  public static FlowEvaluator create(
      MotionModel model, int capacity, String kernels, Precision precision) {
    return new FlowEvaluator(model, capacity, Kernels.named(kernels), precision);
  }

  /**
   * @param kernels {@code "best"}, {@code "scalar"} (reference) or {@code "vector"}
   */
  public static FlowEvaluator create(MotionModel model, int capacity, String kernels) {
    return new FlowEvaluator(model, capacity, Kernels.named(kernels));
  }

  public int dim() {
    return flow.dim();
  }

  public int capacity() {
    return ws.capacity();
  }

  /** Name of the numeric kernels in use, e.g. {@code vector(512-bit)}. */
  public String kernels() {
    return ws.floatKernels() == null
        ? kernels.name()
        : kernels.name() + "+" + ws.floatKernels().name();
  }

  /** c = F(0), the anchor subtracted so that the goal is the exact equilibrium. A copy. */
  public double[] anchor() {
    return anchor.clone();
  }

  /** y = F(x). x Not modified; y Modified (may alias x). */
  public void forward(double[] x, double[] y, int points) {
    check(points, x, "x", y, "y");
    flow.forward(kernels, x, y, points, ws);
  }

  /** x = F^-1(y). y Not modified; x Modified (may alias y). */
  public void inverse(double[] y, double[] x, int points) {
    check(points, y, "y", x, "x");
    flow.inverse(kernels, y, x, points, ws);
  }

  /** y = F(x), dy = J_F(x) dx. x, dx Not modified; y, dy Modified. */
  public void jvp(double[] x, double[] dx, double[] y, double[] dy, int points) {
    check(points, x, "x", y, "y");
    check(points, dx, "dx", dy, "dy");
    flow.jvp(kernels, x, dx, y, dy, points, ws);
  }

  private void check(int points, double[] a, String an, double[] b, String bn) {
    if (points < 1 || points > ws.capacity()) {
      throw new IllegalArgumentException(
          "points = " + points + ", this evaluator takes 1.." + ws.capacity());
    }
    int need = flow.dim() * points;
    if (a.length < need || b.length < need) {
      throw new IllegalArgumentException(
          an
              + " has "
              + a.length
              + " and "
              + bn
              + " has "
              + b.length
              + " values; D * points = "
              + flow.dim()
              + " * "
              + points
              + " = "
              + need
              + " needed");
    }
  }
}
