package org.diffeomotion.trainer.data;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The demonstrations of one task, all with the same state dimensions, units and frame. Immutable.
 * The factory {@link #of} validates the content, so that everything downstream can trust it.
 */
public final class DemonstrationSet {

  /** How many offending samples an error message lists before it says "...". */
  private static final int MAX_LISTED = 5;

  private final List<Demonstration> demos;
  private final List<String> dimensionNames;
  private final List<String> units;
  private final String frameId;
  private final String source;

  /** Full poses: the goal orientation q_g (x, y, z, w, unit, w ≥ 0); null otherwise. */
  private final double[] goalOrientation;

  private DemonstrationSet(
      List<Demonstration> demos,
      List<String> dimensionNames,
      List<String> units,
      String frameId,
      String source,
      double[] goalOrientation) {
    this.demos = List.copyOf(demos);
    this.dimensionNames = List.copyOf(dimensionNames);
    this.units = List.copyOf(units);
    this.frameId = frameId;
    this.source = source;
    this.goalOrientation = goalOrientation == null ? null : goalOrientation.clone();
  }

  /**
   * Validates and wraps demonstrations.
   *
   * @param demos at least one demo, each with ≥ 2 samples, finite times and states, strictly
   *     increasing times, and {@code dimensionNames.size()} entries per state. Not modified.
   * @param dimensionNames names of the state entries, unique and non-empty (e.g. x, y, z or joint
   *     names)
   * @param units unit of each entry (e.g. m, rad; "" if unknown)
   * @param frameId the frame the states are expressed in ("" if none, e.g. joints)
   * @param source a description of where the data came from, for messages and provenance (e.g. the
   *     bag files and the topic)
   * @throws DemoDataException naming the demo and the field if anything is invalid
   */
  public static DemonstrationSet of(
      List<Demonstration> demos,
      List<String> dimensionNames,
      List<String> units,
      String frameId,
      String source)
      throws DemoDataException {
    Objects.requireNonNull(demos, "demos");
    Objects.requireNonNull(dimensionNames, "dimensionNames");
    Objects.requireNonNull(units, "units");
    Objects.requireNonNull(frameId, "frameId");
    Objects.requireNonNull(source, "source");
    DataLocation where = DataLocation.of(source);
    if (demos.isEmpty()) {
      throw new DemoDataException(where, "no demonstrations");
    }
    if (dimensionNames.isEmpty()) {
      throw new DemoDataException(where, "no state dimensions");
    }
    if (units.size() != dimensionNames.size()) {
      throw new DemoDataException(
          where,
          dimensionNames.size()
              + " dimension names "
              + dimensionNames
              + " but "
              + units.size()
              + " units "
              + units);
    }
    Set<String> seen = new HashSet<>();
    for (String n : dimensionNames) {
      if (n == null || n.isBlank()) {
        throw new DemoDataException(where, "empty dimension name in " + dimensionNames);
      }
      if (!seen.add(n)) {
        throw new DemoDataException(
            where, "dimension name '" + n + "' appears twice in " + dimensionNames);
      }
    }
    for (int i = 0; i < demos.size(); i++) {
      Demonstration demo = demos.get(i);
      validate(
          demo,
          dimensionNames,
          DataLocation.of(demo.source()).withDemo("#" + i + " (" + demo.name() + ")"));
    }
    checkMagnitudes(demos, dimensionNames, units);
    return new DemonstrationSet(demos, dimensionNames, units, frameId, source, null);
  }

  /**
   * A full-pose set: states [x, y, z, r_x, r_y, r_z] in [m, m, m, rad, rad, rad], r the rotation
   * vector of the orientation relative to {@code goalOrientation} ({@link PoseDemos}).
   *
   * @param goalOrientation q_g as x, y, z, w; unit within 1e-12. Not modified.
   * @throws IllegalArgumentException if this set's dimensions or units are not those of a pose set,
   *     or q_g is not a unit quaternion
   */
  DemonstrationSet withGoalOrientation(double[] goalOrientation) {
    if (!dimensionNames.equals(PoseDemos.NAMES) || !units.equals(PoseDemos.UNITS)) {
      throw new IllegalArgumentException(
          "a pose set has dimensions "
              + PoseDemos.NAMES
              + " in "
              + PoseDemos.UNITS
              + ", not "
              + dimensionNames
              + " in "
              + units);
    }
    double n = 0;
    for (double v : goalOrientation) {
      n += v * v;
    }
    if (goalOrientation.length != 4 || !(Math.abs(Math.sqrt(n) - 1) <= 1e-12)) {
      throw new IllegalArgumentException(
          "goal orientation must be a unit quaternion x, y, z, w, got "
              + java.util.Arrays.toString(goalOrientation));
    }
    return new DemonstrationSet(demos, dimensionNames, units, frameId, source, goalOrientation);
  }

  /** Whether the demos are full poses (see {@link #goalOrientation()}). */
  public boolean isPose() {
    return goalOrientation != null;
  }

  /**
   * Full poses: the goal orientation q_g (x, y, z, w; unit, w ≥ 0) the rotation vectors r_x, r_y,
   * r_z are relative to, {@code q = q_g ⊗ Exp(r)}; null for position-only and joint sets (a copy).
   */
  public double[] goalOrientation() {
    return goalOrientation == null ? null : goalOrientation.clone();
  }

  /**
   * A finite value this many times the spread of its dimension away from the median is not a
   * measurement (1e300 from a broken driver, a unit mix-up of 10^3 or more).
   */
  static final double ABSURD_FACTOR = 100.0;

  /**
   * Refuses finite values far outside the other samples: per dimension, the spread is the range
   * between the 1st and 99th percentile of all samples of all demos (so a few corrupt samples do
   * not widen it), floored at 1e-3 of the widest dimension's spread (a dimension that does not move
   * may still carry noise); a sample farther than {@link #ABSURD_FACTOR} spreads from the median is
   * named with its demo, index, time and field.
   */
  static void checkMagnitudes(
      List<Demonstration> demos, List<String> dimensionNames, List<String> units)
      throws DemoDataException {
    int d = dimensionNames.size();
    int total = 0;
    for (Demonstration demo : demos) {
      total += demo.size();
    }
    double[] median = new double[d];
    double[] lo = new double[d];
    double[] hi = new double[d];
    double widest = 0;
    double[] values = new double[total];
    for (int k = 0; k < d; k++) {
      int n = 0;
      for (Demonstration demo : demos) {
        for (double[] y : demo.statesView()) {
          values[n++] = y[k];
        }
      }
      java.util.Arrays.sort(values);
      median[k] = values[total / 2];
      lo[k] = values[(int) Math.floor(0.01 * (total - 1))];
      hi[k] = values[(int) Math.ceil(0.99 * (total - 1))];
      widest = Math.max(widest, hi[k] - lo[k]);
    }
    for (int k = 0; k < d; k++) {
      double spread = Math.max(hi[k] - lo[k], Math.max(1e-3 * widest, Double.MIN_NORMAL));
      double limit = ABSURD_FACTOR * spread;
      for (int i = 0; i < demos.size(); i++) {
        Demonstration demo = demos.get(i);
        double[][] y = demo.statesView();
        for (int j = 0; j < y.length; j++) {
          double off = Math.abs(y[j][k] - median[k]);
          if (!(off <= limit)) {
            String u = units.get(k).isEmpty() ? "" : " " + units.get(k);
            throw new DemoDataException(
                DataLocation.of(demo.source())
                    .withDemo("#" + i + " (" + demo.name() + ")")
                    .withField(dimensionNames.get(k)),
                String.format(
                    java.util.Locale.ROOT,
                    "value of sample %d (t = %s s) is %.6g%s, %.3g "
                        + "times the spread of all %s values (1st to 99th percentile %.6g..%.6g%s) "
                        + "from their median %.6g%s: not a plausible measurement. Remove or fix the "
                        + "sample (a driver glitch or a unit mix-up?)",
                    j,
                    demo.timesView()[j],
                    y[j][k],
                    u,
                    off / spread,
                    dimensionNames.get(k),
                    lo[k],
                    hi[k],
                    u,
                    median[k],
                    u));
          }
        }
      }
    }
  }

  /**
   * Checks one demo: ≥ 2 samples, finite numbers, strictly increasing times.
   *
   * <p>Non-increasing times are an error, not something to sort: they come from a recording with
   * two publishers on one topic, a clock jump or duplicated messages, and silently reordering such
   * data would train on a motion that never happened.
   */
  static void validate(Demonstration demo, List<String> dimensionNames, DataLocation where)
      throws DemoDataException {
    int n = demo.size();
    if (n < 2) {
      throw new DemoDataException(
          where,
          "has "
              + n
              + " sample"
              + (n == 1 ? "" : "s")
              + "; a demonstration needs at least 2 (check the gap threshold and trimming)");
    }
    if (demo.dimension() != dimensionNames.size()) {
      throw new DemoDataException(
          where,
          "has "
              + demo.dimension()
              + " state entries per sample but the set has "
              + dimensionNames.size()
              + " "
              + dimensionNames);
    }
    double[] t = demo.timesView();
    double[][] y = demo.statesView();
    for (int i = 0; i < n; i++) {
      if (!Double.isFinite(t[i])) {
        throw new DemoDataException(where.withField("t"), "time of sample " + i + " is " + t[i]);
      }
      for (int k = 0; k < y[i].length; k++) {
        if (!Double.isFinite(y[i][k])) {
          throw new DemoDataException(
              where.withField(dimensionNames.get(k)),
              "value of sample " + i + " (t = " + t[i] + " s) is " + y[i][k]);
        }
      }
    }
    int bad = 0;
    StringBuilder list = new StringBuilder();
    for (int i = 1; i < n; i++) {
      if (!(t[i] > t[i - 1])) {
        if (bad < MAX_LISTED) {
          list.append(bad == 0 ? "" : ", ")
              .append("sample ")
              .append(i)
              .append(" (t = ")
              .append(t[i])
              .append(" s after ")
              .append(t[i - 1])
              .append(" s)");
        } else if (bad == MAX_LISTED) {
          list.append(", ...");
        }
        bad++;
      }
    }
    if (bad > 0) {
      throw new DemoDataException(
          where.withField("t"),
          bad
              + " of "
              + n
              + " time stamps do not increase: "
              + list
              + ". Samples are not reordered; fix the recording (one publisher per topic, "
              + "monotonic stamps) or drop the duplicates");
    }
  }

  /** The demonstrations, in input order. */
  public List<Demonstration> demos() {
    return demos;
  }

  /** Number of demonstrations. */
  public int size() {
    return demos.size();
  }

  /** Demonstration i. */
  public Demonstration demo(int i) {
    return demos.get(i);
  }

  /** State dimension d. */
  public int dimension() {
    return dimensionNames.size();
  }

  /** Names of the state entries (x, y, z, or joint names). */
  public List<String> dimensionNames() {
    return dimensionNames;
  }

  /** Unit of each state entry (m, rad, or "" if unknown). */
  public List<String> units() {
    return units;
  }

  /** Frame the states are expressed in ("" if none). */
  public String frameId() {
    return frameId;
  }

  /** Where the data came from. */
  public String source() {
    return source;
  }

  /** Total number of samples over all demos. */
  public int sampleCount() {
    int n = 0;
    for (Demonstration d : demos) {
      n += d.size();
    }
    return n;
  }

  /**
   * A copy with other demos (same dimensions, units, frame, source and, for pose sets, goal
   * orientation); validated again.
   */
  public DemonstrationSet withDemos(List<Demonstration> newDemos) throws DemoDataException {
    DemonstrationSet s = of(newDemos, dimensionNames, units, frameId, source);
    return goalOrientation == null ? s : s.withGoalOrientation(goalOrientation);
  }

  /**
   * SHA-256 of the canonical content, as 64 lower-case hex digits: the data-set hash recorded in a
   * model's provenance.
   *
   * <p>It covers what the model is trained on and nothing else: dimension names, units, frame id,
   * and each demo's times relative to its first sample and its states, in order. Demo names and the
   * source description are left out, so that the same demonstrations read from a plain, lz4 or bz2
   * bag, or from the equivalent CSV, hash the same. The bytes hashed are, in big-endian {@link
   * DataOutputStream} encoding: the UTF string {@code "diffeo-motion demonstrations v1"}; int d; d
   * × UTF name; d × UTF unit; UTF frame id; int number of demos; per demo int n, n × double (t[i] −
   * t[0]), n·d × double y row-major. A pose set appends the UTF string {@code "goal orientation"}
   * and the 4 doubles of q_g (its r are relative to q_g); other sets hash as before.
   */
  public String sha256() {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 16);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeUTF("diffeo-motion demonstrations v1");
      out.writeInt(dimension());
      for (String n : dimensionNames) {
        out.writeUTF(n);
      }
      for (String u : units) {
        out.writeUTF(u);
      }
      out.writeUTF(frameId);
      out.writeInt(demos.size());
      for (Demonstration demo : demos) {
        double[] t = demo.timesView();
        double[][] y = demo.statesView();
        out.writeInt(t.length);
        for (double ti : t) {
          out.writeDouble(ti - t[0]);
        }
        for (double[] row : y) {
          for (double v : row) {
            out.writeDouble(v);
          }
        }
        // Flush in pieces so that big data sets do not build one huge array.
        out.flush();
        md.update(bytes.toByteArray());
        bytes.reset();
      }
      if (goalOrientation != null) {
        out.writeUTF("goal orientation");
        for (double v : goalOrientation) {
          out.writeDouble(v);
        }
      }
      out.flush();
      md.update(bytes.toByteArray());
    } catch (IOException e) {
      throw new IllegalStateException("in-memory stream cannot fail", e);
    }
    return HexFormat.of().formatHex(md.digest());
  }

  @Override
  public String toString() {
    List<String> dims = new ArrayList<>();
    for (int k = 0; k < dimensionNames.size(); k++) {
      String u = units.get(k);
      dims.add(u.isEmpty() ? dimensionNames.get(k) : dimensionNames.get(k) + " [" + u + "]");
    }
    return demos.size()
        + " demonstrations, "
        + sampleCount()
        + " samples, dimensions "
        + dims
        + (frameId.isEmpty() ? "" : " in frame " + frameId)
        + (goalOrientation == null
            ? ""
            : ", full poses relative to the goal orientation (x, y, z, w) "
                + java.util.Arrays.toString(goalOrientation))
        + ", from "
        + source;
  }
}
