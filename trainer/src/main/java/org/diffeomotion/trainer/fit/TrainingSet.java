package org.diffeomotion.trainer.fit;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.diffeomotion.trainer.data.NormalizedData;
import org.diffeomotion.trainer.data.PreparedData;

/**
 * Everything the engine trains on, already normalised, plus what the exported model needs to map
 * back to the robot's units.
 *
 * @param stateDim d >= 1.
 * @param augmentDim a >= 0 zero-padded dimensions (d = 1 needs a >= 1).
 * @param train training demos (>= 1), each n x d.
 * @param validation held-out demos (may be empty), each n x d.
 * @param goal g [dimension units], length d.
 * @param scale sigma > 0 [dimension units], length d.
 * @param timeScale tau > 0 [s].
 * @param dimensionNames one per dimension, e.g. "x".
 * @param dimensionUnits one per dimension, e.g. "m".
 * @param frameId ROS frame id; may be empty.
 * @param dataSha256 hash of the source data, e.g. "sha256:...", or empty (then {@link
 *     #contentHash()} is used).
 * @param goalOrientation full-pose training sets: the goal orientation q_g (x, y, z, w, unit) the
 *     rotation dimensions 3..5 are relative to (state dimensions x, y, z, r_x, r_y, r_z; the goal's
 *     rotation entries are then exactly 0); null for position-only and joint sets.
 */
