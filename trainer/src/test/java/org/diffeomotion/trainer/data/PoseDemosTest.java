package org.diffeomotion.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.diffeomotion.model.So3;
import org.junit.jupiter.api.Test;

class PoseDemosTest {

  private static final String FIELD = "pose.orientation";

  /** q = Exp(r). */
  private static double[] exp(double rx, double ry, double rz) {
    double[] q = new double[4];
    So3.exp(new double[] {rx, ry, rz}, 0, q, 0);
    return q;
  }

  private static double[] mul(double[] a, double[] b) {
    double[] q = new double[4];
    So3.multiply(a, 0, b, 0, q, 0);
    return q;
  }

  /**
   * A smooth demo: position along a line, orientation q_end ⊗ Exp((1 − s) r0) with s from 0 to 1
   * over n samples at 50 Hz.
   */
  private static Demonstration demo(String name, double[] qEnd, double[] r0, double[] p0, int n) {
    double[] t = new double[n];
    double[][] y = new double[n][7];
    for (int j = 0; j < n; j++) {
      double s = j / (n - 1.0);
      t[j] = j * 0.02;
      double[] q = mul(qEnd, exp((1 - s) * r0[0], (1 - s) * r0[1], (1 - s) * r0[2]));
      for (int k = 0; k < 3; k++) {
        y[j][k] = (1 - s) * p0[k];
      }
      System.arraycopy(q, 0, y[j], 3, 4);
    }
    return new Demonstration(name, "test.bag topic /pose", t, y);
  }

  private static DemonstrationSet raw(List<Demonstration> demos) throws DemoDataException {
    return DemonstrationSet.of(
        PoseDemos.cleanQuaternions(demos, FIELD),
        BagFieldExtractor.POSE_NAMES,
        List.of("m", "m", "m", "", "", "", ""),
        "base_link",
        "test.bag topic /pose");
  }

  private static List<Demonstration> threeDemos() {
    double[] qg = exp(0.3, -0.2, 0.9);
    List<Demonstration> demos = new ArrayList<>();
    demos.add(
        demo(
            "a",
            mul(qg, exp(0.01, 0, 0)),
            new double[] {1.2, 0.3, 0},
            new double[] {0.3, 0.1, 0.2},
            60));
    demos.add(
        demo(
            "b",
            mul(qg, exp(0, -0.01, 0.005)),
            new double[] {0.9, -0.4, 0.5},
            new double[] {-0.2, 0.3, 0.1},
            70));
    demos.add(
        demo(
            "c",
            mul(qg, exp(-0.008, 0.006, -0.004)),
            new double[] {1.5, 0, -0.3},
            new double[] {0.1, -0.3, 0.25},
            55));
    return demos;
  }

  /** Every quaternion of a demo negated wherever the seeded coin says so. */
  private static List<Demonstration> flipped(List<Demonstration> demos, long seed) {
    Random rnd = new Random(seed);
    List<Demonstration> out = new ArrayList<>();
    for (Demonstration d : demos) {
      double[][] y = d.statesView();
      double[][] f = new double[y.length][];
      for (int j = 0; j < y.length; j++) {
        f[j] = y[j].clone();
        if (rnd.nextBoolean()) {
          for (int k = 3; k < 7; k++) {
            f[j][k] = -f[j][k];
          }
        }
      }
      out.add(new Demonstration(d.name(), d.source(), d.timesView(), f));
    }
    return out;
  }

  @Test
  void signFlipsAreMadeContinuousAndGiveTheSameRotationVectors() throws DemoDataException {
    long seed = 12L;
    List<Demonstration> demos = threeDemos();
    DemonstrationSet plain = PoseDemos.toRotationVectors(raw(demos), FIELD);
    DemonstrationSet rawFlipped = raw(flipped(demos, seed));
    for (Demonstration d : rawFlipped.demos()) {
      double[][] y = d.statesView();
      for (int j = 1; j < y.length; j++) {
        double dot = 0;
        for (int k = 3; k < 7; k++) {
          dot += y[j][k] * y[j - 1][k];
        }
        assertTrue(dot > 0.99, "seed " + seed + ": " + d.name() + " sample " + j + " dot " + dot);
      }
    }
    DemonstrationSet flip = PoseDemos.toRotationVectors(rawFlipped, FIELD);
    assertArrayEquals(plain.goalOrientation(), flip.goalOrientation(), 1e-15, "seed " + seed);
    for (int i = 0; i < plain.size(); i++) {
      double[][] a = plain.demo(i).statesView();
      double[][] b = flip.demo(i).statesView();
      for (int j = 0; j < a.length; j++) {
        assertArrayEquals(a[j], b[j], 1e-14, "seed " + seed + ": demo " + i + " sample " + j);
      }
    }
    assertEquals(PoseDemos.NAMES, plain.dimensionNames());
    assertEquals(PoseDemos.UNITS, plain.units());
    assertTrue(plain.isPose());
    // The hash covers r and q_g, both unchanged by the flips.
    assertEquals(plain.sha256(), flip.sha256());
  }

