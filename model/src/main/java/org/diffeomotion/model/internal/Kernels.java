package org.diffeomotion.model.internal;

/**
 * The few array operations that dominate the model's cost, behind one small interface so that a
 * plain scalar reference and a vectorized implementation can be swapped and compared.
 *
 * <p>Arrays are laid out "structure of arrays": row {@code r} of a block of {@code P} points starts
 * at {@code off + r * P}. Every method writes only the ranges it documents, allocates nothing and
 * never throws for in-range arguments (the callers validate sizes once, at construction).
 */
public abstract class Kernels {

  /** Kernel name as shown in benchmarks and stability reports, e.g. {@code "scalar"}. */
  public abstract String name();

  /**
   * Points per vector (1 for scalar kernels): batches of a multiple of it run without the scalar
   * tail loops, which cost several times more per point than the vector body.
   */
  public int lanes() {
    return 1;
  }

  /**
   * Dense layer over P points: {@code y[o*P + p] = bias[o] + sum_i w[o*in + i] * x[xOff + i*P +
   * p]}.
   *
   * @param w row-major out x in weights. Not modified.
   * @param bias out biases, or {@code null} for none (tangent propagation). Not modified.
   * @param x input rows starting at {@code xOff}. Not modified.
   * @param y output rows starting at {@code yOff}, must not alias {@code x}. Modified.
   */
  public abstract void dense(
      double[] w,
      double[] bias,
      int out,
      int in,
      double[] x,
      int xOff,
      int points,
      double[] y,
      int yOff);

  /**
   * {@link #dense} followed by tanh of every output (a hidden layer). Implementations may fuse the
   * two; the default does one after the other.
   */
  public void denseTanh(
      double[] w,
      double[] bias,
      int out,
      int in,
      double[] x,
      int xOff,
      int points,
      double[] y,
      int yOff) {
    dense(w, bias, out, in, x, xOff, points, y, yOff);
    tanh(y, yOff, out * points);
  }

  /** In place {@code a[i] = tanh(a[i])} for {@code i} in {@code [off, off+len)}. */
  public abstract void tanh(double[] a, int off, int len);

  /** In place {@code a[i] = exp(a[i])} for {@code i} in {@code [off, off+len)}. */
  public abstract void exp(double[] a, int off, int len);

  /**
   * {@code c[i] = cos(a[i]), s[i] = sin(a[i])} for i in {@code [0, len)}. {@code c} may alias
   * {@code a} (each element is read before it is written); {@code s} must not.
   */
  public abstract void sinCos(double[] a, double[] s, double[] c, int len);

  /** The reference implementation: plain loops and {@link Math}. */
  public static Kernels scalar() {
    return ScalarKernels.INSTANCE;
  }

  /**
   * The fastest kernels this JVM can run: the Vector API ones when the JVM was started with {@code
   * --add-modules jdk.incubator.vector}, else the scalar reference. The system property {@code
   * diffeomotion.kernels} ({@code scalar} or {@code vector}) forces a choice.
   */
  public static Kernels best() {
    return Holder.BEST;
  }

  /** Whether the vectorized kernels can be used in this JVM. */
  public static boolean vectorAvailable() {
    return Holder.VECTOR != null;
  }

  /** The vectorized kernels, or the scalar ones where the Vector API is not available. */
  public static Kernels vector() {
    return Holder.VECTOR != null ? Holder.VECTOR : ScalarKernels.INSTANCE;
  }

  /** Looks the kernels up by name ({@code scalar}, {@code vector}, {@code best}). */
  public static Kernels named(String name) {
    switch (name) {
      case "scalar":
        return scalar();
      case "vector":
        if (Holder.VECTOR == null) {
          throw new IllegalArgumentException(
              "kernels 'vector' need the JVM flag "
                  + "--add-modules jdk.incubator.vector (not present in this JVM)");
        }
        return Holder.VECTOR;
      case "best":
        return best();
      default:
        throw new IllegalArgumentException(
            "unknown kernels '" + name + "': expected scalar, vector or best");
    }
  }

  private static final class Holder {
    static final Kernels VECTOR = loadVector();
    static final Kernels BEST = chooseBest();

    private static Kernels loadVector() {
      if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
        return null;
      }
      try {
        return (Kernels)
            Class.forName("org.diffeomotion.model.internal.VectorKernels")
                .getDeclaredField("INSTANCE")
                .get(null);
      } catch (ReflectiveOperationException | LinkageError e) {
        return null;
      }
    }

    private static Kernels chooseBest() {
      String forced = System.getProperty("diffeomotion.kernels", "best");
      if (!forced.equals("best")) {
        return named(forced);
      }
      return VECTOR != null ? VECTOR : ScalarKernels.INSTANCE;
    }
  }
}
