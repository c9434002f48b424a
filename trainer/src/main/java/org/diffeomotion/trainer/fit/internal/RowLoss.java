package org.diffeomotion.trainer.fit.internal;

/**
 * The loss and its gradient in plain Java, one point (row) at a time: base, F forward, residual, F
 * backward and base backward for one point before the next, so that a point's activations (K blocks
 * x 2 nets x width doubles, ~6 KB at 6 x 64) stay in the L1 cache and the cost is linear in the
 * number of points. Same formulas as the batched ND4J pass ({@link FlowPasses}, {@link BaseModes})
 * and the same flat parameter and gradient layout; tested equal to it.
 *
 * <p>Why: at the trainer's batch sizes (a few hundred points) the batched pass is dominated by
 * ND4J's per-op overhead (~10-20 us per op, a few hundred ops per iteration). LossPathBench
 * (scripts/bench-train.sh) prints both side by side: one thread, 6 blocks x 64, the row path is
 * 2.0x faster at 250 points and about equal at 1000 (TRAINING.md). {@link FlowEngine} picks the
 * path.
 *
 * <p>Not thread-safe; allocates nothing per call.
 */
final class RowLoss {

  private final FlowLayout lay;
  private final ScalarFlow flow;
  private final ScalarFlow.Pass row;

  /** The first point of a pair ({@link #evaluateSpeed}); row holds the second. */
  private final ScalarFlow.Pass rowA;

  private final double[] alpha;
  private final double[] omega;
  private final double[] gAlpha;
  private final double[] gOmega;
  private final double[] gc;

  /** Per mode, exp(alpha s), cos and sin(omega s) of the current point (base to baseBackward). */
  private final double[] eMode;

  private final double[] cosMode;
  private final double[] sinMode;

  RowLoss(FlowLayout lay, ScalarFlow flow) {
    this.lay = lay;
    this.flow = flow;
    row = new ScalarFlow.Pass(lay, 1);
    rowA = new ScalarFlow.Pass(lay, 1);
    alpha = new double[lay.modes];
    omega = new double[lay.oscillatoryModes];
    gAlpha = new double[lay.modes];
    gOmega = new double[lay.oscillatoryModes];
    gc = new double[lay.dim];
    eMode = new double[lay.modes];
    cosMode = new double[lay.modes];
    sinMode = new double[lay.modes];
  }

  /**
   * The mean squared residual over the points of ds and the first stateDim dimensions, at the
   * parameters th, with c = F(0) already in cPass.state[K][0] and every demo start's x0 = F^-1(z0 +
   * c) already in ds.starts (state[0]; the inverse pass's activations kept).
   *
   * @param g null for the loss only; else the gradient is added to it (length lay.size), the
   *     starts' inverse pass and c = F(0) included (cPass's and ds.starts's grad arrays are
   *     overwritten).
   * @param pred null, or [points][>= stateDim]: receives z^ = F(x) - c per point.
   */
  double evaluate(double[] th, DemoSet ds, ScalarFlow.Pass cPass, double[] g, double[][] pred) {
    return evaluate(th, ds, cPass, g, pred, null);
  }

