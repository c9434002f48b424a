package org.diffeomotion.trainer.fit.internal;

import static org.diffeomotion.trainer.fit.internal.Nd4jArrays.fOrder;
import static org.diffeomotion.trainer.fit.internal.Nd4jArrays.matrix;
import static org.diffeomotion.trainer.fit.internal.Nd4jArrays.row;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The stable linear base in ND4J ops: per mode alpha = -(p^2 + eps) and omega, spread over the
 * dimensions each mode covers, the closed-form solution x(s) = exp(A s) x0 for every row, and its
 * reverse mode (gradients of p and omega, and of x0). Parameters are views into the engine's flat
 * vectors. Not thread-safe.
 */
final class BaseModes {
  private final FlowLayout layout;
  private final INDArray pRow;
  private final INDArray omegaRow;
  private final INDArray gpRow;
  private final INDArray gOmegaRow;

  /** cmap[j][col] = 1 where mode j covers dimension col; omap likewise for oscillatory modes. */
  private final INDArray cmap;

  private final INDArray omap;

  /** x Pm: column 2j = -x[2j+1], column 2j+1 = x[2j] (the rotation generator, per pair). */
  private final INDArray pm;

  private final INDArray alphaCol;
  private final INDArray omegaCol;
  private final INDArray gAlphaCol;
  private final INDArray gOmegaCol;

  /** params, grads: the engine's flat parameter and gradient vectors (views are kept). */
  BaseModes(FlowLayout layout, INDArray params, INDArray grads) {
    this.layout = layout;
    int dim = layout.dim;
    pRow = row(params, layout.pOffset, layout.modes);
    omegaRow = row(params, layout.omegaOffset, layout.oscillatoryModes);
    gpRow = row(grads, layout.pOffset, layout.modes);
    gOmegaRow = row(grads, layout.omegaOffset, layout.oscillatoryModes);
    double[][] cm = new double[layout.modes][dim];
    double[][] om = new double[layout.oscillatoryModes][dim];
    double[][] pmA = new double[dim][dim];
    for (int j = 0; j < layout.modes; j++) {
      int c0 = layout.modeStart(j);
      cm[j][c0] = 1.0;
      if (layout.isOscillatory(j)) {
        cm[j][c0 + 1] = 1.0;
        om[j][c0] = 1.0;
        om[j][c0 + 1] = 1.0;
        pmA[c0 + 1][c0] = -1.0;
        pmA[c0][c0 + 1] = 1.0;
      }
    }
    cmap = fOrder(cm);
    omap = fOrder(om);
    pm = fOrder(pmA);
    alphaCol = matrix(1, dim);
    omegaCol = matrix(1, dim);
    gAlphaCol = matrix(1, dim);
    gOmegaCol = matrix(1, dim);
  }

  /** alpha and omega per dimension from the current mode parameters (call after they change). */
  void prepare() {
    Nd4j.gemm(pRow, cmap, alphaCol, false, false, 1.0, 0.0);
    alphaCol.muli(alphaCol);
    alphaCol.addi(layout.epsilon);
    alphaCol.negi();
    if (layout.oscillatoryModes > 0) {
      Nd4j.gemm(omegaRow, omap, omegaCol, false, false, 1.0, 0.0);
    } else {
      omegaCol.assign(0.0); // a funnel: real modes only (ND4J refuses empty products)
    }
  }

  /**
   * ds.all.states[0] = exp(A s) x0r for every row (each point's time s in ds.sCol, its demo's start
   * in ds.x0r); keeps exp(alpha s), cos and sin(omega s) in ds for {@link #backward}.
   */
  void propagate(DemoSet ds) {
    Nd4j.gemm(ds.sCol, alphaCol, ds.e, false, false, 1.0, 0.0);
    Transforms.exp(ds.e, false);
    Nd4j.gemm(ds.sCol, omegaCol, ds.cos, false, false, 1.0, 0.0);
    ds.sin.assign(ds.cos);
    Transforms.cos(ds.cos, false);
    Transforms.sin(ds.sin, false);
    INDArray x = ds.all.states[0];
    Nd4j.gemm(ds.x0r, pm, ds.tmp, false, false, 1.0, 0.0);
    ds.tmp.muli(ds.sin);
    ds.x0r.mul(ds.cos, x);
    x.addi(ds.tmp);
    x.muli(ds.e);
  }

  /**
   * Reverse mode of {@link #propagate}: from dL/dx in ds.all.gStates[0] (modified), writes the
   * gradients of p and omega into the flat gradient and dL/dx0r into ds.tmp2.
   */
  void backward(DemoSet ds) {
    INDArray gx = ds.all.gStates[0];
    INDArray x = ds.all.states[0];
    INDArray ones = ds.all.ones;
    // x = exp(alpha s) * (cos(omega s) x0 + sin(omega s) x0 Pm): d/d alpha = s x, d/d omega = s x
    // Pm
    gx.mul(x, ds.tmp);
    ds.tmp.muliColumnVector(ds.sCol);
    Nd4j.gemm(ones, ds.tmp, gAlphaCol, false, false, 1.0, 0.0);
    Nd4j.gemm(x, pm, ds.tmp2, false, false, 1.0, 0.0);
    ds.tmp2.muli(gx);
    ds.tmp2.muliColumnVector(ds.sCol);
    Nd4j.gemm(ones, ds.tmp2, gOmegaCol, false, false, 1.0, 0.0);
    Nd4j.gemm(gAlphaCol, cmap, gpRow, false, true, 1.0, 0.0);
    gpRow.muli(pRow);
    gpRow.muli(-2.0);
    if (layout.oscillatoryModes > 0) {
      Nd4j.gemm(gOmegaCol, omap, gOmegaRow, false, true, 1.0, 0.0);
    }
    // d/d x0r
    gx.muli(ds.e);
    gx.mul(ds.sin, ds.tmp);
    Nd4j.gemm(ds.tmp, pm, ds.tmp2, false, true, 1.0, 0.0);
    gx.mul(ds.cos, ds.tmp);
    ds.tmp2.addi(ds.tmp);
  }
}