public record TrainingSet(
    int stateDim,
    int augmentDim,
    List<Demo> train,
    List<Demo> validation,
    double[] goal,
    double[] scale,
    double timeScale,
    List<String> dimensionNames,
    List<String> dimensionUnits,
    String frameId,
    String dataSha256,
    double[] goalOrientation) {

  /** A position-only or joint training set (no goal orientation). */
  public TrainingSet(
      int stateDim,
      int augmentDim,
      List<Demo> train,
      List<Demo> validation,
      double[] goal,
      double[] scale,
      double timeScale,
      List<String> dimensionNames,
      List<String> dimensionUnits,
      String frameId,
      String dataSha256) {
    this(
        stateDim,
        augmentDim,
        train,
        validation,
        goal,
        scale,
        timeScale,
        dimensionNames,
        dimensionUnits,
        frameId,
        dataSha256,
        null);
  }

  /** Whether this is a full-pose set ({@link #goalOrientation()} not null). */
  public boolean isPose() {
    return goalOrientation != null;
  }

  public TrainingSet {
    train = List.copyOf(train);
    validation = List.copyOf(validation);
    dimensionNames = List.copyOf(dimensionNames);
    dimensionUnits = List.copyOf(dimensionUnits);
    if (stateDim < 1) {
      throw new IllegalArgumentException("stateDim must be >= 1, got " + stateDim);
    }
    if (augmentDim < 0 || stateDim + augmentDim < 2) {
      throw new IllegalArgumentException(
          "augmentDim must be >= 0 and d + a >= 2, got a = " + augmentDim);
    }
    if (train.isEmpty()) {
      throw new IllegalArgumentException("train: at least one demo");
    }
    for (List<Demo> set : List.of(train, validation)) {
      for (Demo dm : set) {
        if (dm.z()[0].length != stateDim) {
          throw new IllegalArgumentException(
              "demo has " + dm.z()[0].length + " dims, stateDim is " + stateDim);
        }
      }
    }
    if (goal.length != stateDim
        || scale.length != stateDim
        || dimensionNames.size() != stateDim
        || dimensionUnits.size() != stateDim) {
      throw new IllegalArgumentException(
          "goal, scale, dimensionNames, dimensionUnits must have " + stateDim + " entries");
    }
    for (int i = 0; i < stateDim; i++) {
      if (!Double.isFinite(goal[i]) || !(scale[i] > 0) || !Double.isFinite(scale[i])) {
        throw new IllegalArgumentException(
            "goal[" + i + "] = " + goal[i] + ", scale[" + i + "] = " + scale[i]);
      }
    }
    if (!(timeScale > 0) || !Double.isFinite(timeScale)) {
      throw new IllegalArgumentException("timeScale must be > 0, got " + timeScale);
    }
    if (goalOrientation != null) {
      goalOrientation = goalOrientation.clone();
      if (stateDim != 6 || augmentDim != 0 || goalOrientation.length != 4) {
        throw new IllegalArgumentException(
            "a full-pose set has d = 6, a = 0 and a quaternion x, y, z, w as goal orientation");
      }
      for (int i = 3; i < 6; i++) {
        if (goal[i] != 0) {
          throw new IllegalArgumentException(
              "a full-pose set's goal is exactly 0 on the rotation dimensions, goal["
                  + i
                  + "] = "
                  + goal[i]);
        }
      }
    }
    frameId = frameId == null ? "" : frameId;
    dataSha256 = dataSha256 == null ? "" : dataSha256;
  }

  /**
   * The training set of preprocessed demonstrations: the data side's normalised training and
   * validation splits, g, sigma, tau, names, units, frame and data hash.
   *
   * @param prepared from {@code Preprocessor.prepare}. Not modified.
   * @param augmentDim a >= 0 zero-padded dimensions (d = 1 needs a >= 1).
   */
  public static TrainingSet from(PreparedData prepared, int augmentDim) {
    String hash = prepared.dataHash();
    return new TrainingSet(
        prepared.dimension(),
        augmentDim,
        demos(prepared.trainingData()),
        demos(prepared.validationData()),
        prepared.goal(),
        prepared.scale(),
        prepared.timeScale(),
        prepared.dimensionNames(),
        prepared.units(),
        prepared.frameId(),
        hash.isEmpty() || hash.startsWith("sha256:") ? hash : "sha256:" + hash,
        prepared.goalOrientation());
  }

  private static List<Demo> demos(NormalizedData nd) {
    int n = nd.gridSize();
    int d = nd.dimension();
    double[] s = nd.s();
    double[] z = nd.z();
    List<Demo> out = new ArrayList<>(nd.demoCount());
    for (int i = 0; i < nd.demoCount(); i++) {
      double[] si = new double[n];
      double[][] zi = new double[n][d];
      System.arraycopy(s, i * n, si, 0, n);
      for (int j = 0; j < n; j++) {
        System.arraycopy(z, (i * n + j) * d, zi[j], 0, d);
      }
      out.add(new Demo(si, zi));
    }
    return out;
  }

  /**
   * How far apart the training demos start: the mean distance from each start to its nearest other
   * start over the extent (the largest distance of a sample from the goal), in the data's units;
   * NaN for fewer than two demos. It sets the automatic feature scale and whether {@code --funnel
   * prefer} tries the funnel ({@link TrainOptions#funnelSuitsStarts}).
   */
  public double startSpacing() {
    return org.diffeomotion.trainer.fit.internal.BaseInit.startSpacing(this);
  }

  /** "sha256:hex" over the normalised arrays (training then validation) and g, sigma, tau. */
  public String contentHash() {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      ByteBuffer b = ByteBuffer.allocate(8);
      for (List<Demo> set : List.of(train, validation)) {
        md.update(b.clear().putLong(set.size()).array());
        for (Demo dm : set) {
          md.update(b.clear().putLong(dm.points()).array());
          for (int i = 0; i < dm.points(); i++) {
            md.update(b.clear().putDouble(dm.s()[i]).array());
            for (double v : dm.z()[i]) {
              md.update(b.clear().putDouble(v).array());
            }
          }
        }
      }
      for (int i = 0; i < stateDim; i++) {
        md.update(b.clear().putDouble(goal[i]).array());
        md.update(b.clear().putDouble(scale[i]).array());
      }
      md.update(b.clear().putDouble(timeScale).array());
      if (goalOrientation != null) {
        // Only pose sets: position-only and joint hashes stay what they were.
        for (double v : goalOrientation) {
          md.update(b.clear().putDouble(v).array());
        }
      }
      return "sha256:" + HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
