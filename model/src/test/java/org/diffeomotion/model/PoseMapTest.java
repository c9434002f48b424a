package org.diffeomotion.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.diffeomotion.model.testing.ModelFactory;
import org.diffeomotion.model.testing.ModelSpec;
import org.diffeomotion.proto.model.v1.Model;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Full-pose models: the artifact's pose layout, the maps, goal pose, angular velocity. */
class PoseMapTest {
  static final long SEED = 612L;
  static final double[] GOAL_Q = {0.2, -0.3, 0.5, 0.7857};

  static ModelSpec spec() {
    return new ModelSpec()
        .pose(GOAL_Q)
        .blocks(3)
        .hidden(16)
        .goal(0.4, -0.1, 0.3, 0, 0, 0)
        .scale(0.1, 0.1, 0.1, 0.8, 0.8, 0.8)
        .timeScale(0.7);
  }

  static double[] randomPose(Random rnd, double angle) {
    double[] r = So3Test.scaled(So3Test.randomAxis(rnd), angle);
    double[] q = new double[4];
    So3.exp(r, 0, q, 0);
    double[] g = GOAL_Q.clone();
    double n = So3.norm(g, 0);
    for (int i = 0; i < 4; i++) {
      g[i] /= n;
    }
    double[] out = new double[7];
    out[0] = 0.4 + 0.1 * rnd.nextGaussian();
    out[1] = -0.1 + 0.1 * rnd.nextGaussian();
    out[2] = 0.3 + 0.1 * rnd.nextGaussian();
    So3.multiply(g, 0, q, 0, out, 3);
    return out;
  }

  @Test
  void poseToStateAndBackRoundTrips() {
    MotionModel m = ModelFactory.random(spec(), SEED);
    PoseMap map = new PoseMap(m);
    Random rnd = new Random(SEED);
    for (int k = 0; k < 200; k++) {
      double[] pose = randomPose(rnd, 3.1 * rnd.nextDouble());
      double[] y = new double[6];
      map.toState(pose, 0, y, 0);
      double[] back = new double[7];
      map.toPose(y, 0, back, 0);
      double sign = pose[6] * back[6] < 0 ? -1 : 1;
      for (int i = 0; i < 7; i++) {
        assertEquals((i < 3 ? 1 : sign) * pose[i], back[i], 1e-12, "seed " + SEED + " pose " + k);
      }
    }
    double[] goalPose = new double[7];
    map.toPose(m.goal(), 0, goalPose, 0);
    assertEquals(0, So3.angleBetween(goalPose, 3, m.goalOrientation(), 0), 1e-15);
  }

  @Test
  void rolloutsReachTheGoalPoseExactly() {
    MotionModel m = ModelFactory.random(spec(), SEED + 1);
    PoseMap map = new PoseMap(m);
    Rollout rollout = new Rollout(m, 2);
    Random rnd = new Random(SEED + 1);
    for (int k = 0; k < 20; k++) {
      double[] start = randomPose(rnd, 0.5 + 2.5 * rnd.nextDouble());
      double[] y0 = new double[6];
      map.toState(start, 0, y0, 0);
      double[] out = new double[12];
      rollout.rollout(y0, new double[] {0, 1000 * m.timeScale()}, 2, out);
      double[] end = new double[7];
      map.toPose(out, 6, end, 0);
      double angle = So3.angleBetween(end, 3, m.goalOrientation(), 0);
      assertTrue(angle <= 1e-6, "seed " + (SEED + 1) + ": angle error at t -> inf " + angle);
      for (int i = 0; i < 3; i++) {
        assertEquals(m.goal()[i], end[i], 1e-9, "position at t -> inf");
      }
    }
  }