  @Test
  void rotationVectorsMapBackToTheMeasuredOrientations() throws DemoDataException {
    List<Demonstration> demos = threeDemos();
    DemonstrationSet set = PoseDemos.toRotationVectors(raw(demos), FIELD);
    double[] qg = set.goalOrientation();
    double[] q = new double[4];
    for (int i = 0; i < set.size(); i++) {
      double[][] r = set.demo(i).statesView();
      double[][] y = demos.get(i).statesView();
      for (int j = 0; j < r.length; j++) {
        So3.exp(r[j], 3, q, 0);
        So3.multiply(qg, 0, q, 0, q, 0);
        assertTrue(
            So3.angleBetween(q, 0, y[j], 3) < 1e-12, "demo " + i + " sample " + j + " angle");
        assertArrayEquals(
            java.util.Arrays.copyOf(y[j], 3), java.util.Arrays.copyOf(r[j], 3), 0.0, "position");
      }
    }
  }

  @Test
  void nearlyUnitQuaternionsAreNormalisedOthersRefusedNamingTheSample() throws DemoDataException {
    List<Demonstration> demos = threeDemos();
    double[][] y = demos.get(1).statesView();
    double[][] scaled = new double[y.length][];
    for (int j = 0; j < y.length; j++) {
      scaled[j] = y[j].clone();
    }
    for (int k = 3; k < 7; k++) {
      scaled[7][k] *= 1.008;
    }
    List<Demonstration> ok = new ArrayList<>(demos);
    ok.set(1, new Demonstration("b", demos.get(1).source(), demos.get(1).timesView(), scaled));
    double[][] clean = PoseDemos.cleanQuaternions(ok, FIELD).get(1).statesView();
    assertArrayEquals(y[7], clean[7], 1e-15, "normalised back");

    for (double factor : new double[] {1.02, 0.97}) {
      double[][] bad = new double[y.length][];
      for (int j = 0; j < y.length; j++) {
        bad[j] = y[j].clone();
      }
      for (int k = 3; k < 7; k++) {
        bad[7][k] *= factor;
      }
      List<Demonstration> l = new ArrayList<>(demos);
      l.set(1, new Demonstration("b", demos.get(1).source(), demos.get(1).timesView(), bad));
      DemoDataException e =
          assertThrows(DemoDataException.class, () -> PoseDemos.cleanQuaternions(l, FIELD));
      String msg = e.getMessage();
      assertTrue(
          msg.contains("#1 (b)") && msg.contains("sample 7") && msg.contains(FIELD),
          factor + ": " + msg);
      assertTrue(msg.contains("norm"), msg);
    }

    double[][] nan = new double[y.length][];
    for (int j = 0; j < y.length; j++) {
      nan[j] = y[j].clone();
    }
    nan[12][5] = Double.NaN;
    List<Demonstration> l = new ArrayList<>(demos);
    l.set(1, new Demonstration("b", demos.get(1).source(), demos.get(1).timesView(), nan));
    DemoDataException e =
        assertThrows(DemoDataException.class, () -> PoseDemos.cleanQuaternions(l, FIELD));
    assertTrue(
        e.getMessage().contains("sample 12")
            && e.getMessage().contains(FIELD + ".z")
            && e.getMessage().contains("NaN"),
        e.getMessage());
  }

