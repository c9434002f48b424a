package org.diffeomotion.trainer.fit;

import java.util.ArrayList;
import java.util.List;

/**
 * An analytic stable 2-D system for tests and benchmarks: the linear spiral x' = A x, A = [[-decay,
 * -omega], [omega, -decay]], seen through the known smooth diffeomorphism psi(x) =
 * shear2(shear1(x)) with shear1(x) = (x1, x2 + 0.5 sin(1.5 x1)) and shear2(x) = (x1 + 0.3 x2^2,
 * x2). psi(0) = 0, so the goal is the origin; data are already normalised (g = 0, sigma = 1, tau =
 * 1 s). A test fixture: trainer test sources only (used by the trainer's tests and {@link
 * TrainBench}), not part of the trainer's API.
 */
public final class SyntheticSpiral {

  /** Decay rate of the true base [1/s]. */
  public static final double DECAY = 2.5;

  /** Angular frequency of the true base [rad/s]. */
  public static final double OMEGA = 4.0;

  private SyntheticSpiral() {}

  /**
   * @param trainDemos demos starting at angles 2 pi j / trainDemos on the unit circle of the base.
   * @param validationDemos demos starting halfway between (held out).
   * @param points samples per demo, uniform on s in [0, duration].
   * @param duration normalised duration of every demo.
   */
  public static TrainingSet create(
      int trainDemos, int validationDemos, int points, double duration) {
    List<Demo> train = new ArrayList<>();
    List<Demo> val = new ArrayList<>();
    for (int j = 0; j < trainDemos; j++) {
      train.add(demo(2 * Math.PI * j / trainDemos, points, duration));
    }
    for (int j = 0; j < validationDemos; j++) {
      val.add(demo(2 * Math.PI * (j + 0.5) / validationDemos + 0.1, points, duration));
    }
    return new TrainingSet(
        2,
        0,
        train,
        val,
        new double[] {0, 0},
        new double[] {1, 1},
        1.0,
        List.of("x", "y"),
        List.of("m", "m"),
        "world",
        "");
  }

  /** The true trajectory from base angle theta at time s. out: length 2, modified. */
  public static void truth(double theta, double s, double[] out) {
    double r = 1.2 * Math.exp(-DECAY * s);
    double x1 = r * Math.cos(theta + OMEGA * s);
    double x2 = r * Math.sin(theta + OMEGA * s);
    x2 = x2 + 0.5 * Math.sin(1.5 * x1);
    x1 = x1 + 0.3 * x2 * x2;
    out[0] = x1;
    out[1] = x2;
  }

  private static Demo demo(double theta, int points, double duration) {
    double[] s = new double[points];
    double[][] z = new double[points][2];
    for (int i = 0; i < points; i++) {
      s[i] = duration * i / (points - 1);
      truth(theta, s[i], z[i]);
    }
    return new Demo(s, z);
  }
}