  @Test
  void commandedAngularVelocityIntegratesToTheClosedFormOrientations() {
    // dopri5 on the pose kinematics p' = v, q' = (0, omega_s) * q / 2, with v and omega_s the
    // commands at the current pose (state feedback), against the closed-form rollout.
    MotionModel m = ModelFactory.random(spec(), SEED + 2);
    PoseMap map = new PoseMap(m);
    VelocityField field = new VelocityField(m);
    double[] y = new double[6];
    double[] ydot = new double[6];
    double[] w = new double[3];
    double[] pose = new double[7];
    OdeRhs kinematics =
        (t, s, ds) -> {
          System.arraycopy(s, 0, pose, 0, 7);
          map.toState(pose, 0, y, 0);
          field.velocity(y, ydot);
          map.linearVelocity(ydot, 0, ds, 0);
          map.angularVelocity(y, 0, ydot, 0, w, 0);
          double[] om = {w[0], w[1], w[2], 0};
          double[] qd = new double[4];
          So3.multiply(om, 0, s, 3, qd, 0);
          for (int i = 0; i < 4; i++) {
            ds[3 + i] = 0.5 * qd[i];
          }
        };
    Random rnd = new Random(SEED + 2);
    int n = 40;
    double[] times = new double[n];
    for (int j = 0; j < n; j++) {
      times[j] = j * 6.0 * m.timeScale() / (n - 1);
    }
    for (int k = 0; k < 5; k++) {
      double[] start = randomPose(rnd, 0.3 + 2.0 * rnd.nextDouble());
      double[] out = new double[7 * n];
      Integrators.create("dopri5", Map.of("rtol", 1e-11, "atol", 1e-12))
          .integrate(kinematics, start, times, n, out);
      double[] y0 = new double[6];
      map.toState(start, 0, y0, 0);
      double[] closed = new double[6 * n];
      new Rollout(m, n).rollout(y0, times, n, closed);
      double worst = 0;
      double worstP = 0;
      double[] cp = new double[7];
      for (int j = 0; j < n; j++) {
        map.toPose(closed, 6 * j, cp, 0);
        double nq = So3.norm(out, 7 * j + 3);
        for (int i = 3; i < 7; i++) {
          out[7 * j + i] /= nq;
        }
        worst = Math.max(worst, So3.angleBetween(cp, 3, out, 7 * j + 3));
        for (int i = 0; i < 3; i++) {
          worstP = Math.max(worstP, Math.abs(cp[i] - out[7 * j + i]));
        }
      }
      assertTrue(worst <= 1e-6, "seed " + (SEED + 2) + ": orientation error " + worst + " rad");
      assertTrue(worstP <= 1e-7, "seed " + (SEED + 2) + ": position error " + worstP + " m");
    }
  }

  @Test
  void bodyAndModelFrameAngularVelocitiesDifferByTheOrientation() {
    MotionModel m = ModelFactory.random(spec(), SEED + 3);
    PoseMap map = new PoseMap(m);
    double[] pose = randomPose(new Random(SEED + 3), 1.2);
    double[] y = new double[6];
    map.toState(pose, 0, y, 0);
    double[] ydot = new double[6];
    new VelocityField(m).velocity(y, ydot);
    double[] body = new double[3];
    double[] spatial = new double[3];
    map.bodyAngularVelocity(y, 0, ydot, 0, body, 0);
    map.angularVelocity(y, 0, ydot, 0, spatial, 0);
    double[] rotated = new double[3];
    So3.rotate(pose, 3, body, 0, rotated, 0);
    for (int i = 0; i < 3; i++) {
      assertEquals(rotated[i], spatial[i], 1e-12);
    }
  }

