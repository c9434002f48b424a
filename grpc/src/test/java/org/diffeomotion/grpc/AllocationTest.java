package org.diffeomotion.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.stub.StreamObserver;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import org.diffeomotion.proto.motion.v1.RolloutRequest;
import org.diffeomotion.proto.motion.v1.RolloutResponse;
import org.diffeomotion.proto.motion.v1.TimeGrid;
import org.diffeomotion.proto.motion.v1.UniformCount;
import org.junit.jupiter.api.Test;

/**
 * The service's rollout path allocates its response and (almost) nothing else: evaluators and
 * scratch are per thread and reused. Measured on the calling thread, without a transport.
 */
/* Tag "isolated": runs in a JVM of its own (the parent pom's surefire execution). */
@org.junit.jupiter.api.Tag("isolated")
class AllocationTest {
  /**
   * Bytes per call once the JIT has compiled the path: the smallest of a few rounds. Until C2 has
   * compiled the Vector API kernels they run as allocating Java fallbacks, and on a loaded 2-core
   * machine the compiler threads can lag the 500 warm-up calls (a 23 MB/call round was seen once);
   * a path that really allocates fails every round.
   */
  private static long steadyBytesPerCall(Runnable call, int calls) {
    var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long id = Thread.currentThread().getId();
    long best = Long.MAX_VALUE;
    for (int round = 0; round < 5; round++) {
      long before = mx.getThreadAllocatedBytes(id);
      for (int i = 0; i < calls; i++) {
        call.run();
      }
      best = Math.min(best, (mx.getThreadAllocatedBytes(id) - before) / calls);
    }
    return best;
  }

  @Test
  void rolloutAllocatesAboutItsResponse() throws Exception {
    Path dir = Files.createTempDirectory("motion-grpc-alloc");
    try {
      GrpcFixture.writeModels(dir, GrpcFixture.seed("AllocationTest"));
      ModelRegistry registry = ModelRegistry.open(dir);
      registry.loadAll();
      java.util.concurrent.ScheduledExecutorService pacer = MotionService.newPacer();
      try {
        MotionService service = new MotionService(registry, ServiceLimits.defaults(), pacer);
        RolloutRequest req =
            RolloutRequest.newBuilder()
                .setModel("ref")
                .addStart(1.5)
                .addStart(-0.5)
                .setTimes(
                    TimeGrid.newBuilder()
                        .setUniformCount(UniformCount.newBuilder().setCount(1000).setDuration(5)))
                .build();
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
        int calls = 200;
        long perCall = steadyBytesPerCall(() -> service.rollout(req, obs), calls);
        assertEquals(2000, last[0].getStatesCount());
        // The response's arrays: 1000 times + 2000 states, 8 bytes each.
        long payload = 3000 * 8;
        assertTrue(perCall < payload + 4096, perCall + " bytes per call, payload " + payload);

        // A batch: 10 starts x 100 points, with velocities.
        org.diffeomotion.proto.motion.v1.RolloutBatchRequest.Builder batch =
            org.diffeomotion.proto.motion.v1.RolloutBatchRequest.newBuilder()
                .setModel("ref")
                .setIncludeVelocities(true)
                .setTimes(
                    TimeGrid.newBuilder()
                        .setUniformCount(UniformCount.newBuilder().setCount(100).setDuration(5)));
        for (int i = 0; i < 20; i++) {
          batch.addStarts(0.1 * i);
        }
        var breq = batch.build();
        var bobs =
            new StreamObserver<org.diffeomotion.proto.motion.v1.RolloutBatchResponse>() {
              @Override
              public void onNext(org.diffeomotion.proto.motion.v1.RolloutBatchResponse value) {}

              @Override
              public void onError(Throwable t) {
                throw new AssertionError(t);
              }

              @Override
              public void onCompleted() {}
            };
        for (int i = 0; i < 500; i++) {
          service.rolloutBatch(breq, bobs);
        }
        long perBatch = steadyBytesPerCall(() -> service.rolloutBatch(breq, bobs), calls);
        long batchPayload = (100 + 2 * 10 * 100 * 2) * 8;
        assertTrue(perBatch < batchPayload + 4096, perBatch + " bytes, payload " + batchPayload);
      } finally {
        pacer.shutdownNow();
      }
    } finally {
      TestFiles.deleteTree(dir);
    }
  }
}
