package org.diffeomotion.grpc;

import static org.diffeomotion.grpc.GrpcFixture.expectStatus;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status.Code;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.diffeomotion.model.MotionModel;
import org.diffeomotion.model.Rollout;
import org.diffeomotion.model.VelocityField;
import org.diffeomotion.proto.motion.v1.DescribeModelRequest;
import org.diffeomotion.proto.motion.v1.ExplicitTimes;
import org.diffeomotion.proto.motion.v1.ListModelsRequest;
import org.diffeomotion.proto.motion.v1.ListModelsResponse;
import org.diffeomotion.proto.motion.v1.ModelDescription;
import org.diffeomotion.proto.motion.v1.MotionOverrides;
import org.diffeomotion.proto.motion.v1.RolloutBatchRequest;
import org.diffeomotion.proto.motion.v1.RolloutBatchResponse;
import org.diffeomotion.proto.motion.v1.RolloutRequest;
import org.diffeomotion.proto.motion.v1.RolloutResponse;
import org.diffeomotion.proto.motion.v1.TimeGrid;
import org.diffeomotion.proto.motion.v1.UniformCount;
import org.diffeomotion.proto.motion.v1.UniformStep;
import org.diffeomotion.proto.motion.v1.VelocityRequest;
import org.diffeomotion.proto.motion.v1.VelocityResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The unary rpcs against the model module's own evaluators, on the in-process transport and on a
 * real Netty server on 127.0.0.1 (which adds serialization and HTTP/2).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MotionServiceTest {
  /**
   * The service must return the model module's numbers. Not bit for bit: the model's kernels can
   * differ in the last bit between JIT tiers (interpreted vs compiled), so the test's own evaluator
   * and the server's may round differently.
   */
  static final double TOL = 1e-12;

  private long seed;
  private GrpcFixture.Both both;

  @BeforeAll
  void start() throws Exception {
    seed = GrpcFixture.seed("MotionServiceTest");
    both = GrpcFixture.Both.start(seed, "motion-grpc-test");
  }

  @AfterAll
  void stop() throws Exception {
    if (both != null) {
      both.close();
    }
  }

  private GrpcFixture fx(GrpcFixture.Transport t) {
    return both.get(t);
  }

  private static TimeGrid explicit(double... times) {
    ExplicitTimes.Builder b = ExplicitTimes.newBuilder();
    for (double t : times) {
      b.addTimes(t);
    }
    return TimeGrid.newBuilder().setExplicit(b).build();
  }

  private static TimeGrid count(int n, double duration) {
    return TimeGrid.newBuilder()
        .setUniformCount(UniformCount.newBuilder().setCount(n).setDuration(duration))
        .build();
  }

  private static TimeGrid step(double dt, double duration) {
    return TimeGrid.newBuilder()
        .setUniformStep(UniformStep.newBuilder().setDt(dt).setDuration(duration))
        .build();
  }

  private static double[] array(List<Double> values) {
    double[] a = new double[values.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = values.get(i);
    }
    return a;
  }

  private RolloutRequest.Builder refRollout() {
    return RolloutRequest.newBuilder()
        .setModel("ref")
        .addStart(1.5)
        .addStart(-0.5)
        .setTimes(count(11, 2.0));
  }

  @ParameterizedTest
  @EnumSource(GrpcFixture.Transport.class)
  void listAndDescribe(GrpcFixture.Transport t) {
    ListModelsResponse list = fx(t).stub().listModels(ListModelsRequest.getDefaultInstance());
    assertEquals(
        List.of("arm3", "aug", "ref"),
        list.getModelsList().stream().map(m -> m.getName()).toList());
    assertEquals("ref.dmm", list.getModels(2).getPath());
    assertEquals(64, list.getModels(2).getFileSha256().length());

    ModelDescription arm =
        fx(t).stub().describeModel(DescribeModelRequest.newBuilder().setModel("arm3").build());
    MotionModel m = fx(t).registry.get("arm3").model();
    assertEquals(3, arm.getSummary().getStateDim());
    assertEquals(m.dimensionNames(), arm.getDimensionNamesList());
    assertEquals(m.dimensionUnits(), arm.getDimensionUnitsList());
    assertArrayEquals(m.goal(), array(arm.getGoalList()));
    assertArrayEquals(m.scale(), array(arm.getScaleList()));
    assertEquals(2.5, arm.getTimeScale());
    assertTrue(arm.getSupportsStateFeedback());
    assertEquals(m.stability().statement(), arm.getStabilityStatement());
    assertEquals(3, arm.getEigenvalueRealCount());
    for (double re : arm.getEigenvalueRealList()) {
      assertTrue(re < 0, "eigenvalue real part " + re);
    }
    assertTrue(arm.getSlowestDecayRate() > 0);
    assertEquals(m.provenance(), arm.getProvenance());
    assertEquals(4, arm.getBlockCount());

    ModelDescription aug =
        fx(t).stub().describeModel(DescribeModelRequest.newBuilder().setModel("aug").build());
    assertFalse(aug.getSupportsStateFeedback());
    assertTrue(aug.getStabilityStatement().contains("no global guarantee"));
  }

  @ParameterizedTest
  @EnumSource(GrpcFixture.Transport.class)
  void rolloutEqualsModel(GrpcFixture.Transport t) {
    Random rnd = new Random(seed);
    for (String name : List.of("ref", "arm3", "aug")) {
      MotionModel m = fx(t).registry.get(name).model();
      int d = m.stateDim();
      Rollout ref = new Rollout(m, 100_000);
      for (int trial = 0; trial < 20; trial++) {
        double[] y0 = new double[d];
        for (int i = 0; i < d; i++) {
          y0[i] = m.goal()[i] + 3 * rnd.nextGaussian();
        }
        int n = 1 + rnd.nextInt(trial % 5 == 0 ? 3000 : 200);
        double[] times = new double[n];
        for (int i = 1; i < n; i++) {
          times[i] = times[i - 1] + (rnd.nextInt(10) == 0 ? 0 : rnd.nextDouble() * 0.05);
        }
        boolean vel = rnd.nextBoolean();
        RolloutRequest.Builder req =
            RolloutRequest.newBuilder()
                .setModel(name)
                .setTimes(explicit(times))
                .setIncludeVelocities(vel);
        for (double v : y0) {
          req.addStart(v);
        }
        RolloutResponse resp = fx(t).stub().rollout(req.build());
        double[] want = new double[n * d];
        double[] wantVel = new double[n * d];
        ref.rollout(y0, times, n, want, wantVel);
        assertEquals(name, resp.getModel());
        assertEquals(n, resp.getPointCount());
        assertEquals(d, resp.getStateDim());
        assertArrayEquals(times, array(resp.getTimesList()));
        assertArrayEquals(want, array(resp.getStatesList()), TOL, name + " trial " + trial);
        if (vel) {
          assertArrayEquals(wantVel, array(resp.getVelocitiesList()), TOL);
        } else {
          assertEquals(0, resp.getVelocitiesCount());
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(GrpcFixture.Transport.class)
  void uniformGridsAndOverrides(GrpcFixture.Transport t) {
    MotionModel m = fx(t).registry.get("ref").model();
    Rollout ref = new Rollout(m, 1000);
    double[] y0 = {1.5, -0.5};

    RolloutResponse c = fx(t).stub().rollout(refRollout().setTimes(count(5, 2.0)).build());
    assertArrayEquals(new double[] {0, 0.5, 1.0, 1.5, 2.0}, array(c.getTimesList()));
    assertArrayEquals(
        ref.rollout(y0, new double[] {0, 0.5, 1.0, 1.5, 2.0}), array(c.getStatesList()), TOL);

    RolloutResponse one = fx(t).stub().rollout(refRollout().setTimes(count(1, 0)).build());
    assertArrayEquals(new double[] {0}, array(one.getTimesList()));
    assertArrayEquals(y0, array(one.getStatesList()), 1e-9);

    RolloutResponse s = fx(t).stub().rollout(refRollout().setTimes(step(0.1, 1.0)).build());
    assertEquals(11, s.getPointCount(), "0.0, 0.1, ..., 1.0 despite 1.0 / 0.1 rounding");
    assertEquals(1.0, s.getTimes(10), 1e-12);

    // Overrides: a moved goal and a slower time scale, as the model module applies them.
    RolloutResponse o =
        fx(t)
            .stub()
            .rollout(
                refRollout()
                    .setTimes(count(21, 4.0))
                    .setOverrides(
                        MotionOverrides.newBuilder().addGoal(0.25).addGoal(0.75).setTimeScale(2.0))
                    .build());
    ref.setGoal(new double[] {0.25, 0.75});
    ref.setTimeScale(2.0);
    double[] times = array(o.getTimesList());
    assertArrayEquals(ref.rollout(y0, times), array(o.getStatesList()), TOL);
    // The override was for that request only.
    RolloutResponse again = fx(t).stub().rollout(refRollout().setTimes(count(5, 2.0)).build());
    assertArrayEquals(array(c.getStatesList()), array(again.getStatesList()));
  }

  /**
   * Issue 9: a plan that ends before the goal is now visible (arrival), and until_arrival asks for
   * exactly as long a trajectory as the motion needs to arrive.
   */
  @ParameterizedTest
  @EnumSource(GrpcFixture.Transport.class)
  void arrivalIsReportedAndUntilArrivalArrives(GrpcFixture.Transport t) {
    var stub = fx(t).stub();
    MotionModel m = fx(t).registry.get("ref").model();
    double tau = m.timeScale();
    // Too short to arrive: reported, with the distance and speed at the end.
    RolloutResponse shortOne = stub.rollout(refRollout().setTimes(count(5, 0.1 * tau)).build());
    assertFalse(shortOne.getArrival().getArrived());
    double[] end = {shortOne.getStates(8), shortOne.getStates(9)};
    assertEquals(
        Math.hypot(end[0] - m.goal()[0], end[1] - m.goal()[1]),
        shortOne.getArrival().getGoalDistance(),
        1e-12);
    assertTrue(shortOne.getArrival().getSpeed() > 0);
    // until_arrival: the arrival time of this start, as model.Arrival computes it.
    RolloutResponse arrived =
        stub.rollout(
            refRollout()
                .setTimes(
                    TimeGrid.newBuilder()
                        .setUntilArrival(
                            org.diffeomotion.proto.motion.v1.UntilArrival.newBuilder()
                                .setCount(50)))
                .build());
    assertTrue(arrived.getArrival().getArrived(), arrived.getArrival().toString());
    double want =
        org.diffeomotion.model.Arrival.defaults()
            .arrivalTime(
                new Rollout(m, 1),
                new double[] {1.5, -0.5},
                m.goal(),
                m.scale(),
                tau,
                tau,
                1000 * tau,
                new org.diffeomotion.model.Arrival.Scratch(2));
    assertEquals(50, arrived.getPointCount());
    assertEquals(want, arrived.getTimes(49), 1e-9 * want);
    assertTrue(
        arrived.getArrival().getGoalDistance() <= 1e-3 * Math.hypot(m.scale()[0], m.scale()[1]));
    // With a moved goal, towards that goal.
    RolloutResponse moved =
        stub.rollout(
            refRollout()
                .setTimes(
                    TimeGrid.newBuilder()
                        .setUntilArrival(
                            org.diffeomotion.proto.motion.v1.UntilArrival.newBuilder()
                                .setCount(20)))
                .setOverrides(MotionOverrides.newBuilder().addGoal(0.5).addGoal(0.25))
                .build());
    assertTrue(moved.getArrival().getArrived());
    assertEquals(0.5, moved.getStates(38), 1e-3 * m.scale()[0]);
    // A batch: one arrival per start; the grid is the longest arrival over the starts.
    RolloutBatchResponse batch =
        stub.rolloutBatch(
            RolloutBatchRequest.newBuilder()
                .setModel("ref")
                .addStarts(1.5)
                .addStarts(-0.5)
                .addStarts(-3)
                .addStarts(2)
                .setTimes(
                    TimeGrid.newBuilder()
                        .setUntilArrival(
                            org.diffeomotion.proto.motion.v1.UntilArrival.newBuilder()
                                .setCount(30)))
                .build());
    assertEquals(2, batch.getArrivalsCount());
    assertTrue(batch.getArrivals(0).getArrived() && batch.getArrivals(1).getArrived());
    assertTrue(batch.getTimes(29) >= want * (1 - 1e-9));
    expectStatus(
        Code.INVALID_ARGUMENT,
        () ->
            stub.rollout(
                refRollout()
                    .setTimes(
                        TimeGrid.newBuilder()
                            .setUntilArrival(
                                org.diffeomotion.proto.motion.v1.UntilArrival.newBuilder()
                                    .setCount(1)))
                    .build()),
        "times.until_arrival.count = 1, must be 2..100000");
  }

  @ParameterizedTest
  @EnumSource(GrpcFixture.Transport.class)
  void batchEqualsSingleRollouts(GrpcFixture.Transport t) {
    Random rnd = new Random(seed + 7);
    MotionModel m = fx(t).registry.get("arm3").model();
    Rollout ref = new Rollout(m, 1000);
    int k = 17;
    int n = 100;
    RolloutBatchRequest.Builder req =
        RolloutBatchRequest.newBuilder()
            .setModel("arm3")
            .setTimes(count(n, 5.0))
            .setIncludeVelocities(true);
    double[][] starts = new double[k][3];
    for (int s = 0; s < k; s++) {
      for (int i = 0; i < 3; i++) {
        starts[s][i] = rnd.nextGaussian() * 2;
        req.addStarts(starts[s][i]);
      }
    }
    RolloutBatchResponse resp = fx(t).stub().rolloutBatch(req.build());
    assertEquals(k, resp.getStartCount());
    assertEquals(k * n * 3, resp.getStatesCount());
    double[] times = array(resp.getTimesList());
    double[] out = new double[n * 3];
    double[] vel = new double[n * 3];
    for (int s = 0; s < k; s++) {
      ref.rollout(starts[s], times, n, out, vel);
      for (int j = 0; j < n * 3; j++) {
        assertEquals(out[j], resp.getStates(s * n * 3 + j), TOL, "start " + s + " value " + j);
        assertEquals(vel[j], resp.getVelocities(s * n * 3 + j), TOL, "start " + s);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(GrpcFixture.Transport.class)
  void velocityEqualsField(GrpcFixture.Transport t) {
    Random rnd = new Random(seed + 11);
    for (String name : List.of("ref", "aug")) {
      MotionModel m = fx(t).registry.get(name).model();
      VelocityField f = new VelocityField(m);
      int states = 50;
      VelocityRequest.Builder req = VelocityRequest.newBuilder().setModel(name);
      double[][] ys = new double[states][2];
      for (int s = 0; s < states; s++) {
        ys[s][0] = rnd.nextGaussian();
        ys[s][1] = rnd.nextGaussian();
        req.addStates(ys[s][0]).addStates(ys[s][1]);
      }
      VelocityResponse resp = fx(t).stub().velocity(req.build());
      assertEquals(m.supportsStateFeedback(), resp.getStateFeedbackGuaranteed());
      double[] v = new double[2];
      for (int s = 0; s < states; s++) {
        f.velocity(ys[s], v);
        assertEquals(v[0], resp.getVelocities(2 * s), TOL);
        assertEquals(v[1], resp.getVelocities(2 * s + 1), TOL);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(GrpcFixture.Transport.class)
  void badRequestsNameTheField(GrpcFixture.Transport t) {
    var stub = fx(t).stub();
    expectStatus(
        Code.INVALID_ARGUMENT,
        () -> stub.rollout(refRollout().setModel("").build()),
        "model: empty",
        "ref");
    expectStatus(
        Code.INVALID_ARGUMENT,
        () -> stub.rollout(refRollout().setModel("nope").build()),
        "model: \"nope\" is not served",
        "[arm3, aug, ref]");
    expectStatus(
        Code.INVALID_ARGUMENT,
        () -> stub.describeModel(DescribeModelRequest.newBuilder().setModel("nope").build()),
        "model: \"nope\" is not served");
    expectStatus(
        Code.INVALID_ARGUMENT,
        () -> stub.rollout(refRollout().addStart(0).build()),
        "start: 3 values",
        "state dimension 2");
    expectStatus(
        Code.INVALID_ARGUMENT,
        () -> stub.rollout(refRollout().setStart(1, Double.NaN).build()),
        "start[1]",
        "NaN",
        "finite");
    expectStatus(
        Code.INVALID_ARGUMENT,
        () -> stub.rollout(refRollout().setStart(0, Double.POSITIVE_INFINITY).build()),
        "start[0]",
        "Infinity");
    expectStatus(
        Code.INVALID_ARGUMENT,
        () -> stub.rollout(refRollout().clearTimes().build()),
        "times: required");
    expectStatus(
        Code.INVALID_ARGUMENT,
        () -> stub.rollout(refRollout().setTimes(explicit()).build()),
        "times.explicit.times: empty");
    expectStatus(
        Code.INVALID_ARGUMENT,
        () -> stub.rollout(refRollout().setTimes(explicit(0, 0.1, 0.05)).build()),
        "times.explicit.times[2] = 0.05 < times[1] = 0.1",
        "non-decreasing");
    expectStatus(
        Code.INVALID_ARGUMENT,
        () -> stub.rollout(refRollout().setTimes(explicit(0, -0.1)).build()),
        "times.explicit.times[1] = -0.1 is negative");
    expectStatus(
        Code.INVALID_ARGUMENT,
        () -> stub.rollout(refRollout().setTimes(explicit(0, Double.NaN)).build()),
        "times.explicit.times[1] = NaN");
    expectStatus(
        Code.INVALID_ARGUMENT,
        () -> stub.rollout(refRollout().setTimes(count(0, 1)).build()),
        "times.uniform_count.count = 0");
    expectStatus(
        Code.INVALID_ARGUMENT,
        () -> stub.rollout(refRollout().setTimes(count(10, -1)).build()),
        "times.uniform_count.duration = -1.0");
    expectStatus(
        Code.INVALID_ARGUMENT,
        () -> stub.rollout(refRollout().setTimes(count(10, Double.NaN)).build()),
        "times.uniform_count.duration = NaN");
    expectStatus(
        Code.INVALID_ARGUMENT,
        () -> stub.rollout(refRollout().setTimes(count(10, 0)).build()),
        "times.uniform_count.duration = 0");
    expectStatus(
        Code.INVALID_ARGUMENT,
        () -> stub.rollout(refRollout().setTimes(step(0, 1)).build()),
        "times.uniform_step.dt = 0.0");
    expectStatus(
        Code.INVALID_ARGUMENT,
        () -> stub.rollout(refRollout().setTimes(step(-0.1, 1)).build()),
        "times.uniform_step.dt = -0.1");
    expectStatus(
        Code.INVALID_ARGUMENT,
        () -> stub.rollout(refRollout().setTimes(step(0.1, Double.POSITIVE_INFINITY)).build()),
        "times.uniform_step.duration = Infinity");
    expectStatus(
        Code.INVALID_ARGUMENT,
        () ->
            stub.rollout(
                refRollout().setOverrides(MotionOverrides.newBuilder().addGoal(1)).build()),
        "overrides.goal: 1 values");
    expectStatus(
        Code.INVALID_ARGUMENT,
        () ->
            stub.rollout(
                refRollout()
                    .setOverrides(MotionOverrides.newBuilder().addGoal(1).addGoal(Double.NaN))
                    .build()),
        "overrides.goal[1]",
        "NaN");
    expectStatus(
        Code.INVALID_ARGUMENT,
        () ->
            stub.rollout(
                refRollout().setOverrides(MotionOverrides.newBuilder().setTimeScale(-1)).build()),
        "overrides.time_scale = -1.0");
    expectStatus(
        Code.INVALID_ARGUMENT,
        () ->
            stub.rolloutBatch(
                RolloutBatchRequest.newBuilder().setModel("ref").setTimes(count(3, 1)).build()),
        "starts: empty");
    expectStatus(
        Code.INVALID_ARGUMENT,
        () ->
            stub.rolloutBatch(
                RolloutBatchRequest.newBuilder()
                    .setModel("ref")
                    .addStarts(1)
                    .addStarts(2)
                    .addStarts(3)
                    .setTimes(count(3, 1))
                    .build()),
        "starts: 3 values is not a multiple of the state dimension 2");
    expectStatus(
        Code.INVALID_ARGUMENT,
        () ->
            stub.rolloutBatch(
                RolloutBatchRequest.newBuilder()
                    .setModel("ref")
                    .addStarts(1)
                    .addStarts(2)
                    .addStarts(3)
                    .addStarts(Double.NaN)
                    .setTimes(count(3, 1))
                    .build()),
        "starts[3] (start 1, ",
        "NaN");
    expectStatus(
        Code.INVALID_ARGUMENT,
        () -> stub.velocity(VelocityRequest.newBuilder().setModel("ref").build()),
        "states: empty");
    expectStatus(
        Code.INVALID_ARGUMENT,
        () ->
            stub.velocity(
                VelocityRequest.newBuilder()
                    .setModel("ref")
                    .addStates(1)
                    .addStates(Double.NaN)
                    .build()),
        "states[1] (state 0, ",
        "NaN");
    expectStatus(
        Code.INVALID_ARGUMENT,
        () ->
            stub.velocity(
                VelocityRequest.newBuilder()
                    .setModel("ref")
                    .addStates(1)
                    .addStates(2)
                    .addStates(3)
                    .build()),
        "states: 3 values is not a multiple");
    // Finite but absurd: outside the workspace (100 sigma around the goal; durations up to
    // 1000 tau; time scales within x1000), refused before any work, naming the field.
    expectStatus(
        Code.INVALID_ARGUMENT,
        () ->
            stub.rollout(
                refRollout().setStart(0, Double.MAX_VALUE).setStart(1, -Double.MAX_VALUE).build()),
        "start[0] (x) = 1.79769e+308 m is outside the model's workspace [-100, 100] m");
    expectStatus(
        Code.INVALID_ARGUMENT,
        () -> stub.rollout(refRollout().setStart(1, 1e300).build()),
        "start[1] (y) = 1e+300");
    expectStatus(
        Code.INVALID_ARGUMENT,
        () ->
            stub.rollout(
                refRollout()
                    .setOverrides(MotionOverrides.newBuilder().addGoal(1e300).addGoal(0))
                    .build()),
        "overrides.goal[0] (x) = 1e+300");
    expectStatus(
        Code.INVALID_ARGUMENT,
        () ->
            stub.rollout(
                refRollout()
                    .setOverrides(MotionOverrides.newBuilder().setTimeScale(1e-300))
                    .build()),
        "overrides.time_scale = 1e-300 s is outside");
    expectStatus(
        Code.INVALID_ARGUMENT,
        () -> stub.rollout(refRollout().setTimes(count(11, 1e12)).build()),
        "times.uniform_count.duration = 1e+12 s is longer than the model's workspace allows");
    expectStatus(
        Code.INVALID_ARGUMENT,
        () -> stub.rollout(refRollout().setTimes(step(1e10, 1e11)).build()),
        "times.uniform_step.duration = 1e+11 s is longer");
    expectStatus(
        Code.INVALID_ARGUMENT,
        () -> stub.rollout(refRollout().setTimes(explicit(0, 1, 1e9)).build()),
        "times.explicit.times[2] = 1e+09 s is longer");
    expectStatus(
        Code.INVALID_ARGUMENT,
        () ->
            stub.rolloutBatch(
                RolloutBatchRequest.newBuilder()
                    .setModel("ref")
                    .addStarts(1)
                    .addStarts(2)
                    .addStarts(3)
                    .addStarts(-1e200)
                    .setTimes(count(3, 1))
                    .build()),
        "starts[3] (start 1) (y) = -1e+200 m is outside");
    expectStatus(
        Code.INVALID_ARGUMENT,
        () ->
            stub.velocity(
                VelocityRequest.newBuilder()
                    .setModel("ref")
                    .addStates(1)
                    .addStates(2)
                    .addStates(5e3)
                    .addStates(0)
                    .build()),
        "states[2] (state 1) (x) = 5000 m is outside");
    expectStatus(
        Code.INVALID_ARGUMENT,
        () ->
            stub.velocity(
                VelocityRequest.newBuilder()
                    .setModel("ref")
                    .addStates(1)
                    .addStates(2)
                    .setOverrides(MotionOverrides.newBuilder().addGoal(0).addGoal(-1e300))
                    .build()),
        "overrides.goal[1] (y) = -1e+300");
    // The edge of the workspace is served, finite.
    RolloutResponse edge = stub.rollout(refRollout().setStart(0, 100).setStart(1, -100).build());
    for (double v : edge.getStatesList()) {
      assertTrue(Double.isFinite(v));
    }
  }

  /** With the workspace widened (configurable), an overflow is still reported, never NaN. */
  @ParameterizedTest
  @EnumSource(GrpcFixture.Transport.class)
  void overflowBeyondAWideWorkspaceIsReported(GrpcFixture.Transport t) throws Exception {
    ServiceLimits wide =
        ServiceLimits.defaults()
            .withWorkspace(
                org.diffeomotion.model.Workspace.defaults().withSigmas(Double.MAX_VALUE));
    try (GrpcFixture fx = GrpcFixture.start(t, both.dir, wide)) {
      expectStatus(
          Code.INVALID_ARGUMENT,
          () ->
              fx.stub()
                  .rollout(
                      refRollout()
                          .setStart(0, Double.MAX_VALUE)
                          .setStart(1, -Double.MAX_VALUE)
                          .build()),
          "start",
          "overflowed");
    }
  }

  @ParameterizedTest
  @EnumSource(GrpcFixture.Transport.class)
  void oversizeIsResourceExhausted(GrpcFixture.Transport t) {
    var stub = fx(t).stub();
    expectStatus(
        Code.RESOURCE_EXHAUSTED,
        () -> stub.rollout(refRollout().setTimes(count(100_001, 10)).build()),
        "times.uniform_count.count: 100001 points",
        "limit of 100000");
    expectStatus(
        Code.RESOURCE_EXHAUSTED,
        () -> stub.rollout(refRollout().setTimes(step(1e-9, 1e9)).build()),
        "times.uniform_step",
        "limit of 100000");
    // Responses count their times too: 100 000 + 100 000 x 2 x 2 (with velocities) = 500 000
    // values fits; 100 000 + 3 starts x 100 000 x 2 = 700 000 does not.
    RolloutBatchRequest.Builder batch =
        RolloutBatchRequest.newBuilder().setModel("ref").setTimes(count(100_000, 10));
    for (int i = 0; i < 6; i++) {
      batch.addStarts(0.1 * i);
    }
    expectStatus(
        Code.RESOURCE_EXHAUSTED,
        () -> stub.rolloutBatch(batch.build()),
        "100000 times + starts (3) x times (100000 points) x state_dim 2 = 700000 values",
        "limit of 500000");
    // A request over the 4 MiB inbound limit is refused by the transport.
    double[] big = new double[600_000];
    for (int i = 1; i < big.length; i++) {
      big[i] = i * 1e-3;
    }
    expectStatus(
        Code.RESOURCE_EXHAUSTED, () -> stub.rollout(refRollout().setTimes(explicit(big)).build()));
  }

  @ParameterizedTest
  @EnumSource(GrpcFixture.Transport.class)
  void deadlineThatCannotBeMetIsRefusedEarly(GrpcFixture.Transport t) {
    // 240 starts x 1000 points of the reference model: ~400 ms of work on one core, estimated
    // from the fastest per-point time; the deadline leaves 150 ms.
    RolloutBatchRequest.Builder batch =
        RolloutBatchRequest.newBuilder().setModel("ref").setTimes(count(1000, 5));
    for (int i = 0; i < 480; i++) {
      batch.addStarts(0.01 * i);
    }
    var stub = fx(t).stub().withDeadlineAfter(150, TimeUnit.MILLISECONDS);
    // The server's description proves it refused before working (the client's own deadline
    // would say "deadline exceeded after ...").
    expectStatus(
        Code.DEADLINE_EXCEEDED,
        () -> stub.rolloutBatch(batch.build()),
        "RolloutBatch of 240 x 1000 points",
        "refused without starting");
    // The same request with time to spare succeeds.
    RolloutBatchResponse ok = fx(t).stub().rolloutBatch(batch.build());
    assertEquals(240, ok.getStartCount());
  }

  @ParameterizedTest
  @EnumSource(GrpcFixture.Transport.class)
  void cancelledBatchStopsBetweenStarts(GrpcFixture.Transport t) throws Exception {
    // 240 starts x 1000 points: several hundred ms of work, cancelled after the first start.
    RolloutBatchRequest.Builder batch =
        RolloutBatchRequest.newBuilder().setModel("ref").setTimes(count(1000, 5));
    for (int i = 0; i < 480; i++) {
      batch.addStarts(0.01 * i);
    }
    MotionService service = fx(t).server.service();
    long before = service.batchStartsComputed();
    io.grpc.Context.CancellableContext ctx = io.grpc.Context.current().withCancellation();
    java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.atomic.AtomicReference<Throwable> error =
        new java.util.concurrent.atomic.AtomicReference<>();
    ctx.run(
        () ->
            fx(t)
                .async()
                .rolloutBatch(
                    batch.build(),
                    new io.grpc.stub.StreamObserver<RolloutBatchResponse>() {
                      @Override
                      public void onNext(RolloutBatchResponse value) {}

                      @Override
                      public void onError(Throwable e) {
                        error.set(e);
                        done.countDown();
                      }

                      @Override
                      public void onCompleted() {
                        done.countDown();
                      }
                    }));
    // Cancel once the server is inside the batch.
    for (int i = 0; i < 5000 && service.batchStartsComputed() == before; i++) {
      Thread.sleep(1);
    }
    assertTrue(service.batchStartsComputed() > before, "the batch started");
    ctx.cancel(null);
    assertTrue(done.await(10, TimeUnit.SECONDS));
    assertEquals(Code.CANCELLED, io.grpc.Status.fromThrowable(error.get()).getCode());
    // The server notices at its next check (one start later) and stops.
    long last = -1;
    long now = service.batchStartsComputed();
    for (int i = 0; i < 200 && now != last; i++) {
      Thread.sleep(10);
      last = now;
      now = service.batchStartsComputed();
    }
    assertTrue(now - before < 240, "computed " + (now - before) + " of 240 starts");
  }
}
