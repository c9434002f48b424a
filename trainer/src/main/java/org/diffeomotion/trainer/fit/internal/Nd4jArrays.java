package org.diffeomotion.trainer.fit.internal;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Allocation and views of the double-precision, 'f'-order matrices the engine works on. */
final class Nd4jArrays {
  private Nd4jArrays() {}

  static INDArray matrix(int rows, int cols) {
    return Nd4j.create(DataType.DOUBLE, new long[] {rows, cols}, 'f');
  }

  /** Columns [from, to) of an 'f'-order matrix: a contiguous view. */
  static INDArray cols(INDArray a, int from, int to) {
    return a.get(NDArrayIndex.all(), NDArrayIndex.interval(from, to));
  }

  /** Entries [offset, offset + n) of a flat vector as a [1 x n] row view. */
  static INDArray row(INDArray flat, int offset, int n) {
    return flat.get(NDArrayIndex.interval(offset, offset + n)).reshape('c', 1, n);
  }

  /** An 'f'-order copy of a (rectangular) Java matrix. */
  static INDArray fOrder(double[][] a) {
    INDArray m = matrix(a.length, a.length == 0 ? 0 : a[0].length);
    if (a.length > 0 && a[0].length > 0) {
      m.assign(Nd4j.createFromArray(a));
    }
    return m;
  }
}