  /**
   * As {@link #evaluate(double[], DemoSet, ScalarFlow.Pass, double[], double[][])}, or, with {@code
   * reach}, the far-field hinge: ds's states are ignored and each point's residual is the part of
   * z^ beyond reach[j] from the goal, r = max(0, |z^| - reach[j]) z^/|z^| (first stateDim
   * dimensions), so the loss is the mean of max(0, |z^| - reach)^2 / stateDim and its gradient is
   * the squared residual's with that r.
   *
   * @param reach null, or per demo (start) of ds, the distance from the goal [normalised units].
   */
  double evaluate(
      double[] th, DemoSet ds, ScalarFlow.Pass cPass, double[] g, double[][] pred, double[] reach) {
    int kk = lay.blocks;
    int d = lay.stateDim;
    int dim = lay.dim;
    double[] c = cPass.state[kk][0];
    prepareBase(th, ds, g);
    double scale = 2.0 / ((double) ds.points * d);
    double[] x = row.state[0][0];
    double[] y = row.state[kk][0];
    double[] gy = row.grad[kk][0];
    double[] gx = row.grad[0][0];
    double sum = 0;
    for (int j = 0; j < ds.demos; j++) {
      double[] x0 = ds.starts.state[0][j];
      double[] gx0 = ds.starts.grad[0][j];
      for (int i = ds.start[j], end = ds.start[j] + ds.length[j]; i < end; i++) {
        double s = ds.sRows[i];
        base(x0, s, x);
        flow.forward(th, row);
        double[] z = ds.zRows[i];
        double over = 1.0;
        if (reach != null) {
          double r2 = 0;
          for (int k = 0; k < d; k++) {
            double e = y[k] - c[k];
            r2 += e * e;
          }
          double rho = Math.sqrt(r2);
          over = rho > reach[j] ? (rho - reach[j]) / rho : 0.0;
        }
        for (int k = 0; k < dim; k++) {
          double r = k >= d ? 0.0 : reach == null ? y[k] - c[k] - z[k] : over * (y[k] - c[k]);
          sum += r * r;
          gy[k] = scale * r;
          gc[k] -= gy[k];
          if (pred != null && k < d) {
            pred[i][k] = y[k] - c[k];
          }
        }
        if (g != null) {
          flow.forwardBackward(th, row, g);
          baseBackward(s, x, gx, gx0);
        }
      }
    }
    if (g != null) {
      finishBase(th, ds, cPass, g);
    }
    return sum / ((double) ds.points * d);
  }

  /**
   * The modes' alpha and omega from th; zeroes the base's and c's gradient sums (and the starts').
   */
  private void prepareBase(double[] th, DemoSet ds, double[] g) {
    for (int j = 0; j < lay.modes; j++) {
      double p = th[lay.pOffset + j];
      alpha[j] = -(p * p + lay.epsilon);
    }
    for (int j = 0; j < lay.oscillatoryModes; j++) {
      omega[j] = th[lay.omegaOffset + j];
    }
    java.util.Arrays.fill(gAlpha, 0.0);
    java.util.Arrays.fill(gOmega, 0.0);
    java.util.Arrays.fill(gc, 0.0);
    if (g != null) {
      for (int j = 0; j < ds.demos; j++) {
        java.util.Arrays.fill(ds.starts.grad[0][j], 0.0);
      }
    }
  }

  /**
   * Adds to g the base's share (alpha through p, omega), the starts' inverse pass and c = F(0)'s,
   * from the sums the points left (gAlpha, gOmega, gc and the starts' grad[0]).
   */
  private void finishBase(double[] th, DemoSet ds, ScalarFlow.Pass cPass, double[] g) {
    int kk = lay.blocks;
    int dim = lay.dim;
    for (int j = 0; j < lay.modes; j++) {
      g[lay.pOffset + j] += -2.0 * th[lay.pOffset + j] * gAlpha[j];
    }
    for (int j = 0; j < lay.oscillatoryModes; j++) {
      g[lay.omegaOffset + j] += gOmega[j];
    }
    // x0 = F^-1(z0 + c): dL/d(z0 + c) is dL/dc's share from each start
    flow.inverseBackward(th, ds.starts, g);
    for (int j = 0; j < ds.demos; j++) {
      for (int k = 0; k < dim; k++) {
        gc[k] += ds.starts.grad[kk][j][k];
      }
    }
    System.arraycopy(gc, 0, cPass.grad[kk][0], 0, dim);
    flow.forwardBackward(th, cPass, g);
  }

