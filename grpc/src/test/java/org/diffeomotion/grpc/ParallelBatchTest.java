package org.diffeomotion.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.diffeomotion.model.ModelArtifacts;
import org.diffeomotion.model.MotionModel;
import org.diffeomotion.model.PoseMap;
import org.diffeomotion.model.Rollout;
import org.diffeomotion.model.VelocityField;
import org.diffeomotion.proto.motion.v1.MotionOverrides;
import org.diffeomotion.proto.motion.v1.RolloutBatchRequest;
import org.diffeomotion.proto.motion.v1.RolloutBatchResponse;
import org.diffeomotion.proto.motion.v1.TimeGrid;
import org.diffeomotion.proto.motion.v1.UniformCount;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Large RolloutBatch requests run on every core (the model's shared ParallelRollouts, chunk by
 * chunk) and answer what one thread would: states, velocities, arrivals and poses against the model
 * module's own evaluators, with goal and time-scale overrides that do not leak.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ParallelBatchTest {
  private long seed;
  private Path dir;
  private GrpcFixture inProcess;
  private GrpcFixture netty;
  private MotionModel pose;

  @BeforeAll
  void start() throws Exception {
    Assumptions.assumeTrue(ServedModel.CORES > 1, "one core: batches stay on the request thread");
    seed = GrpcFixture.seed("ParallelBatchTest");
    dir = Files.createTempDirectory("motion-grpc-parallel");
    GrpcFixture.writeModels(dir, seed);
    pose = PoseServingTest.poseModel(seed + 3);
    ModelArtifacts.write(pose, dir.resolve("pose.dmm"));
    inProcess = GrpcFixture.start(GrpcFixture.Transport.IN_PROCESS, dir, ServiceLimits.defaults());
    netty = GrpcFixture.start(GrpcFixture.Transport.NETTY, dir, ServiceLimits.defaults());
  }

  @AfterAll
  void stop() throws Exception {
    for (GrpcFixture f : new GrpcFixture[] {inProcess, netty}) {
      if (f != null) {
        f.close();
      }
    }
    if (dir != null) {
      TestFiles.deleteTree(dir);
    }
  }

  private GrpcFixture fx(GrpcFixture.Transport t) {
    return t == GrpcFixture.Transport.IN_PROCESS ? inProcess : netty;
  }

  private static void close(double want, double got, String what) {
    assertEquals(want, got, 1e-12 * Math.max(1, Math.abs(want)), what);
  }

  @ParameterizedTest
  @EnumSource(GrpcFixture.Transport.class)
  void aLargeBatchRunsOnEveryCoreAndEqualsOneThreadsAnswer(GrpcFixture.Transport t) {
    int k = 40;
    int n = 1000;
    MotionModel model = GrpcFixture.reference(seed);
    int d = model.stateDim();
    Random rnd = new Random(seed);
    RolloutBatchRequest.Builder req =
        RolloutBatchRequest.newBuilder()
            .setModel("ref")
            .setIncludeVelocities(true)
            .setTimes(
                TimeGrid.newBuilder()
                    .setUniformCount(UniformCount.newBuilder().setCount(n).setDuration(4)))
            .setOverrides(
                MotionOverrides.newBuilder().addGoal(0.2).addGoal(-0.1).setTimeScale(1.5));
    double[] starts = new double[k * d];
    for (int i = 0; i < starts.length; i++) {
      starts[i] = 0.5 * rnd.nextGaussian();
      req.addStarts(starts[i]);
    }
    MotionService service = fx(t).server.service();
    long before = service.parallelChunks();
    RolloutBatchResponse r = fx(t).stub().rolloutBatch(req.build());
    assertTrue(service.parallelChunks() > before, "seed " + seed + ": computed on several cores");
    Rollout one = new Rollout(model, n);
    one.setGoal(new double[] {0.2, -0.1});
    one.setTimeScale(1.5);
    double[] times = new double[n];
    for (int j = 0; j < n; j++) {
      times[j] = r.getTimes(j);
    }
    double[] want = new double[n * d];
    double[] wantV = new double[n * d];
    for (int s = 0; s < k; s++) {
      one.rollout(java.util.Arrays.copyOfRange(starts, s * d, s * d + d), times, n, want, wantV);
      for (int i = 0; i < n * d; i++) {
        close(want[i], r.getStates(s * n * d + i), "seed " + seed + " start " + s + " value " + i);
        close(wantV[i], r.getVelocities(s * n * d + i), "velocity, start " + s);
      }
    }
    assertEquals(k, r.getArrivalsCount());
    // The overrides did not stay on the shared evaluator: the next batch has the model's goal.
    RolloutBatchResponse plain =
        fx(t).stub().rolloutBatch(req.clone().clearOverrides().setIncludeVelocities(false).build());
    Rollout own = new Rollout(model, n);
    own.rollout(java.util.Arrays.copyOfRange(starts, 0, d), times, n, want, null);
    for (int i = 0; i < n * d; i++) {
      close(want[i], plain.getStates(i), "after the override, value " + i);
    }
  }

  @ParameterizedTest
  @EnumSource(GrpcFixture.Transport.class)
  void aLargePoseBatchCarriesThePosesOfItsStates(GrpcFixture.Transport t) {
    int k = 24;
    int n = 800;
    Random rnd = new Random(seed + 1);
    RolloutBatchRequest.Builder req =
        RolloutBatchRequest.newBuilder()
            .setModel("pose")
            .setIncludeVelocities(true)
            .setTimes(
                TimeGrid.newBuilder()
                    .setUniformCount(UniformCount.newBuilder().setCount(n).setDuration(3)));
    for (int s = 0; s < k; s++) {
      for (double v : PoseServingTest.randomPose(rnd, 2 * rnd.nextDouble())) {
        req.addStartPoses(v);
      }
    }
    MotionService service = fx(t).server.service();
    long before = service.parallelChunks();
    RolloutBatchResponse r = fx(t).stub().rolloutBatch(req.build());
    assertTrue(service.parallelChunks() > before, "computed on several cores");
    PoseMap map = new PoseMap(pose);
    VelocityField field = new VelocityField(pose);
    double[] y = new double[6];
    double[] v = new double[6];
    double[] p = new double[7];
    double[] w = new double[3];
    for (int j = 0; j < k * n; j += 97) {
      for (int i = 0; i < 6; i++) {
        y[i] = r.getStates(6 * j + i);
      }
      map.toPose(y, 0, p, 0);
      for (int i = 0; i < 7; i++) {
        close(p[i], r.getPoses(7 * j + i), "pose of point " + j);
      }
      field.velocity(y, v);
      map.angularVelocity(y, 0, v, 0, w, 0);
      for (int i = 0; i < 3; i++) {
        assertEquals(w[i], r.getAngularVelocities(3 * j + i), 1e-9, "angular velocity " + j);
      }
    }
  }
}
