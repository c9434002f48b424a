package org.diffeomotion.trainer.data;

/**
 * Demonstrations in the model's normalised coordinates, in flat arrays for the training engine:
 * {@code z = (y − g) ⊘ σ} (dimensionless) at normalised times {@code s = t / τ} (dimensionless),
 * with t relative to each demo's start, on each demo's uniform grid.
 *
 * <p>Layout, for {@code m = demoCount()}, {@code N = gridSize()}, {@code d = dimension()}: {@code
 * s[i*N + j]} is the time of point j of the i-th demo here, and {@code z[(i*N + j)*d + k]} its
 * entry k. So {@code z} is row-major {@code [m][N][d]} and {@code s} is {@code [m][N]}; {@code
 * s[i*N] == 0} and {@code z[((i+1)*N − 1)*d + k]} is the i-th demo's end point. The i-th demo here
 * is demo {@code demoIndices()[i]} of the {@link PreparedData}.
 *
 * <p>The arrays are this object's own and are returned without copying, to avoid copying large
 * data; treat them as read-only.
 */
public final class NormalizedData {

  private final int[] demoIndices;
  private final int gridSize;
  private final int dimension;
  private final double[] s;
  private final double[] z;

  NormalizedData(int[] demoIndices, int gridSize, int dimension, double[] s, double[] z) {
    this.demoIndices = demoIndices;
    this.gridSize = gridSize;
    this.dimension = dimension;
    this.s = s;
    this.z = z;
  }

  /** Number of demos m. */
  public int demoCount() {
    return demoIndices.length;
  }

  /** Points per demo N. */
  public int gridSize() {
    return gridSize;
  }

  /** State dimension d. */
  public int dimension() {
    return dimension;
  }

  /** Which demos of the {@link PreparedData} these are, in order (a copy). */
  public int[] demoIndices() {
    return demoIndices.clone();
  }

  /** Normalised times, length m·N (not copied). */
  public double[] s() {
    return s;
  }

  /** Normalised states, length m·N·d (not copied). */
  public double[] z() {
    return z;
  }
}