  @Test
  void karcherMeanOfSymmetricRotationsAboutAnAxisIsTheMiddleOne() {
    double[] axis = {0.48, -0.6, 0.64}; // unit
    double[] base = exp(0.2, 0.7, -0.4);
    double middle = 0.8;
    double[] deltas = {0.05, 0.3, 0.6};
    List<double[]> qs = new ArrayList<>();
    for (double dl : deltas) {
      for (double sgn : new double[] {-1, 1}) {
        double a = middle + sgn * dl;
        qs.add(mul(base, exp(a * axis[0], a * axis[1], a * axis[2])));
      }
    }
    // A sign flip of some inputs must not matter.
    for (int k = 0; k < 4; k++) {
      qs.get(3)[k] = -qs.get(3)[k];
    }
    double[] mean = PoseDemos.karcherMean(qs.toArray(new double[0][]));
    double[] expected = mul(base, exp(middle * axis[0], middle * axis[1], middle * axis[2]));
    assertTrue(So3.angleBetween(mean, 0, expected, 0) < 1e-13, java.util.Arrays.toString(mean));
    assertTrue(mean[3] >= 0);
    assertEquals(1.0, So3.norm(mean, 0), 1e-15);
  }

  @Test
  void karcherMeanOfAScatteredClusterHasZeroMeanResidual() {
    long seed = 77L;
    Random rnd = new Random(seed);
    double[] centre = exp(1.1, -0.5, 2.0);
    double[][] qs = new double[9][];
    for (int i = 0; i < qs.length; i++) {
      qs[i] =
          mul(
              centre,
              exp(0.6 * rnd.nextGaussian(), 0.6 * rnd.nextGaussian(), 0.6 * rnd.nextGaussian()));
    }
    double[] mean = PoseDemos.karcherMean(qs);
    double[] rel = new double[4];
    double[] r = new double[3];
    double[] sum = new double[3];
    for (double[] q : qs) {
      So3.multiplyConjugate(mean, 0, q, 0, rel, 0);
      So3.log(rel, 0, r, 0);
      for (int k = 0; k < 3; k++) {
        sum[k] += r[k] / qs.length;
      }
    }
    double residual = Math.sqrt(sum[0] * sum[0] + sum[1] * sum[1] + sum[2] * sum[2]);
    assertTrue(residual < 1e-12, "seed " + seed + ": mean residual " + residual);
    // Not the chordal (normalised-sum) mean, which differs for a spread this wide.
    double[] chordal = new double[4];
    for (double[] q : qs) {
      double dot = q[0] * qs[0][0] + q[1] * qs[0][1] + q[2] * qs[0][2] + q[3] * qs[0][3];
      for (int k = 0; k < 4; k++) {
        chordal[k] += Math.signum(dot) * q[k];
      }
    }
    double n = So3.norm(chordal, 0);
    for (int k = 0; k < 4; k++) {
      chordal[k] /= n;
    }
    assertTrue(So3.angleBetween(mean, 0, chordal, 0) > 1e-6, "seed " + seed);
  }

  @Test
  void aDemoTurnedNearlyAHalfTurnFromTheGoalIsRefusedWithTheAngle() {
    List<Demonstration> demos = threeDemos();
    double[] qg = exp(0.3, -0.2, 0.9);
    // 170° from its end (and from the goal) at the start.
    double a = Math.toRadians(170);
    demos.set(2, demo("c", qg, new double[] {0, a, 0}, new double[] {0.1, -0.3, 0.25}, 55));
    DemoDataException e =
        assertThrows(DemoDataException.class, () -> PoseDemos.toRotationVectors(raw(demos), FIELD));
    String msg = e.getMessage();
    assertTrue(msg.contains("#2 (c)") && msg.contains("sample 0") && msg.contains("170."), msg);
    assertTrue(msg.contains("162°"), msg);
    // 150° is accepted.
    demos.set(
        2,
        demo(
            "c", qg, new double[] {0, Math.toRadians(150), 0}, new double[] {0.1, -0.3, 0.25}, 55));
    assertTrue(
        assertDoesNotThrowSet(demos).isPose(), "150° from the goal is inside the 0.9 pi limit");
  }

  private static DemonstrationSet assertDoesNotThrowSet(List<Demonstration> demos) {
    try {
      return PoseDemos.toRotationVectors(raw(demos), FIELD);
    } catch (DemoDataException e) {
      throw new AssertionError(e.getMessage(), e);
    }
  }

