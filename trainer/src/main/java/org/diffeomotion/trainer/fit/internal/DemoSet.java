package org.diffeomotion.trainer.fit.internal;

import static org.diffeomotion.trainer.fit.internal.Nd4jArrays.fOrder;
import static org.diffeomotion.trainer.fit.internal.Nd4jArrays.matrix;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A set of demonstrations as the engine evaluates it: their starts, all their points (one row
 * each), and every buffer of the base rollout and the flow pass, allocated once.
 */
final class DemoSet {
  final int demos;
  final int points;
  final int[] start;
  final int[] length;

  /** The starts' inverse pass runs in plain Java: J rows are too few for ND4J ops to pay. */
  final ScalarFlow.Pass starts;

  final FlowPasses.Batch all;
  final double[][] z0;

  /** Per point, its time s and its state (dim wide, zero beyond stateDim), for the row path. */
  final double[] sRows;

  final double[][] zRows;
  final INDArray x0;
  final INDArray gx0;
  final INDArray z;
  final INDArray sCol;
  final INDArray sel;
  final INDArray x0r;
  final INDArray e;
  final INDArray cos;
  final INDArray sin;
  final INDArray tmp;
  final INDArray tmp2;
  final INDArray resid;

  /**
   * @param s per demo, normalised times (s[0] = 0). Not modified.
   * @param zs per demo, normalised states (n x d). Not modified.
   */
  DemoSet(FlowLayout lay, FlowPasses passes, List<double[]> s, List<double[][]> zs) {
    demos = s.size();
    start = new int[demos];
    length = new int[demos];
    int nTot = 0;
    for (int j = 0; j < demos; j++) {
      start[j] = nTot;
      length[j] = s.get(j).length;
      nTot += length[j];
    }
    points = nTot;
    double[][] zAll = new double[points][lay.dim];
    double[][] z0a = new double[demos][lay.dim];
    double[][] sAll = new double[points][1];
    double[][] selA = new double[points][demos];
    for (int j = 0; j < demos; j++) {
      double[][] zj = zs.get(j);
      for (int i = 0; i < length[j]; i++) {
        System.arraycopy(zj[i], 0, zAll[start[j] + i], 0, lay.stateDim);
        sAll[start[j] + i][0] = s.get(j)[i];
        selA[start[j] + i][j] = 1.0;
      }
      System.arraycopy(zj[0], 0, z0a[j], 0, lay.stateDim);
    }
    sRows = new double[points];
    for (int i = 0; i < points; i++) {
      sRows[i] = sAll[i][0];
    }
    zRows = zAll;
    z = fOrder(zAll);
    z0 = z0a;
    x0 = matrix(demos, lay.dim);
    gx0 = matrix(demos, lay.dim);
    sCol = fOrder(sAll);
    sel = fOrder(selA);
    starts = new ScalarFlow.Pass(lay, demos);
    all = passes.batch(points);
    x0r = matrix(points, lay.dim);
    e = matrix(points, lay.dim);
    cos = matrix(points, lay.dim);
    sin = matrix(points, lay.dim);
    tmp = matrix(points, lay.dim);
    tmp2 = matrix(points, lay.dim);
    resid = matrix(points, lay.dim);
  }
}
