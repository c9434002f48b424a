package org.diffeomotion.trainer.data;

import java.util.Arrays;
import java.util.Objects;

/**
 * One demonstrated motion: {@code n} samples of a {@code d}-dimensional state at times {@code
 * t[0..n-1]}. Immutable (arrays are copied in and out).
 *
 * <p>Times are in seconds; their origin is arbitrary (the bag reader uses the demo's first sample,
 * so {@code t[0] == 0}; CSV times are taken as written). The state's units are those of the {@link
 * DemonstrationSet} the demo belongs to ([m] for positions, [rad] for joints).
 *
 * <p>This class checks only the shape of the arrays. The content (at least two samples, finite
 * values, strictly increasing times) is checked where the data enters, with the file and field in
 * the message: by the readers and by {@link DemonstrationSet}'s factory.
 */
public final class Demonstration {

  private final String name;
  private final String source;
  private final double[] t;
  private final double[][] y;

  /**
   * @param name a short name to show the user, e.g. {@code demos.bag#3}
   * @param source where it came from (file and topic), for messages and provenance
   * @param t sample times [s], length n. Not modified.
   * @param y states, {@code [n][d]}, all rows of the same length d ≥ 1. Not modified.
   * @throws IllegalArgumentException if the lengths do not match
   */
  public Demonstration(String name, String source, double[] t, double[][] y) {
    this.name = Objects.requireNonNull(name, "name");
    this.source = Objects.requireNonNull(source, "source");
    Objects.requireNonNull(t, "t");
    Objects.requireNonNull(y, "y");
    if (t.length != y.length) {
      throw new IllegalArgumentException(
          "demo " + name + ": " + t.length + " times but " + y.length + " states");
    }
    int d = y.length == 0 ? 0 : y[0].length;
    this.t = t.clone();
    this.y = new double[y.length][];
    for (int i = 0; i < y.length; i++) {
      if (y[i].length != d) {
        throw new IllegalArgumentException(
            "demo " + name + ": state " + i + " has " + y[i].length + " entries, state 0 has " + d);
      }
      this.y[i] = y[i].clone();
    }
  }

  public String name() {
    return name;
  }

  public String source() {
    return source;
  }

  /** Number of samples n. */
  public int size() {
    return t.length;
  }

  /** State dimension d (0 for an empty demo). */
  public int dimension() {
    return y.length == 0 ? 0 : y[0].length;
  }

  /** Time of sample i [s]. */
  public double time(int i) {
    return t[i];
  }

  /** Entry k of the state at sample i, in the set's units. */
  public double state(int i, int k) {
    return y[i][k];
  }

  /** Duration {@code t[n-1] - t[0]} [s]; 0 for fewer than two samples. */
  public double duration() {
    return t.length < 2 ? 0.0 : t[t.length - 1] - t[0];
  }

  /** A copy of the times [s]. */
  public double[] times() {
    return t.clone();
  }

  /** A copy of the states {@code [n][d]}. */
  public double[][] states() {
    double[][] out = new double[y.length][];
    for (int i = 0; i < y.length; i++) {
      out[i] = y[i].clone();
    }
    return out;
  }

  /** Samples {@code from} (inclusive) to {@code to} (exclusive) as a new demo, same name. */
  public Demonstration slice(int from, int to) {
    return new Demonstration(
        name, source, Arrays.copyOfRange(t, from, to), Arrays.copyOfRange(y, from, to));
  }

  // Package-private views for the preprocessor, which only reads them.
  double[] timesView() {
    return t;
  }

  double[][] statesView() {
    return y;
  }

  @Override
  public String toString() {
    return name + " (" + size() + " samples, " + duration() + " s)";
  }
}
