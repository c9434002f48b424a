package org.diffeomotion.grpc;

import static org.diffeomotion.grpc.GrpcFixture.expectStatus;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status.Code;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import org.diffeomotion.model.ModelArtifacts;
import org.diffeomotion.model.MotionModel;
import org.diffeomotion.model.PoseMap;
import org.diffeomotion.model.Precision;
import org.diffeomotion.model.Rollout;
import org.diffeomotion.model.So3;
import org.diffeomotion.model.VelocityField;
import org.diffeomotion.model.testing.ModelFactory;
import org.diffeomotion.model.testing.ModelSpec;
import org.diffeomotion.proto.motion.v1.DescribeModelRequest;
import org.diffeomotion.proto.motion.v1.ExplicitTimes;
import org.diffeomotion.proto.motion.v1.ModelDescription;
import org.diffeomotion.proto.motion.v1.MotionOverrides;
import org.diffeomotion.proto.motion.v1.RolloutBatchRequest;
import org.diffeomotion.proto.motion.v1.RolloutBatchResponse;
import org.diffeomotion.proto.motion.v1.RolloutRequest;
import org.diffeomotion.proto.motion.v1.RolloutResponse;
import org.diffeomotion.proto.motion.v1.Setpoint;
import org.diffeomotion.proto.motion.v1.StreamSetpointsRequest;
import org.diffeomotion.proto.motion.v1.TimeGrid;
import org.diffeomotion.proto.motion.v1.UniformCount;
import org.diffeomotion.proto.motion.v1.VelocityRequest;
import org.diffeomotion.proto.motion.v1.VelocityResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Full-pose models over gRPC (the 1.2 fields), in-process and over a real Netty loopback socket:
 * poses and angular velocities against the model module's {@link PoseMap} of the returned states,
 * start poses against the equivalent states, the goal pose reached and moved, validation,
 * position-only responses without pose fields, response-size limits counting the pose values, and
 * {@code --precision float}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PoseServingTest {
  /** Server vs the test's own evaluators (JIT tiers may round the last bit differently). */
  static final double TOL = 1e-12;

  static final double[] GOAL_Q = {0.2, -0.3, 0.5, 0.7857};
  static final double[] GOAL_P = {0.4, -0.1, 0.3};

  /** The response-size limit of the {@link #small} server: fits the states, not the poses. */
  static final long SMALL_LIMIT = 20_000;

  private long seed;
  private Path dir;
  private GrpcFixture inProcess;
  private GrpcFixture netty;
  private GrpcFixture floats;
  private GrpcFixture small;
  private MotionModel model;

  static MotionModel poseModel(long seed) {
    return ModelFactory.random(
        new ModelSpec()
            .name("pose")
            .pose(GOAL_Q)
            .blocks(4)
            .hidden(32)
            .goal(GOAL_P[0], GOAL_P[1], GOAL_P[2], 0, 0, 0)
            .scale(0.1, 0.1, 0.1, 0.8, 0.8, 0.8)
            .timeScale(0.7),
        seed);
  }

  @BeforeAll
  void start() throws Exception {
    seed = GrpcFixture.seed("PoseServingTest");
    dir = Files.createTempDirectory("motion-grpc-pose");
    GrpcFixture.writeModels(dir, seed);
    model = poseModel(seed + 7);
    ModelArtifacts.write(model, dir.resolve("pose.dmm"));
    inProcess = GrpcFixture.start(GrpcFixture.Transport.IN_PROCESS, dir, ServiceLimits.defaults());
    netty = GrpcFixture.start(GrpcFixture.Transport.NETTY, dir, ServiceLimits.defaults());
    floats =
        GrpcFixture.start(
            GrpcFixture.Transport.NETTY, dir, ServiceLimits.defaults(), Precision.FLOAT);
    small =
        GrpcFixture.start(
            GrpcFixture.Transport.IN_PROCESS,
            dir,
            ServiceLimits.defaults().withMaxResponseValues(SMALL_LIMIT));
  }

  @AfterAll
  void stop() throws Exception {
    try {
      for (GrpcFixture f : new GrpcFixture[] {inProcess, netty, floats, small}) {
        if (f != null) {
          f.close();
        }
      }
    } finally {
      TestFiles.deleteTree(dir);
    }
  }

  private GrpcFixture fx(GrpcFixture.Transport t) {
    return t == GrpcFixture.Transport.IN_PROCESS ? inProcess : netty;
  }

  private static double[] array(List<Double> values) {
    double[] a = new double[values.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = values.get(i);
    }
    return a;
  }

  private static TimeGrid count(int n, double duration) {
    return TimeGrid.newBuilder()
        .setUniformCount(UniformCount.newBuilder().setCount(n).setDuration(duration))
        .build();
  }

  /** A pose near the goal: position within ~0.1 m, orientation {@code angle} rad from q_g. */
  static double[] randomPose(Random rnd, double angle) {
    double[] axis = {rnd.nextGaussian(), rnd.nextGaussian(), rnd.nextGaussian()};
    double n = Math.sqrt(axis[0] * axis[0] + axis[1] * axis[1] + axis[2] * axis[2]);
    double[] r = {axis[0] / n * angle, axis[1] / n * angle, axis[2] / n * angle};
    double[] q = new double[4];
    So3.exp(r, 0, q, 0);
    double[] g = GOAL_Q.clone();
    double gn = So3.norm(g, 0);
    for (int i = 0; i < 4; i++) {
      g[i] /= gn;
    }
    double[] pose = new double[7];
    for (int i = 0; i < 3; i++) {
      pose[i] = GOAL_P[i] + 0.1 * rnd.nextGaussian();
    }
    So3.multiply(g, 0, q, 0, pose, 3);
    if (rnd.nextBoolean()) { // either sign of q is the same orientation
      for (int i = 3; i < 7; i++) {
        pose[i] = -pose[i];
      }
    }
    return pose;
  }

  private static RolloutRequest.Builder poseRollout(double[] pose) {
    RolloutRequest.Builder b = RolloutRequest.newBuilder().setModel("pose");
    for (double v : pose) {
      b.addStartPose(v);
    }
    return b;
  }

  private static MotionOverrides goalPose(double... pose) {
    MotionOverrides.Builder o = MotionOverrides.newBuilder();
    for (double v : pose) {
      o.addGoalPose(v);
    }
    return o.build();
  }

  /** Poses (n x 7) and angular velocities (n x 3) of states and velocities, as the test's map. */
  private static void assertPosesOf(
      PoseMap map, double[] states, double[] vel, double[] poses, double[] omegas, String what) {
    int n = states.length / 6;
    assertEquals(n * 7, poses.length, what + ": pose count");
    double[] p = new double[7];
    double[] w = new double[3];
    for (int j = 0; j < n; j++) {
      map.toPose(states, j * 6, p, 0);
      assertTrue(poses[j * 7 + 6] >= 0, what + ": q_w < 0 at point " + j);
      for (int i = 0; i < 7; i++) {
        assertEquals(p[i], poses[j * 7 + i], TOL, what + ": pose " + j + " value " + i);
      }
      if (vel != null) {
        map.angularVelocity(states, j * 6, vel, j * 6, w, 0);
        for (int i = 0; i < 3; i++) {
          assertEquals(w[i], omegas[j * 3 + i], TOL, what + ": angular velocity " + j + "." + i);
        }
      }
    }
    if (vel == null) {
      assertEquals(0, omegas.length, what + ": angular velocities without include_velocities");
    } else {
      assertEquals(n * 3, omegas.length, what + ": angular velocity count");
    }
  }

  @ParameterizedTest
  @EnumSource(GrpcFixture.Transport.class)
  void describeShowsThePoseLayoutAndTheAlmostGlobalGuarantee(GrpcFixture.Transport t) {
    ModelDescription d =
        fx(t).stub().describeModel(DescribeModelRequest.newBuilder().setModel("pose").build());
    assertTrue(d.hasPose());
    assertEquals(List.of(0, 1, 2), d.getPose().getPositionDimsList());
    assertEquals(List.of(3, 4, 5), d.getPose().getRotationDimsList());
    assertArrayEquals(model.goalOrientation(), array(d.getPose().getGoalOrientationList()), 0);
    assertEquals(List.of("m", "m", "m", "rad", "rad", "rad"), d.getDimensionUnitsList());
    assertEquals(model.stability().statement(), d.getStabilityStatement());
    assertTrue(d.getStabilityStatement().contains("almost globally"), d.getStabilityStatement());

    ModelDescription ref =
        fx(t).stub().describeModel(DescribeModelRequest.newBuilder().setModel("ref").build());
    assertFalse(ref.hasPose(), "position-only models carry no pose layout");
  }

  @ParameterizedTest
  @EnumSource(GrpcFixture.Transport.class)
  void rolloutFromAStartPoseEqualsTheModelsOwnAndItsStateTwin(GrpcFixture.Transport t) {
    Random rnd = new Random(seed);
    PoseMap map = new PoseMap(model);
    Rollout ref = new Rollout(model, 1000);
    for (int trial = 0; trial < 10; trial++) {
      String what = "seed " + seed + " trial " + trial;
      double[] start = randomPose(rnd, 2.8 * rnd.nextDouble());
      boolean vel = trial % 2 == 0;
      RolloutResponse r =
          fx(t)
              .stub()
              .rollout(poseRollout(start).setTimes(count(41, 3)).setIncludeVelocities(vel).build());
      assertEquals(6, r.getStateDim());
      double[] y0 = new double[6];
      map.toState(start, 0, y0, 0);
      double[] times = array(r.getTimesList());
      double[] want = new double[41 * 6];
      double[] wantVel = new double[41 * 6];
      ref.rollout(y0, times, 41, want, wantVel);
      double[] states = array(r.getStatesList());
      assertArrayEquals(want, states, TOL, what + ": states");
      double[] velocities = vel ? array(r.getVelocitiesList()) : null;
      if (vel) {
        assertArrayEquals(wantVel, velocities, TOL, what + ": velocities");
      }
      assertPosesOf(
          map,
          states,
          velocities,
          array(r.getPosesList()),
          array(r.getAngularVelocitiesList()),
          what);
      // The first pose is the start (up to the sign of q).
      double sign = Math.signum(start[6]) * Math.signum(r.getPoses(6));
      for (int i = 0; i < 7; i++) {
        assertEquals((i < 3 ? 1 : sign) * start[i], r.getPoses(i), 1e-12, what + ": start pose");
      }

      // The same motion asked with the equivalent state [p, r].
      RolloutRequest.Builder twin =
          RolloutRequest.newBuilder()
              .setModel("pose")
              .setTimes(count(41, 3))
              .setIncludeVelocities(vel);
      for (double v : y0) {
        twin.addStart(v);
      }
      RolloutResponse s = fx(t).stub().rollout(twin.build());
      assertArrayEquals(states, array(s.getStatesList()), TOL, what + ": start vs start_pose");
      assertArrayEquals(
          array(r.getPosesList()), array(s.getPosesList()), TOL, what + ": poses of the twin");
      assertArrayEquals(
          array(r.getAngularVelocitiesList()),
          array(s.getAngularVelocitiesList()),
          TOL,
          what + ": angular velocities of the twin");
    }
  }

  @ParameterizedTest
  @EnumSource(GrpcFixture.Transport.class)
  void longRolloutsEndAtTheGoalOrientation(GrpcFixture.Transport t) {
    Random rnd = new Random(seed + 1);
    double tau = model.timeScale();
    for (int trial = 0; trial < 10; trial++) {
      double[] start = randomPose(rnd, 0.3 + 2.7 * rnd.nextDouble());
      RolloutResponse r =
          fx(t)
              .stub()
              .rollout(
                  poseRollout(start)
                      .setTimes(
                          TimeGrid.newBuilder()
                              .setExplicit(
                                  ExplicitTimes.newBuilder().addTimes(0).addTimes(1000 * tau)))
                      .build());
      double angle = So3.angleBetween(array(r.getPosesList()), 10, model.goalOrientation(), 0);
      assertTrue(angle <= 1e-6, "seed " + (seed + 1) + " trial " + trial + ": " + angle + " rad");
      for (int i = 0; i < 3; i++) {
        assertEquals(GOAL_P[i], r.getPoses(7 + i), 1e-9, "goal position " + i);
      }
      assertTrue(r.getArrival().getArrived(), "arrival at 1000 tau");
    }
  }

  @ParameterizedTest
  @EnumSource(GrpcFixture.Transport.class)
  void aGoalPoseOverrideEndsThereAndDoesNotLeak(GrpcFixture.Transport t) {
    double[] newGoal = {0.5, 0.0, 0.2, 0, 0, Math.sin(0.6), Math.cos(0.6)};
    double[] start = randomPose(new Random(seed + 2), 1.5);
    double tau = model.timeScale();
    TimeGrid times =
        TimeGrid.newBuilder()
            .setExplicit(
                ExplicitTimes.newBuilder().addTimes(0).addTimes(0.5 * tau).addTimes(1000 * tau))
            .build();
    RolloutRequest plain = poseRollout(start).setTimes(times).setIncludeVelocities(true).build();
    VelocityRequest atStart =
        VelocityRequest.newBuilder().setModel("pose").addAllPoses(plain.getStartPoseList()).build();
    RolloutResponse before = fx(t).stub().rollout(plain);
    VelocityResponse vBefore = fx(t).stub().velocity(atStart);
    RolloutResponse moved =
        fx(t).stub().rollout(plain.toBuilder().setOverrides(goalPose(newGoal)).build());

    // Known answer: the model module's own map and rollout with the goal pose moved.
    PoseMap map = new PoseMap(model);
    Rollout ref = new Rollout(model, 3);
    ref.setGoal(map.setGoalPose(newGoal, 0));
    double[] y0 = new double[6];
    map.toState(start, 0, y0, 0);
    double[] want = new double[18];
    double[] wantVel = new double[18];
    ref.rollout(y0, array(moved.getTimesList()), 3, want, wantVel);
    assertArrayEquals(want, array(moved.getStatesList()), TOL, "states under the goal pose");
    assertPosesOf(
        map,
        want,
        wantVel,
        array(moved.getPosesList()),
        array(moved.getAngularVelocitiesList()),
        "goal_pose");
    double[] end = array(moved.getPosesList());
    assertTrue(So3.angleBetween(end, 17, newGoal, 3) <= 1e-6, "ends at the new goal orientation");
    for (int i = 0; i < 3; i++) {
      assertEquals(newGoal[i], end[14 + i], 1e-9, "ends at the new goal position " + i);
    }
    assertTrue(moved.getArrival().getArrived(), "arrived at the goal pose");
    for (int i = 3; i < 7; i++) {
      assertEquals(start[i] * Math.signum(start[6]), end[i - 3 + 3], 1e-12, "starts at the start");
    }

    // Every call thread serves the model's goal again (more calls than the pool has threads).
    for (int k = 0; k < 8; k++) {
      RolloutResponse after = fx(t).stub().rollout(plain);
      assertArrayEquals(
          array(before.getStatesList()), array(after.getStatesList()), TOL, "states leak " + k);
      assertArrayEquals(
          array(before.getPosesList()), array(after.getPosesList()), TOL, "poses leak " + k);
      assertArrayEquals(
          array(before.getAngularVelocitiesList()),
          array(after.getAngularVelocitiesList()),
          TOL,
          "angular velocities leak " + k);
      VelocityResponse v = fx(t).stub().velocity(atStart);
      assertArrayEquals(
          array(vBefore.getVelocitiesList()),
          array(v.getVelocitiesList()),
          TOL,
          "velocity after the override " + k);
      assertArrayEquals(
          array(vBefore.getAngularVelocitiesList()),
          array(v.getAngularVelocitiesList()),
          TOL,
          "angular velocity after the override " + k);
    }
    double angle = So3.angleBetween(array(before.getPosesList()), 17, model.goalOrientation(), 0);
    assertTrue(angle <= 1e-6, "without the override: the model's goal orientation, " + angle);
  }

  @ParameterizedTest
  @EnumSource(GrpcFixture.Transport.class)
  void velocityAtPosesEqualsTheFieldAndItsAngularVelocity(GrpcFixture.Transport t) {
    Random rnd = new Random(seed + 3);
    PoseMap map = new PoseMap(model);
    VelocityField field = new VelocityField(model);
    int m = 20;
    double[] poses = new double[m * 7];
    double[] states = new double[m * 6];
    VelocityRequest.Builder byPose = VelocityRequest.newBuilder().setModel("pose");
    VelocityRequest.Builder byState = VelocityRequest.newBuilder().setModel("pose");
    for (int s = 0; s < m; s++) {
      double[] p = randomPose(rnd, 3.0 * rnd.nextDouble());
      System.arraycopy(p, 0, poses, s * 7, 7);
      map.toState(p, 0, states, s * 6);
    }
    for (double v : poses) {
      byPose.addPoses(v);
    }
    for (double v : states) {
      byState.addStates(v);
    }
    VelocityResponse a = fx(t).stub().velocity(byPose.build());
    VelocityResponse b = fx(t).stub().velocity(byState.build());
    double[] y = new double[6];
    double[] ydot = new double[6];
    double[] w = new double[3];
    for (int s = 0; s < m; s++) {
      System.arraycopy(states, s * 6, y, 0, 6);
      field.velocity(y, ydot);
      map.angularVelocity(y, 0, ydot, 0, w, 0);
      for (int i = 0; i < 6; i++) {
        assertEquals(ydot[i], a.getVelocities(s * 6 + i), TOL, "seed " + seed + " velocity " + s);
        assertEquals(ydot[i], b.getVelocities(s * 6 + i), TOL, "from the state " + s);
      }
      for (int i = 0; i < 3; i++) {
        assertEquals(w[i], a.getAngularVelocities(s * 3 + i), TOL, "angular velocity " + s);
        assertEquals(w[i], b.getAngularVelocities(s * 3 + i), TOL, "from the state " + s);
      }
    }
    assertEquals(m * 3, a.getAngularVelocitiesCount());
    assertTrue(a.getStateFeedbackGuaranteed());
  }

  @ParameterizedTest
  @EnumSource(GrpcFixture.Transport.class)
  void batchOfStartPosesEqualsSingleRollouts(GrpcFixture.Transport t) {
    Random rnd = new Random(seed + 4);
    int k = 3;
    RolloutBatchRequest.Builder req =
        RolloutBatchRequest.newBuilder()
            .setModel("pose")
            .setTimes(count(25, 2))
            .setIncludeVelocities(true)
            .setOverrides(goalPose(0.3, 0.1, 0.2, 0.1, 0.2, 0.3, 0.927));
    List<double[]> starts = new ArrayList<>();
    for (int s = 0; s < k; s++) {
      double[] p = randomPose(rnd, 2.5 * rnd.nextDouble());
      starts.add(p);
      for (double v : p) {
        req.addStartPoses(v);
      }
    }
    RolloutBatchResponse r = fx(t).stub().rolloutBatch(req.build());
    assertEquals(k, r.getStartCount());
    assertEquals(k * 25 * 7, r.getPosesCount());
    assertEquals(k * 25 * 3, r.getAngularVelocitiesCount());
    for (int s = 0; s < k; s++) {
      RolloutResponse one =
          fx(t)
              .stub()
              .rollout(
                  poseRollout(starts.get(s))
                      .setTimes(count(25, 2))
                      .setIncludeVelocities(true)
                      .setOverrides(req.getOverrides())
                      .build());
      assertArrayEquals(
          array(one.getStatesList()),
          java.util.Arrays.copyOfRange(array(r.getStatesList()), s * 150, (s + 1) * 150),
          TOL,
          "states of start " + s);
      assertArrayEquals(
          array(one.getPosesList()),
          java.util.Arrays.copyOfRange(array(r.getPosesList()), s * 175, (s + 1) * 175),
          TOL,
          "poses of start " + s);
      assertArrayEquals(
          array(one.getAngularVelocitiesList()),
          java.util.Arrays.copyOfRange(array(r.getAngularVelocitiesList()), s * 75, (s + 1) * 75),
          TOL,
          "angular velocities of start " + s);
      assertEquals(one.getArrival(), r.getArrivals(s));
    }
  }

  @ParameterizedTest
  @EnumSource(GrpcFixture.Transport.class)
  void aStreamFromAStartPoseCarriesPoses(GrpcFixture.Transport t) {
    double[] start = randomPose(new Random(seed + 5), 2.0);
    double[] newGoal = {0.5, 0.0, 0.2, 0, 0, Math.sin(0.6), Math.cos(0.6)};
    StreamSetpointsRequest.Builder req =
        StreamSetpointsRequest.newBuilder()
            .setModel("pose")
            .setRateHz(200)
            .setDuration(0.05)
            .setIncludeVelocities(true)
            .setMaxLatency(10);
    for (double v : start) {
      req.addStartPose(v);
    }
    for (MotionOverrides o : List.of(MotionOverrides.getDefaultInstance(), goalPose(newGoal))) {
      PoseMap map = new PoseMap(model);
      if (o.getGoalPoseCount() != 0) {
        map.setGoalPose(newGoal, 0);
      }
      Iterator<Setpoint> it = fx(t).stub().streamSetpoints(req.setOverrides(o).build());
      int count = 0;
      double[] first = null;
      while (it.hasNext()) {
        Setpoint sp = it.next();
        String what = "setpoint " + sp.getIndex() + " goal_pose " + o.getGoalPoseCount();
        assertPosesOf(
            map,
            array(sp.getStateList()),
            array(sp.getVelocityList()),
            array(sp.getPoseList()),
            array(sp.getAngularVelocityList()),
            what);
        if (first == null) {
          first = array(sp.getPoseList());
        }
        count++;
      }
      assertEquals(11, count);
      double sign = Math.signum(start[6]);
      for (int i = 0; i < 7; i++) {
        assertEquals((i < 3 ? 1 : sign) * start[i], first[i], 1e-12, "the stream starts there");
      }
    }
  }

  @ParameterizedTest
  @EnumSource(GrpcFixture.Transport.class)
  void positionOnlyResponsesCarryNoPoseFields(GrpcFixture.Transport t) {
    RolloutResponse r =
        fx(t)
            .stub()
            .rollout(
                RolloutRequest.newBuilder()
                    .setModel("ref")
                    .addStart(1.5)
                    .addStart(-0.5)
                    .setTimes(count(11, 2))
                    .setIncludeVelocities(true)
                    .build());
    assertEquals(0, r.getPosesCount());
    assertEquals(0, r.getAngularVelocitiesCount());
    assertEquals(22, r.getVelocitiesCount());
    // Nothing but the 1.1 fields on the wire: the same message rebuilt from them is identical.
    RolloutResponse rebuilt =
        RolloutResponse.newBuilder()
            .setModel(r.getModel())
            .setGeneration(r.getGeneration())
            .setStateDim(r.getStateDim())
            .setPointCount(r.getPointCount())
            .addAllTimes(r.getTimesList())
            .addAllStates(r.getStatesList())
            .addAllVelocities(r.getVelocitiesList())
            .setArrival(r.getArrival())
            .build();
    assertEquals(rebuilt.toByteString(), r.toByteString());

    RolloutBatchResponse b =
        fx(t)
            .stub()
            .rolloutBatch(
                RolloutBatchRequest.newBuilder()
                    .setModel("arm3")
                    .addStarts(1)
                    .addStarts(-2)
                    .addStarts(0.7)
                    .setTimes(count(5, 1))
                    .setIncludeVelocities(true)
                    .build());
    assertEquals(0, b.getPosesCount());
    assertEquals(0, b.getAngularVelocitiesCount());
    VelocityResponse v =
        fx(t)
            .stub()
            .velocity(
                VelocityRequest.newBuilder().setModel("ref").addStates(1).addStates(2).build());
    assertEquals(0, v.getAngularVelocitiesCount());
    Iterator<Setpoint> it =
        fx(t)
            .stub()
            .streamSetpoints(
                StreamSetpointsRequest.newBuilder()
                    .setModel("ref")
                    .addStart(1)
                    .addStart(0)
                    .setRateHz(100)
                    .setDuration(0.02)
                    .setIncludeVelocities(true)
                    .build());
    while (it.hasNext()) {
      Setpoint sp = it.next();
      assertEquals(0, sp.getPoseCount());
      assertEquals(0, sp.getAngularVelocityCount());
    }
  }

  @ParameterizedTest
  @EnumSource(GrpcFixture.Transport.class)
  void badPoseFieldsAreRefusedNamingTheFieldAndTheServerKeepsServing(GrpcFixture.Transport t) {
    var stub = fx(t).stub();
    double[] good = randomPose(new Random(seed + 6), 1.0);
    TimeGrid times = count(5, 1);
    RolloutRequest.Builder ok = poseRollout(good).setTimes(times);
    List<Object[]> cases = new ArrayList<>();
    cases.add(
        new Object[] {
          (Executable)
              () ->
                  stub.rollout(
                      poseRollout(java.util.Arrays.copyOf(good, 6)).setTimes(times).build()),
          "start_pose: has 6 values, expected 7 (x, y, z, q_x, q_y, q_z, q_w)"
        });
    double[] norm2 = {good[0], good[1], good[2], 0, 0, 0, 2};
    cases.add(
        new Object[] {
          (Executable) () -> stub.rollout(poseRollout(norm2).setTimes(times).build()),
          "start_pose.orientation has norm 2.0",
          "not a unit quaternion"
        });
    double[] nanY = good.clone();
    nanY[1] = Double.NaN;
    cases.add(
        new Object[] {
          (Executable) () -> stub.rollout(poseRollout(nanY).setTimes(times).build()),
          "start_pose[1] (y) = NaN, must be finite"
        });
    double[] nanQ = good.clone();
    nanQ[5] = Double.POSITIVE_INFINITY;
    cases.add(
        new Object[] {
          (Executable) () -> stub.rollout(poseRollout(nanQ).setTimes(times).build()),
          "start_pose.orientation.z is Infinity"
        });
    cases.add(
        new Object[] {
          (Executable) () -> stub.rollout(ok.clone().setModel("ref").build()),
          "start_pose: the model \"ref\" is not a full-pose model",
          "use start"
        });
    cases.add(
        new Object[] {
          (Executable)
              () ->
                  stub.rollout(
                      ok.clone()
                          .addStart(0)
                          .addStart(0)
                          .addStart(0)
                          .addStart(0)
                          .addStart(0)
                          .addStart(0)
                          .build()),
          "start and start_pose: both set; give exactly one"
        });
    cases.add(
        new Object[] {
          (Executable)
              () ->
                  stub.rollout(
                      ok.clone()
                          .setOverrides(
                              goalPose(good).toBuilder()
                                  .addGoal(0.4)
                                  .addGoal(0)
                                  .addGoal(0)
                                  .addGoal(0)
                                  .addGoal(0)
                                  .addGoal(0))
                          .build()),
          "overrides.goal and overrides.goal_pose: both set; give at most one"
        });
    cases.add(
        new Object[] {
          (Executable) () -> stub.rollout(ok.clone().setOverrides(goalPose(1, 2, 3)).build()),
          "overrides.goal_pose: has 3 values, expected 7"
        });
    cases.add(
        new Object[] {
          (Executable)
              () -> stub.rollout(ok.clone().setOverrides(goalPose(0, 0, 0, 0, 0, 0, 0.5)).build()),
          "overrides.goal_pose.orientation has norm 0.5: not a unit quaternion"
        });
    cases.add(
        new Object[] {
          (Executable)
              () ->
                  stub.rollout(
                      RolloutRequest.newBuilder()
                          .setModel("ref")
                          .addStart(1)
                          .addStart(0)
                          .setTimes(times)
                          .setOverrides(goalPose(0, 0, 0, 0, 0, 0, 1))
                          .build()),
          "overrides.goal_pose: the model \"ref\" is not a full-pose model"
        });
    cases.add(
        new Object[] {
          (Executable)
              () -> stub.rollout(ok.clone().setOverrides(goalPose(0, 0, 1000, 0, 0, 0, 1)).build()),
          "overrides.goal_pose[2] (z) = 1000 m is outside the model's workspace"
        });
    double[] far = good.clone();
    far[0] = 1000;
    cases.add(
        new Object[] {
          (Executable) () -> stub.rollout(poseRollout(far).setTimes(times).build()),
          "start_pose as the state y[0] (x) = 1000 m is outside the model's workspace"
        });
    RolloutBatchRequest.Builder batch =
        RolloutBatchRequest.newBuilder().setModel("pose").setTimes(times);
    for (int s = 0; s < 2; s++) {
      for (double v : s == 1 ? norm2 : good) {
        batch.addStartPoses(v);
      }
    }
    cases.add(
        new Object[] {
          (Executable) () -> stub.rolloutBatch(batch.clone().addStartPoses(0).build()),
          "start_poses: 15 values is not a multiple of 7"
        });
    cases.add(
        new Object[] {
          (Executable) () -> stub.rolloutBatch(batch.build()),
          "start_poses (start 1).orientation has norm 2.0"
        });
    cases.add(
        new Object[] {
          (Executable)
              () ->
                  stub.rolloutBatch(
                      batch
                          .clone()
                          .clearStartPoses()
                          .addAllStartPoses(ok.getStartPoseList())
                          .addStarts(0)
                          .build()),
          "starts and start_poses: both set; give exactly one"
        });
    VelocityRequest.Builder vel =
        VelocityRequest.newBuilder().setModel("pose").addAllPoses(ok.getStartPoseList());
    cases.add(
        new Object[] {
          (Executable) () -> stub.velocity(vel.clone().setModel("ref").build()),
          "poses: the model \"ref\" is not a full-pose model",
          "use states"
        });
    cases.add(
        new Object[] {
          (Executable)
              () ->
                  stub.velocity(
                      vel.clone()
                          .addAllPoses(java.util.Arrays.stream(nanY).boxed().toList())
                          .build()),
          "poses[8] (state 1, y) = NaN, must be finite"
        });
    cases.add(
        new Object[] {
          (Executable)
              () ->
                  stub.streamSetpoints(
                          StreamSetpointsRequest.newBuilder()
                              .setModel("pose")
                              .addAllStartPose(ok.getStartPoseList())
                              .addStartPose(1)
                              .setRateHz(100)
                              .setDuration(0.1)
                              .build())
                      .hasNext(),
          "start_pose: has 8 values, expected 7"
        });
    cases.add(
        new Object[] {
          (Executable) () -> stub.rollout(ok.clone().clearStartPose().build()),
          "start and start_pose: both empty; give start_pose"
        });
    cases.add(
        new Object[] {
          (Executable) () -> stub.velocity(vel.clone().clearPoses().build()),
          "states and poses: both empty; give k >= 1 states as poses"
        });
    for (int c = 0; c < cases.size(); c++) {
      Object[] kase = cases.get(c);
      String[] fragments = new String[kase.length - 1];
      for (int i = 1; i < kase.length; i++) {
        fragments[i - 1] = (String) kase[i];
      }
      expectStatus(Code.INVALID_ARGUMENT, (Executable) kase[0], fragments);
      // Still serving, and the goal orientation was not left moved by a refused request.
      RolloutResponse r = stub.rollout(ok.build());
      assertEquals(5 * 7, r.getPosesCount(), "after case " + c);
    }
  }

  @Test
  void responseSizeLimitsCountThePoseValues() {
    var stub = small.stub();
    double[] start = randomPose(new Random(seed + 7), 1.0);
    // 1000 points with velocities: 1000 + 1000 x (6 + 6) = 13 000 doubles of states would fit
    // the 20 000 limit; with 7 pose and 3 angular-velocity values per point it is 23 000.
    expectStatus(
        Code.RESOURCE_EXHAUSTED,
        () ->
            stub.rollout(
                poseRollout(start).setTimes(count(1000, 5)).setIncludeVelocities(true).build()),
        "22 values per point (state 6 + velocity 6 + pose 7 + angular velocity 3)",
        "= 23000 values");
    RolloutBatchRequest.Builder batch =
        RolloutBatchRequest.newBuilder().setModel("pose").setTimes(count(1000, 5));
    for (int s = 0; s < 2; s++) {
      for (double v : start) {
        batch.addStartPoses(v);
      }
    }
    // 1000 + 2 x 1000 x (6 + 7) = 27 000.
    expectStatus(
        Code.RESOURCE_EXHAUSTED,
        () -> stub.rolloutBatch(batch.build()),
        "13 values per point (state 6 + pose 7)",
        "= 27000 values");
    // Under the limit it is served.
    assertEquals(
        700 * 7, stub.rollout(poseRollout(start).setTimes(count(700, 5)).build()).getPosesCount());
  }

  @Test
  void floatServingMapsPosesInDouble() {
    Random rnd = new Random(seed + 8);
    PoseMap map = new PoseMap(model);
    double[] sigma = model.scale();
    double tau = model.timeScale();
    ExplicitTimes.Builder times = ExplicitTimes.newBuilder();
    for (int i = 0; i < 40; i++) {
      times.addTimes(i * 6 * tau / 39);
    }
    times.addTimes(1000 * tau);
    for (int trial = 0; trial < 5; trial++) {
      double[] start = randomPose(rnd, 2.0 * rnd.nextDouble());
      RolloutRequest req =
          poseRollout(start)
              .setTimes(TimeGrid.newBuilder().setExplicit(times))
              .setIncludeVelocities(true)
              .build();
      RolloutResponse rf = floats.stub().rollout(req);
      RolloutResponse rd = inProcess.stub().rollout(req);
      double[] yf = array(rf.getStatesList());
      double[] yd = array(rd.getStatesList());
      for (int i = 0; i < yd.length; i++) {
        double err = Math.abs(yf[i] - yd[i]) / sigma[i % 6];
        assertTrue(
            err <= PrecisionServingTest.POSITION_BOUND,
            "seed " + (seed + 8) + " trial " + trial + ": float vs double " + err + " sigma");
      }
      // The float server's poses are the double map of its own states.
      assertPosesOf(
          map,
          yf,
          array(rf.getVelocitiesList()),
          array(rf.getPosesList()),
          array(rf.getAngularVelocitiesList()),
          "float trial " + trial);
      double angle =
          So3.angleBetween(array(rf.getPosesList()), 40 * 7 + 3, model.goalOrientation(), 0);
      assertTrue(angle <= 1e-6, "float: goal orientation at 1000 tau, " + angle + " rad");
    }
  }
}
