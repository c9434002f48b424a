package org.diffeomotion.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.stub.StreamObserver;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import org.diffeomotion.model.ModelArtifacts;
import org.diffeomotion.proto.motion.v1.RolloutRequest;
import org.diffeomotion.proto.motion.v1.RolloutResponse;
import org.diffeomotion.proto.motion.v1.TimeGrid;
import org.diffeomotion.proto.motion.v1.UniformCount;
import org.junit.jupiter.api.Test;

/**
 * A pose model's rollout path (start pose in, poses and angular velocities out) allocates its
 * response and (almost) nothing else, like the position-only path ({@link AllocationTest}).
 */
/* Tag "isolated": runs in a JVM of its own (the parent pom's surefire execution). */
@org.junit.jupiter.api.Tag("isolated")
class PoseAllocationTest {
  @Test
  void poseRolloutAllocatesAboutItsResponse() throws Exception {
    Path dir = Files.createTempDirectory("motion-grpc-pose-alloc");
    try {
      long seed = GrpcFixture.seed("PoseAllocationTest");
      ModelArtifacts.write(PoseServingTest.poseModel(seed), dir.resolve("pose.dmm"));
      ModelRegistry registry = ModelRegistry.open(dir);
      registry.loadAll();
      java.util.concurrent.ScheduledExecutorService pacer = MotionService.newPacer();
      try {
        MotionService service = new MotionService(registry, ServiceLimits.defaults(), pacer);
        RolloutRequest.Builder b =
            RolloutRequest.newBuilder()
                .setModel("pose")
                .setIncludeVelocities(true)
                .setOverrides(
                    org.diffeomotion.proto.motion.v1.MotionOverrides.newBuilder()
                        .addGoalPose(0.5)
                        .addGoalPose(0)
                        .addGoalPose(0.2)
                        .addGoalPose(0)
                        .addGoalPose(0)
                        .addGoalPose(Math.sin(0.6))
                        .addGoalPose(Math.cos(0.6)))
                .setTimes(
                    TimeGrid.newBuilder()
                        .setUniformCount(UniformCount.newBuilder().setCount(1000).setDuration(5)));
        for (double v : new double[] {0.45, -0.05, 0.25, 0.1, 0.2, 0.3, 0.927}) {
          b.addStartPose(v);
        }
        RolloutRequest req = b.build();
        RolloutResponse[] last = new RolloutResponse[1];
        StreamObserver<RolloutResponse> obs =
            new StreamObserver<>() {
              @Override
              public void onNext(RolloutResponse value) {
                last[0] = value;
              }

              @Override
              public void onError(Throwable t) {
                throw new AssertionError(t);
              }

              @Override
              public void onCompleted() {}
            };
        for (int i = 0; i < 500; i++) {
          service.rollout(req, obs);
        }
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        long best = Long.MAX_VALUE;
        int calls = 200;
        for (int round = 0; round < 5; round++) {
          long before = mx.getThreadAllocatedBytes(id);
          for (int i = 0; i < calls; i++) {
            service.rollout(req, obs);
          }
          best = Math.min(best, (mx.getThreadAllocatedBytes(id) - before) / calls);
        }
        assertEquals(7000, last[0].getPosesCount());
        assertEquals(3000, last[0].getAngularVelocitiesCount());
        // 1000 times + 6000 states + 6000 velocities + 7000 poses + 3000 angular velocities.
        long payload = 23_000 * 8;
        assertTrue(best < payload + 4096, best + " bytes per call, payload " + payload);
      } finally {
        pacer.shutdownNow();
      }
    } finally {
      TestFiles.deleteTree(dir);
    }
  }
}