  @Test
  void movingTheGoalPoseMovesWhereRolloutsEnd() {
    MotionModel m = ModelFactory.random(spec(), SEED + 4);
    PoseMap map = new PoseMap(m);
    Rollout rollout = new Rollout(m, 2);
    double[] newGoal = {1, 2, 3, 0, 0, Math.sin(0.6), Math.cos(0.6)};
    rollout.setGoal(map.setGoalPose(newGoal, 0));
    double[] start = randomPose(new Random(SEED + 4), 1.0);
    double[] y0 = new double[6];
    map.toState(start, 0, y0, 0);
    double[] out = new double[12];
    rollout.rollout(y0, new double[] {0, 1000 * m.timeScale()}, 2, out);
    double[] end = new double[7];
    map.toPose(out, 6, end, 0);
    assertTrue(So3.angleBetween(end, 3, newGoal, 3) <= 1e-6, "ends at the new goal orientation");
    assertEquals(3, end[2], 1e-9);
    map.resetGoalOrientation();
    assertEquals(0, So3.angleBetween(map.goalOrientation(), 0, m.goalOrientation(), 0), 0);
  }

  @Test
  void badQuaternionsAreNamed() {
    assertNull(PoseMap.checkQuaternion("q", new double[] {0, 0, 0, 1.005}, 0));
    assertTrue(
        PoseMap.checkQuaternion("start.orientation", new double[] {0, 0, 0, 2}, 0)
            .startsWith("start.orientation has norm 2.0"));
    assertTrue(
        PoseMap.checkQuaternion("q", new double[] {0, Double.NaN, 0, 1}, 0)
            .startsWith("q.y is NaN"));
    PoseMap map = new PoseMap(ModelFactory.random(spec(), SEED));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> map.setGoalPose(new double[] {0, 0, Double.POSITIVE_INFINITY, 0, 0, 0, 1}, 0));
    assertTrue(e.getMessage().startsWith("goal.position.z is Infinity"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> new PoseMap(ModelFactory.random(new ModelSpec().stateDim(3), 1)));
  }

  @Test
  void stabilityStatementIsAlmostGlobalInOrientation() {
    String s = ModelFactory.random(spec(), SEED).stability().statement();
    assertTrue(s.contains("almost globally"), s);
    assertTrue(s.contains("|r| = pi"), s);
  }

  @Test
  void poseModelsAreFormatVersionTwoAndRoundTrip(@TempDir Path dir) throws Exception {
    MotionModel m = ModelFactory.random(spec(), SEED);
    Path f = dir.resolve("pose.dmm");
    ModelArtifacts.write(m, f);
    assertEquals(
        2,
        org.diffeomotion.proto.model.v1.ModelFile.parseFrom(Files.readAllBytes(f))
            .getFormatVersion());
    MotionModel back = ModelArtifacts.read(f);
    assertTrue(back.isPose());
    assertEquals(m.toProto(), back.toProto());
    assertFalse(ModelFactory.random(new ModelSpec(), 1).isPose());
  }

  @Test
  void invalidPoseLayoutsNameTheField() {
    Model good = ModelFactory.randomProto(spec(), SEED);
    expect(good.toBuilder().setGoal(4, 0.1).build(), "goal[4]: is 0.1 but must be 0");
    expect(
        good.toBuilder().setDimensionUnits(1, "mm").build(),
        "dimension_units[1]: is 'mm', a pose model's position_dims are in 'm'");
    expect(
        good.toBuilder().setPose(good.getPose().toBuilder().setRotationDims(2, 0)).build(),
        "pose.rotation_dims[2]: = 0 is outside 0..5 or used twice");
    expect(
        good.toBuilder().setPose(good.getPose().toBuilder().setGoalOrientation(3, 5.0)).build(),
        "pose.goal_orientation: has norm");
    expect(
        good.toBuilder()
            .setPose(good.getPose().toBuilder().clearGoalOrientation().addGoalOrientation(1))
            .build(),
        "pose.goal_orientation: has 1 values, expected 4");
  }

  private static void expect(Model m, String start) {
    ModelFormatException e =
        assertThrows(ModelFormatException.class, () -> MotionModel.fromProto(m));
    assertNotNull(e.getMessage());
    assertTrue(
        e.getMessage().startsWith(start), "expected '" + start + "', got: " + e.getMessage());
  }
}
