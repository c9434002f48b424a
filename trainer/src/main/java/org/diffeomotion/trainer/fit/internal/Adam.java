package org.diffeomotion.trainer.fit.internal;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Adam (Kingma and Ba 2015) on the flat parameter vector, in place, with preallocated scratch.
 * Deterministic: the same gradients give bitwise the same parameters.
 */
public final class Adam {

  public static final double BETA1 = 0.9;
  public static final double BETA2 = 0.999;
  public static final double EPS = 1e-8;

  private final INDArray m;
  private final INDArray v;
  private final INDArray tmp;
  private final INDArray tmp2;
  private long step;

  public Adam(int size) {
    m = Nd4j.create(DataType.DOUBLE, size);
    v = Nd4j.create(DataType.DOUBLE, size);
    tmp = Nd4j.create(DataType.DOUBLE, size);
    tmp2 = Nd4j.create(DataType.DOUBLE, size);
  }

  /** One step: params (modified) -= lr * mhat / (sqrt(vhat) + eps). grad not modified. */
  public void update(INDArray params, INDArray grad, double learningRate) {
    step++;
    m.muli(BETA1);
    grad.mul(1.0 - BETA1, tmp);
    m.addi(tmp);
    v.muli(BETA2);
    grad.mul(grad, tmp);
    tmp.muli(1.0 - BETA2);
    v.addi(tmp);
    double bc1 = 1.0 - Math.pow(BETA1, step);
    double bc2 = 1.0 - Math.pow(BETA2, step);
    v.mul(1.0 / bc2, tmp);
    Transforms.sqrt(tmp, false);
    tmp.addi(EPS);
    m.div(tmp, tmp2);
    tmp2.muli(learningRate / bc1);
    params.subi(tmp2);
  }

  /** Forgets the moments (after a rollback the old ones point the way that diverged). */
  public void reset() {
    step = 0;
    m.assign(0.0);
    v.assign(0.0);
  }

  public long step() {
    return step;
  }

  public double[] firstMoment() {
    return m.toDoubleVector();
  }

  public double[] secondMoment() {
    return v.toDoubleVector();
  }

  /** Restores the state saved by a checkpoint. Arrays not modified. */
  public void restore(long step, double[] first, double[] second) {
    this.step = step;
    m.assign(Nd4j.createFromArray(first));
    v.assign(Nd4j.createFromArray(second));
  }
}