  /**
   * The far-field speed hinge: ds's states are ignored and each demo's points come in pairs (s, s +
   * delta); a pair's secant speed v = |z^(s + delta) - z^(s)| / delta beyond cap adds (v / cap -
   * 1)^2 / stateDim, averaged over the pairs. c = F(0) cancels in the difference. Same
   * preconditions as {@link #evaluate(double[], DemoSet, ScalarFlow.Pass, double[], double[][])}.
   *
   * @param delta the pairs' time step, > 0 [normalised time].
   * @param cap the speed the hinge allows, > 0 [normalised units per normalised time].
   * @param g null for the loss only; else the gradient is added to it (the starts' inverse pass
   *     included; cPass's and ds.starts's grad arrays are overwritten).
   */
  double evaluateSpeed(
      double[] th, DemoSet ds, ScalarFlow.Pass cPass, double[] g, double delta, double cap) {
    int kk = lay.blocks;
    int d = lay.stateDim;
    int dim = lay.dim;
    prepareBase(th, ds, g);
    int pairs = ds.points / 2;
    double capStep = cap * delta;
    double scale = 2.0 / ((double) pairs * d);
    double[] xa = rowA.state[0][0];
    double[] ya = rowA.state[kk][0];
    double[] gya = rowA.grad[kk][0];
    double[] gxa = rowA.grad[0][0];
    double[] x = row.state[0][0];
    double[] y = row.state[kk][0];
    double[] gy = row.grad[kk][0];
    double[] gx = row.grad[0][0];
    double sum = 0;
    for (int j = 0; j < ds.demos; j++) {
      double[] x0 = ds.starts.state[0][j];
      double[] gx0 = ds.starts.grad[0][j];
      for (int i = ds.start[j], end = ds.start[j] + ds.length[j] - 1; i < end; i += 2) {
        double sa = ds.sRows[i];
        double sb = ds.sRows[i + 1];
        base(x0, sa, xa);
        flow.forward(th, rowA);
        base(x0, sb, x);
        flow.forward(th, row);
        double n2 = 0;
        for (int k = 0; k < d; k++) {
          double e = y[k] - ya[k];
          n2 += e * e;
        }
        double step = Math.sqrt(n2);
        if (!(step > capStep)) {
          continue; // within the cap: no loss, no gradient
        }
        // r = (|dz| / capStep - 1) dz / |dz|; d(r^2)/d dz = 2 r / capStep
        double over = (step - capStep) / (capStep * step);
        for (int k = 0; k < dim; k++) {
          double r = k >= d ? 0.0 : over * (y[k] - ya[k]);
          sum += r * r;
          gy[k] = scale * r / capStep;
          gya[k] = -gy[k];
        }
        if (g != null) {
          flow.forwardBackward(th, row, g);
          baseBackward(sb, x, gx, gx0);
          base(x0, sa, xa); // baseBackward reads the mode factors of its own point
          flow.forwardBackward(th, rowA, g);
          baseBackward(sa, xa, gxa, gx0);
        }
      }
    }
    if (g != null) {
      finishBase(th, ds, cPass, g);
    }
    return sum / ((double) pairs * d);
  }

  /**
   * out = exp(A s) x0, mode by mode (alpha and omega prepared); keeps each mode's exp, cos and sin
   * for {@link #baseBackward} at the same point.
   */
  private void base(double[] x0, double s, double[] out) {
    for (int j = 0; j < lay.modes; j++) {
      int a = lay.modeStart(j);
      double e = Math.exp(alpha[j] * s);
      eMode[j] = e;
      if (lay.isOscillatory(j)) {
        double w = omega[j] * s;
        double cs = Math.cos(w);
        double sn = Math.sin(w);
        cosMode[j] = cs;
        sinMode[j] = sn;
        out[a] = e * (cs * x0[a] - sn * x0[a + 1]);
        out[a + 1] = e * (cs * x0[a + 1] + sn * x0[a]);
      } else {
        out[a] = e * x0[a];
      }
    }
  }

  /**
   * Reverse mode of {@link #base}: dL/dx (gx) into the modes' alpha and omega sums and the start's
   * gradient gx0. x is the base's output for this point, whose {@link #base} call left each mode's
   * exp, cos and sin.
   */
  private void baseBackward(double s, double[] x, double[] gx, double[] gx0) {
    for (int j = 0; j < lay.modes; j++) {
      int a = lay.modeStart(j);
      double e = eMode[j];
      if (lay.isOscillatory(j)) {
        int b = a + 1;
        double cs = cosMode[j];
        double sn = sinMode[j];
        // dx/d alpha = s x; dx/d omega = s (x Pm) = s (-x_b, x_a)
        gAlpha[j] += s * (gx[a] * x[a] + gx[b] * x[b]);
        gOmega[j] += s * (gx[b] * x[a] - gx[a] * x[b]);
        gx0[a] += e * (cs * gx[a] + sn * gx[b]);
        gx0[b] += e * (cs * gx[b] - sn * gx[a]);
      } else {
        gAlpha[j] += s * gx[a] * x[a];
        gx0[a] += e * gx[a];
      }
    }
  }
}
