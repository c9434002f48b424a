package org.diffeomotion.trainer.data;

import java.util.List;

/**
 * Demonstrations ready for training, made by {@link Preprocessor#prepare}: every demo resampled to
 * {@link #gridSize()} uniform times from its start, the goal g with its spread, the scales σ and τ,
 * the train/validation split and the data-set hash. Immutable.
 *
 * <p>The training engine takes {@link #trainingData()} and {@link #validationData()}, which hold
 * the normalised arrays {@code z = (y − g) ⊘ σ} and {@code s = t / τ}; g, σ, τ, the dimension
 * names, units, frame and {@link #dataHash()} go into the model artifact.
 */
public final class PreparedData {

  private final List<String> demoNames;
  private final List<String> dimensionNames;
  private final List<String> units;
  private final String frameId;
  private final String source;
  private final int gridSize;
  private final double[][] times;
  private final double[][] states;
  private final double[] goal;
  private final double goalSpreadMax;
  private final double goalSpreadRms;
  private final double[] scale;
  private final double timeScale;
  private final int[] train;
  private final int[] validation;
  private final String dataHash;
  private final double[] goalOrientation;
  private final double rotationSpreadMax;
  private final double rotationSpreadRms;

  PreparedData(
      List<String> demoNames,
      List<String> dimensionNames,
      List<String> units,
      String frameId,
      String source,
      int gridSize,
      double[][] times,
      double[][] states,
      double[] goal,
      double goalSpreadMax,
      double goalSpreadRms,
      double[] scale,
      double timeScale,
      int[] train,
      int[] validation,
      String dataHash,
      double[] goalOrientation,
      double rotationSpreadMax,
      double rotationSpreadRms) {
    this.demoNames = List.copyOf(demoNames);
    this.dimensionNames = List.copyOf(dimensionNames);
    this.units = List.copyOf(units);
    this.frameId = frameId;
    this.source = source;
    this.gridSize = gridSize;
    this.times = times;
    this.states = states;
    this.goal = goal;
    this.goalSpreadMax = goalSpreadMax;
    this.goalSpreadRms = goalSpreadRms;
    this.scale = scale;
    this.timeScale = timeScale;
    this.train = train;
    this.validation = validation;
    this.dataHash = dataHash;
    this.goalOrientation = goalOrientation == null ? null : goalOrientation.clone();
    this.rotationSpreadMax = rotationSpreadMax;
    this.rotationSpreadRms = rotationSpreadRms;
  }

  /** Whether the demos are full poses [x, y, z, r_x, r_y, r_z] ({@link PoseDemos}). */
  public boolean isPose() {
    return goalOrientation != null;
  }

  /**
   * Full poses: the goal orientation q_g (x, y, z, w; the Karcher mean of the demos' end
   * orientations) the rotation dimensions are relative to; null otherwise (a copy).
   */
  public double[] goalOrientation() {
    return goalOrientation == null ? null : goalOrientation.clone();
  }

  /**
   * Full poses: the largest rotation angle of a demo's end orientation from the goal orientation
   * [rad]; NaN otherwise. ({@link #goalSpreadMax()} is then the position spread [m].)
   */
  public double rotationSpreadMax() {
    return rotationSpreadMax;
  }

  /** Full poses: the root-mean-square of those angles [rad]; NaN otherwise. */
  public double rotationSpreadRms() {
    return rotationSpreadRms;
  }

  /** Number of demos (training and validation). */
  public int demoCount() {
    return times.length;
  }

  /** Points per demo N. */
  public int gridSize() {
    return gridSize;
  }

  /** State dimension d. */
  public int dimension() {
    return goal.length;
  }

  public List<String> demoNames() {
    return demoNames;
  }

  public List<String> dimensionNames() {
    return dimensionNames;
  }

  public List<String> units() {
    return units;
  }

  public String frameId() {
    return frameId;
  }

  /** Where the demonstrations came from. */
  public String source() {
    return source;
  }

  /** Uniform times of demo i relative to its start, {@code j·T_i/(N−1)} [s] (a copy). */
  public double[] times(int demo) {
    return times[demo].clone();
  }

  /** Duration T_i of demo i [s]. */
  public double duration(int demo) {
    return times[demo][gridSize - 1];
  }

  /** Resampled states of demo i, {@code [N][d]} in the data's units (a copy). */
  public double[][] states(int demo) {
    int d = dimension();
    double[][] out = new double[gridSize][d];
    for (int j = 0; j < gridSize; j++) {
      System.arraycopy(states[demo], j * d, out[j], 0, d);
    }
    return out;
  }

  /** Goal g: the mean of the demos' end points, in the data's units (a copy). */
  public double[] goal() {
    return goal.clone();
  }

  /**
   * Largest distance of a demo's end point from the goal, in the data's units (for full poses: of
   * the position, [m]).
   */
  public double goalSpreadMax() {
    return goalSpreadMax;
  }

  /** Root-mean-square distance of the demos' end points from the goal, in the data's units. */
  public double goalSpreadRms() {
    return goalSpreadRms;
  }

  /** Per-dimension scale σ &gt; 0, in the data's units (a copy). */
  public double[] scale() {
    return scale.clone();
  }

  /** Time scale τ &gt; 0 [s]. */
  public double timeScale() {
    return timeScale;
  }

  /** Indices of the training demos, ascending (a copy). */
  public int[] trainIndices() {
    return train.clone();
  }

  /** Indices of the validation demos, ascending; may be empty (a copy). */
  public int[] validationIndices() {
    return validation.clone();
  }

  /** SHA-256 of the demonstrations; see {@link DemonstrationSet#sha256()}. */
  public String dataHash() {
    return dataHash;
  }

  /** The training demos, normalised. */
  public NormalizedData trainingData() {
    return normalized(train);
  }

  /** The validation demos, normalised (demoCount 0 if there is no validation split). */
  public NormalizedData validationData() {
    return normalized(validation);
  }

  /**
   * Any demos, normalised: {@code z = (y − g) ⊘ σ}, {@code s = t / τ}; see {@link NormalizedData}
   * for the layout.
   *
   * @param demoIndices which demos, in the order wanted. Not modified.
   */
  public NormalizedData normalized(int[] demoIndices) {
    int d = dimension();
    int n = gridSize;
    int[] idx = demoIndices.clone();
    double[] s = new double[idx.length * n];
    double[] z = new double[idx.length * n * d];
    for (int i = 0; i < idx.length; i++) {
      double[] t = times[idx[i]];
      double[] y = states[idx[i]];
      for (int j = 0; j < n; j++) {
        s[i * n + j] = t[j] / timeScale;
        int row = (i * n + j) * d;
        for (int k = 0; k < d; k++) {
          z[row + k] = (y[j * d + k] - goal[k]) / scale[k];
        }
      }
    }
    return new NormalizedData(idx, n, d, s, z);
  }

  @Override
  public String toString() {
    return demoCount()
        + " demos x "
        + gridSize
        + " points, d = "
        + dimension()
        + ", goal "
        + java.util.Arrays.toString(goal)
        + " (spread max "
        + goalSpreadMax
        + ", rms "
        + goalSpreadRms
        + "), sigma "
        + java.util.Arrays.toString(scale)
        + (goalOrientation == null
            ? ""
            : ", goal orientation "
                + java.util.Arrays.toString(goalOrientation)
                + " (rotation spread max "
                + rotationSpreadMax
                + " rad, rms "
                + rotationSpreadRms
                + " rad)")
        + ", tau "
        + timeScale
        + " s, "
        + train.length
        + " train / "
        + validation.length
        + " validation, sha256 "
        + dataHash;
  }
}