  @Test
  void theRotationWeighsAQuarterOfThePositionByDefault() throws DemoDataException {
    DemonstrationSet poses = PoseDemos.toRotationVectors(raw(threeDemos()), FIELD);
    PreparedData even =
        Preprocessor.prepare(poses, PreprocessOptions.defaults().withRotationWeight(1));
    PreparedData byDefault = Preprocessor.prepare(poses, PreprocessOptions.defaults());
    PreparedData less =
        Preprocessor.prepare(poses, PreprocessOptions.defaults().withRotationWeight(1.0 / 16));
    PreparedData more =
        Preprocessor.prepare(poses, PreprocessOptions.defaults().withRotationWeight(4));
    double[] e = even.scale();
    double[] d = byDefault.scale();
    double[] l = less.scale();
    double[] m = more.scale();
    for (int k = 0; k < 3; k++) {
      assertEquals(e[k], d[k], 0.0, "position σ_" + k + " does not depend on the weight");
      assertEquals(e[k], m[k], 0.0);
      assertEquals(e[k], l[k], 0.0);
      // weight w divides σ_rot by √w, so the squared normalised error is weighed w times
      assertEquals(2 * e[3 + k], d[3 + k], 1e-15 * e[3 + k], "rotation σ, weight 1/4");
      assertEquals(4 * e[3 + k], l[3 + k], 1e-15 * e[3 + k], "rotation σ, weight 1/16");
      assertEquals(0.5 * e[3 + k], m[3 + k], 1e-15 * e[3 + k], "rotation σ, weight 4");
      assertEquals(e[3], e[3 + k], 0.0, "the rotation vector's components share one σ");
    }
    // with the default the rotation spans half the normalised range, the position all of it
    double[] z = byDefault.trainingData().z();
    double rot = 0;
    double pos = 0;
    for (int i = 0; i < z.length; i += 6) {
      for (int k = 0; k < 3; k++) {
        pos = Math.max(pos, Math.abs(z[i + k]));
        rot = Math.max(rot, Math.abs(z[i + 3 + k]));
      }
    }
    assertEquals(1.0, pos, 1e-12);
    assertEquals(0.5, rot, 1e-12);
    assertThrows(
        IllegalArgumentException.class, () -> PreprocessOptions.defaults().withRotationWeight(0));
    assertThrows(
        IllegalArgumentException.class,
        () -> PreprocessOptions.defaults().withRotationWeight(Double.NaN));
    assertThrows(
        IllegalArgumentException.class, () -> PreprocessOptions.defaults().withRotationWeight(1e5));
  }

  @Test
  void endOrientationsThatDisagreeAreRefusedInDegreesAndTheSpreadReported()
      throws DemoDataException {
    List<Demonstration> demos = threeDemos();
    PreparedData ok =
        Preprocessor.prepare(
            PoseDemos.toRotationVectors(raw(demos), FIELD), PreprocessOptions.defaults());
    assertTrue(ok.isPose());
    // The ends are ~0.6° apart: within the limit, and q_g's r of the ends average to 0.
    assertTrue(ok.rotationSpreadMax() > 0.005 && ok.rotationSpreadMax() < 0.02, "" + ok);
    assertTrue(ok.rotationSpreadRms() <= ok.rotationSpreadMax());
    double[] g = ok.goal();
    assertEquals(0.0, g[3]);
    assertEquals(0.0, g[4]);
    assertEquals(0.0, g[5]);

    double[] qg = exp(0.3, -0.2, 0.9);
    demos.set(
        0,
        demo(
            "a",
            mul(qg, exp(0, 0, 0.5)),
            new double[] {1.2, 0.3, 0},
            new double[] {0.3, 0.1, 0.2},
            60));
    DemonstrationSet bad = PoseDemos.toRotationVectors(raw(demos), FIELD);
    DemoDataException e =
        assertThrows(
            DemoDataException.class, () -> Preprocessor.prepare(bad, PreprocessOptions.defaults()));
    String msg = e.getMessage();
    assertTrue(
        msg.contains("#0 (a)") && msg.contains("mean end orientation") && msg.contains("°"), msg);
    assertTrue(msg.contains("rad"), msg);
  }

  @Test
  void theGoalOrientationIsPartOfTheDataHash() throws DemoDataException {
    DemonstrationSet set = PoseDemos.toRotationVectors(raw(threeDemos()), FIELD);
    DemonstrationSet plain =
        DemonstrationSet.of(set.demos(), set.dimensionNames(), set.units(), set.frameId(), "x");
    assertTrue(!plain.sha256().equals(set.sha256()));
    assertEquals(set.sha256(), set.withDemos(set.demos()).sha256());
    assertArrayEquals(set.goalOrientation(), set.withDemos(set.demos()).goalOrientation(), 0.0);
  }
}
