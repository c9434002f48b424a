package org.diffeomotion.model.internal;

/**
 * The learned diffeomorphism {@code F = B_K o ... o B_1} of R^D. Immutable and shareable between
 * threads; each thread brings its own {@link FlowWorkspace}. States are {@code D} rows of {@code
 * points} values (structure of arrays); for one point that is a plain vector.
 */
public final class CouplingFlow {
  private final int dim;
  private final AffineCouplingBlock[] blocks;
  private final int maxWidth;

  public CouplingFlow(int dim, AffineCouplingBlock[] blocks) {
    this.dim = dim;
    this.blocks = blocks;
    int w = 0;
    for (AffineCouplingBlock b : blocks) {
      w = Math.max(w, Math.max(b.netA().maxWidth(), b.netB().maxWidth()));
    }
    this.maxWidth = w;
  }

  /** D, the dimension the flow acts on. */
  public int dim() {
    return dim;
  }

  int blockCount() {
    return blocks.length;
  }

  AffineCouplingBlock block(int b) {
    return blocks[b];
  }

  int maxWidth() {
    return maxWidth;
  }

  /** Whether every network weight and bias is finite once rounded to float. */
  public boolean floatRepresentable() {
    for (AffineCouplingBlock b : blocks) {
      if (!b.netA().floatRepresentable() || !b.netB().floatRepresentable()) {
        return false;
      }
    }
    return true;
  }

  /** Multiply-adds per point of one forward pass (both nets of every block). */
  public long multiplyAddsPerPoint() {
    long n = 0;
    for (AffineCouplingBlock b : blocks) {
      n += b.netA().multiplyAdds() + b.netB().multiplyAdds();
    }
    return n;
  }

  /** tanh evaluations per point of one forward pass (hidden units and clamps). */
  public long tanhPerPoint() {
    long n = 0;
    for (AffineCouplingBlock b : blocks) {
      n += b.netA().tanhCount() + b.netB().tanhCount() + dim;
    }
    return n;
  }

  /**
   * y = F(x) for {@code points <= ws.capacity()} points.
   *
   * @param x D rows of {@code points}. Not modified.
   * @param y D rows of {@code points}; may alias x. Modified.
   */
  public void forward(Kernels k, double[] x, double[] y, int points, FlowWorkspace ws) {
    int n = dim * points;
    double[] cur = x;
    for (int b = 0; b < blocks.length; b++) {
      double[] dst = b % 2 == 0 ? ws.sA : ws.sB;
      blocks[b].forward(k, cur, dst, points, ws);
      cur = dst;
    }
    System.arraycopy(cur, 0, y, 0, n);
  }

  /** x = F^-1(y). y and x as in {@link #forward}; x may alias y. */
  public void inverse(Kernels k, double[] y, double[] x, int points, FlowWorkspace ws) {
    int n = dim * points;
    double[] cur = y;
    for (int b = blocks.length - 1, j = 0; b >= 0; b--, j++) {
      double[] dst = j % 2 == 0 ? ws.sA : ws.sB;
      blocks[b].inverse(k, cur, dst, points, ws);
      cur = dst;
    }
    System.arraycopy(cur, 0, x, 0, n);
  }

  /**
   * x = F^-1(y) for one point, as {@link #inverse} (same bits), keeping in ws what {@link
   * #tangentAtInverse} needs: every block's input, scales and hidden activations. x may alias y.
   */
  public void inverseKeep(Kernels k, double[] y, double[] x, FlowWorkspace ws) {
    double[] cur = y;
    for (int b = blocks.length - 1, j = 0; b >= 0; b--, j++) {
      double[] dst = j % 2 == 0 ? ws.sA : ws.sB;
      blocks[b].inverseKeep(k, cur, dst, ws, b);
      cur = dst;
    }
    System.arraycopy(cur, 0, x, 0, dim);
  }

  /**
   * dy = J_F(x) dx for one point at the x of the last {@link #inverseKeep} on ws: the tangent half
   * of {@link #jvp} from the activations the inverse pass already computed, so the networks are not
   * evaluated again (no tanh, no exp; the velocity query took 0.66x the time of inverse + jvp). The
   * Jacobian is taken at the inverse pass's intermediate states, which equal the forward pass's to
   * rounding. dy may alias dx.
   */
  public void tangentAtInverse(Kernels k, double[] dx, double[] dy, FlowWorkspace ws) {
    double[] dcur = dx;
    for (int b = 0; b < blocks.length; b++) {
      double[] ddst = b % 2 == 0 ? ws.dA : ws.dB;
      blocks[b].tangentKept(k, dcur, ddst, ws, b);
      dcur = ddst;
    }
    System.arraycopy(dcur, 0, dy, 0, dim);
  }

  /**
   * Forward mode: y = F(x), dy = J_F(x) dx. Outputs may alias inputs.
   *
   * @param dx tangent at x, D rows of {@code points}. Not modified.
   * @param dy J_F(x) dx. Modified.
   */
  public void jvp(
      Kernels k, double[] x, double[] dx, double[] y, double[] dy, int points, FlowWorkspace ws) {
    int n = dim * points;
    double[] cur = x;
    double[] dcur = dx;
    for (int b = 0; b < blocks.length; b++) {
      double[] dst = b % 2 == 0 ? ws.sA : ws.sB;
      double[] ddst = b % 2 == 0 ? ws.dA : ws.dB;
      blocks[b].jvp(k, cur, dcur, dst, ddst, points, ws);
      cur = dst;
      dcur = ddst;
    }
    System.arraycopy(cur, 0, y, 0, n);
    System.arraycopy(dcur, 0, dy, 0, n);
  }
}
