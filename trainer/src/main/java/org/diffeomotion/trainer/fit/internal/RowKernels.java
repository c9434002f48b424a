package org.diffeomotion.trainer.fit.internal;

/**
 * The two loops of {@link ScalarFlow} that take the training time: one dense layer of a coupling
 * net for one row (with its tanh), and its reverse mode. Profiled on the handwriting benchmark
 * (JFR, 7 Dec 2026): these loops were 82 % of a fit's samples, the tanh of the 64 hidden units (one
 * {@link Math#exp} each) most of the forward half.
 *
 * <p>Two implementations: {@link #scalar()}, plain loops and {@link ScalarFlow#tanh} (the
 * reference, the formulas of TRAINING.md written out), and, when the JVM runs with {@code
 * --add-modules jdk.incubator.vector} (every launcher of this project does), {@code
 * VectorRowKernels}, the same sums in SIMD registers and the model module's rational tanh (relative
 * error ~1e-15). They agree to ~1e-15 relative, not to the bit: sums are reordered and fused. A
 * training run is bitwise reproducible on one kind of kernels (a checkpoint records which). The
 * system property {@code diffeomotion.kernels} ({@code scalar}, {@code vector} or {@code best})
 * forces a choice, as it does for the model module.
 */
public abstract class RowKernels {

  RowKernels() {}

  /** Name of {@link #best()}: "scalar" or "vector" (recorded in checkpoints and provenance). */
  public static String bestName() {
    return best().name();
  }

  /** Name recorded in checkpoints and provenance: "scalar" or "vector". */
  abstract String name();

  /**
   * z[o] = b[o] + sum_i W[o][i] h[i] for o < d.out(), then z = tanh(z) when {@code squash}. W and b
   * are read from th at d's offsets. z must not alias h.
   */
  abstract void dense(double[] th, FlowLayout.Dense d, double[] h, double[] z, boolean squash);

  /**
   * Reverse mode of {@link #dense} without its squash: adds dL/db = go and dL/dW = go h^T to g,
   * writes gi = W^T go and then, when {@code squashInput}, gi *= 1 - h^2 (h being the tanh output
   * of the layer below). go not modified; gi must not alias go.
   */
  abstract void denseBackward(
      double[] th,
      FlowLayout.Dense d,
      double[] h,
      double[] go,
      double[] g,
      double[] gi,
      boolean squashInput);

  /** The reference kernels: plain loops. */
  static RowKernels scalar() {
    return Scalar.INSTANCE;
  }

  /**
   * The vector kernels where the JVM has the Vector API, else the scalar ones; {@code
   * -Ddiffeomotion.kernels=scalar|vector} forces one (vector without the module: an error that says
   * which flag is missing).
   */
  static RowKernels best() {
    // Read on each call (a few per trainer), not in a static initialiser: a mistyped property is
    // then an IllegalArgumentException with its message, not an ExceptionInInitializerError.
    return named(System.getProperty(PROPERTY, "best"));
  }

  /** The system property that forces the kernels (shared with the model module's kernels). */
  public static final String PROPERTY = "diffeomotion.kernels";

  /** Looks the kernels up by name: scalar, vector or best. */
  static RowKernels named(String name) {
    switch (name) {
      case "scalar":
        return Scalar.INSTANCE;
      case "vector":
        if (Holder.VECTOR == null) {
          throw new IllegalArgumentException(
              "-D"
                  + PROPERTY
                  + "=vector needs the JVM flag --add-modules jdk.incubator.vector"
                  + " (not present in this JVM)");
        }
        return Holder.VECTOR;
      case "best":
        return Holder.VECTOR != null ? Holder.VECTOR : Scalar.INSTANCE;
      default:
        throw new IllegalArgumentException(
            "unknown kernels '" + name + "' (-D" + PROPERTY + "): expected scalar, vector or best");
    }
  }

  private static final class Holder {
    static final RowKernels VECTOR = load();

    /** Reflectively, so that a JVM without the module never links the vector class. */
    private static RowKernels load() {
      if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
        return null;
      }
      try {
        return (RowKernels)
            Class.forName("org.diffeomotion.trainer.fit.internal.VectorRowKernels")
                .getDeclaredField("INSTANCE")
                .get(null);
      } catch (ReflectiveOperationException | LinkageError e) {
        return null;
      }
    }
  }

  /** Plain loops: the formulas as written in TRAINING.md. */
  private static final class Scalar extends RowKernels {
    static final Scalar INSTANCE = new Scalar();

    @Override
    String name() {
      return "scalar";
    }

    @Override
    void dense(double[] th, FlowLayout.Dense d, double[] h, double[] z, boolean squash) {
      for (int o = 0; o < d.out(); o++) {
        double s = th[d.biasOffset() + o];
        int wo = d.weightOffset() + o * d.in();
        for (int i = 0; i < d.in(); i++) {
          s += th[wo + i] * h[i];
        }
        z[o] = squash ? ScalarFlow.tanh(s) : s;
      }
    }

    @Override
    void denseBackward(
        double[] th,
        FlowLayout.Dense d,
        double[] h,
        double[] go,
        double[] g,
        double[] gi,
        boolean squashInput) {
      java.util.Arrays.fill(gi, 0, d.in(), 0.0);
      for (int o = 0; o < d.out(); o++) {
        double gz = go[o];
        g[d.biasOffset() + o] += gz;
        int wo = d.weightOffset() + o * d.in();
        for (int i = 0; i < d.in(); i++) {
          g[wo + i] += gz * h[i];
          gi[i] += gz * th[wo + i];
        }
      }
      if (squashInput) {
        for (int i = 0; i < d.in(); i++) {
          gi[i] *= 1 - h[i] * h[i];
        }
      }
    }
  }
}
