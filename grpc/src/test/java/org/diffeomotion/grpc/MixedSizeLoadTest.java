package org.diffeomotion.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.diffeomotion.model.MotionModel;
import org.diffeomotion.model.Precision;
import org.diffeomotion.model.Rollout;
import org.diffeomotion.model.VelocityField;
import org.diffeomotion.proto.motion.v1.MotionServiceGrpc;
import org.diffeomotion.proto.motion.v1.RolloutBatchRequest;
import org.diffeomotion.proto.motion.v1.RolloutBatchResponse;
import org.diffeomotion.proto.motion.v1.RolloutRequest;
import org.diffeomotion.proto.motion.v1.RolloutResponse;
import org.diffeomotion.proto.motion.v1.TimeGrid;
import org.diffeomotion.proto.motion.v1.UniformCount;
import org.diffeomotion.proto.motion.v1.VelocityRequest;
import org.diffeomotion.proto.motion.v1.VelocityResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Requests of every size up to the service's limits, alone and from concurrent clients: every
 * answer must be complete (status OK, every value present) and equal to the model module's own
 * result. Sizes straddle the per-thread scratch the service keeps between requests ({@link
 * Evaluators#RETAIN_VALUES} = 65 536 values): trimming that scratch before the response was built
 * from it used to return empty velocity lists with status OK and fail large rollouts with UNKNOWN
 * (issue 9).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MixedSizeLoadTest {
  private static final double TOL = MotionServiceTest.TOL;
  private static final ServiceLimits LIMITS = ServiceLimits.defaults();
  private static final int RETAIN = Evaluators.RETAIN_VALUES;

  private long seed;
  private GrpcFixture.Both both;

  @BeforeAll
  void start() throws Exception {
    seed = GrpcFixture.seed("MixedSizeLoadTest");
    both = GrpcFixture.Both.start(seed, "motion-grpc-load");
  }

  @AfterAll
  void stop() throws Exception {
    if (both != null) {
      both.close();
    }
  }

  /** The model module's evaluators for one client thread (they are not thread-safe). */
  private final class Reference {
    final Map<String, Rollout> rollouts = new ConcurrentHashMap<>();
    final Map<String, VelocityField> fields = new ConcurrentHashMap<>();

    Rollout rollout(GrpcFixture fx, String name) {
      return rollouts.computeIfAbsent(
          name, n -> new Rollout(fx.registry.get(n).model(), LIMITS.maxPointsPerRollout()));
    }

    VelocityField field(GrpcFixture fx, String name) {
      return fields.computeIfAbsent(name, n -> new VelocityField(fx.registry.get(n).model()));
    }
  }

  private static TimeGrid count(int n, double duration) {
    return TimeGrid.newBuilder()
        .setUniformCount(UniformCount.newBuilder().setCount(n).setDuration(duration))
        .build();
  }

  private static double[] times(RolloutResponse r) {
    double[] t = new double[r.getTimesCount()];
    for (int i = 0; i < t.length; i++) {
      t[i] = r.getTimes(i);
    }
    return t;
  }

  /** One Rollout of n points from a random start; asserts it complete and equal to the model's. */
  private void rollout(
      GrpcFixture fx,
      Supplier<MotionServiceGrpc.MotionServiceBlockingStub> stub,
      Reference ref,
      String name,
      int n,
      boolean vel,
      Random rnd,
      String what) {
    MotionModel m = fx.registry.get(name).model();
    int d = m.stateDim();
    double[] y0 = new double[d];
    RolloutRequest.Builder req =
        RolloutRequest.newBuilder()
            .setModel(name)
            .setTimes(count(n, 10.0))
            .setIncludeVelocities(vel);
    for (int i = 0; i < d; i++) {
      y0[i] = m.goal()[i] + 2 * rnd.nextGaussian();
      req.addStart(y0[i]);
    }
    RolloutResponse resp = stub.get().rollout(req.build());
    assertEquals(n, resp.getPointCount(), what);
    assertEquals(n, resp.getTimesCount(), what + ": times");
    assertEquals(n * d, resp.getStatesCount(), what + ": states");
    assertEquals(vel ? n * d : 0, resp.getVelocitiesCount(), what + ": velocities");
    double[] t = times(resp);
    double[] want = new double[n * d];
    double[] wantVel = new double[n * d];
    ref.rollout(fx, name).rollout(y0, t, n, want, wantVel);
    for (int j = 0; j < n * d; j++) {
      if (Math.abs(want[j] - resp.getStates(j)) > TOL) {
        assertEquals(want[j], resp.getStates(j), TOL, what + ": state value " + j);
      }
      if (vel && Math.abs(wantVel[j] - resp.getVelocities(j)) > TOL) {
        assertEquals(wantVel[j], resp.getVelocities(j), TOL, what + ": velocity value " + j);
      }
    }
  }

  /** One Velocity query at m random states. */
  private void velocity(
      GrpcFixture fx,
      Supplier<MotionServiceGrpc.MotionServiceBlockingStub> stub,
      Reference ref,
      String name,
      int states,
      Random rnd,
      String what) {
    MotionModel m = fx.registry.get(name).model();
    int d = m.stateDim();
    double[] ys = new double[states * d];
    VelocityRequest.Builder req = VelocityRequest.newBuilder().setModel(name);
    for (int j = 0; j < ys.length; j++) {
      ys[j] = m.goal()[j % d] + rnd.nextGaussian();
      req.addStates(ys[j]);
    }
    VelocityResponse resp = stub.get().velocity(req.build());
    assertEquals(states * d, resp.getVelocitiesCount(), what + ": velocities");
    VelocityField f = ref.field(fx, name);
    double[] y = new double[d];
    double[] v = new double[d];
    for (int s = 0; s < states; s++) {
      System.arraycopy(ys, s * d, y, 0, d);
      f.velocity(y, v);
      for (int i = 0; i < d; i++) {
        if (Math.abs(v[i] - resp.getVelocities(s * d + i)) > TOL) {
          assertEquals(v[i], resp.getVelocities(s * d + i), TOL, what + ": state " + s);
        }
      }
    }
  }

  /** One RolloutBatch of k starts x n points. */
  private void batch(
      GrpcFixture fx,
      Supplier<MotionServiceGrpc.MotionServiceBlockingStub> stub,
      Reference ref,
      String name,
      int k,
      int n,
      boolean vel,
      Random rnd,
      String what) {
    MotionModel m = fx.registry.get(name).model();
    int d = m.stateDim();
    double[] starts = new double[k * d];
    RolloutBatchRequest.Builder req =
        RolloutBatchRequest.newBuilder()
            .setModel(name)
            .setTimes(count(n, 10.0))
            .setIncludeVelocities(vel);
    for (int j = 0; j < starts.length; j++) {
      starts[j] = m.goal()[j % d] + 2 * rnd.nextGaussian();
      req.addStarts(starts[j]);
    }
    RolloutBatchResponse resp = stub.get().rolloutBatch(req.build());
    assertEquals(k, resp.getStartCount(), what);
    assertEquals(n, resp.getTimesCount(), what + ": times");
    assertEquals(k * n * d, resp.getStatesCount(), what + ": states");
    assertEquals(vel ? k * n * d : 0, resp.getVelocitiesCount(), what + ": velocities");
    double[] t = new double[n];
    for (int i = 0; i < n; i++) {
      t[i] = resp.getTimes(i);
    }
    double[] y0 = new double[d];
    double[] out = new double[n * d];
    double[] outVel = new double[n * d];
    Rollout r = ref.rollout(fx, name);
    for (int s = 0; s < k; s++) {
      System.arraycopy(starts, s * d, y0, 0, d);
      r.rollout(y0, t, n, out, outVel);
      for (int j = 0; j < n * d; j++) {
        int at = s * n * d + j;
        if (Math.abs(out[j] - resp.getStates(at)) > TOL) {
          assertEquals(out[j], resp.getStates(at), TOL, what + ": start " + s + " value " + j);
        }
        if (vel && Math.abs(outVel[j] - resp.getVelocities(at)) > TOL) {
          assertEquals(outVel[j], resp.getVelocities(at), TOL, what + ": start " + s);
        }
      }
    }
  }

  /**
   * The sequences from the issue, on one client: a 65 537-point Rollout alone; 40 000-point
   * Rollouts, then 40 001-point ones; Velocity above 32 768 states after large rollouts;
   * RolloutBatch above 65 536 values; and the largest request of each kind the limits allow.
   */
  @ParameterizedTest
  @EnumSource(GrpcFixture.Transport.class)
  void largeRequestsOneAfterAnother(GrpcFixture.Transport t) {
    GrpcFixture fx = both.get(t);
    // A fresh deadline per call (stub() gives 10 s from its creation).
    Supplier<MotionServiceGrpc.MotionServiceBlockingStub> stub = fx::stub;
    Reference ref = new Reference();
    Random rnd = new Random(seed);
    rollout(fx, stub, ref, "ref", 65_537, false, rnd, "Rollout 65537");
    for (int i = 0; i < 4; i++) {
      rollout(fx, stub, ref, "ref", 40_000, false, rnd, "Rollout 40000 #" + i);
    }
    for (int i = 0; i < 4; i++) {
      rollout(fx, stub, ref, "ref", 40_001, i % 2 == 0, rnd, "Rollout 40001 #" + i);
    }
    for (int i = 0; i < 4; i++) {
      velocity(fx, stub, ref, "ref", i % 2 == 0 ? 32_769 : 10, rnd, "Velocity #" + i);
    }
    batch(fx, stub, ref, "ref", 3, RETAIN / 6 + 1, false, rnd, "RolloutBatch just over 65536");
    // At the limits: 100 000 points with velocities (100 000 + 2 x 2 x 100 000 = 500 000
    // values); 250 000 states (500 000 values); a batch of 500 000 - n values.
    rollout(fx, stub, ref, "ref", LIMITS.maxPointsPerRollout(), true, rnd, "Rollout at limit");
    int maxStates = (int) (LIMITS.maxResponseValues() / 2);
    velocity(fx, stub, ref, "aug", maxStates, rnd, "Velocity at limit");
    int n = 1000;
    int k = (int) ((LIMITS.maxResponseValues() - n) / (2L * n));
    batch(fx, stub, ref, "ref", k, n, false, rnd, "RolloutBatch at limit (" + k + " x " + n + ")");
    // Small requests after the large ones still answer in full.
    rollout(fx, stub, ref, "ref", 7, true, rnd, "small Rollout after large");
    velocity(fx, stub, ref, "ref", 3, rnd, "small Velocity after large");
  }

  /**
   * 16 clients, each a seeded random mix of Rollout, Velocity and RolloutBatch with sizes from a
   * few values to each limit (half of them over the retained scratch), on both transports.
   */
  @ParameterizedTest
  @EnumSource(GrpcFixture.Transport.class)
  void concurrentClientsWithMixedSizesGetCompleteAnswers(GrpcFixture.Transport t) throws Exception {
    GrpcFixture fx = both.get(t);
    int clients = 16;
    int requestsEach = 5;
    AtomicInteger done = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        long clientSeed = seed * 31 + c;
        futures.add(
            pool.submit(
                () -> {
                  Random rnd = new Random(clientSeed);
                  Reference ref = new Reference();
                  // A longer deadline per call than stub()'s: 16 clients share two cores.
                  Supplier<MotionServiceGrpc.MotionServiceBlockingStub> stub =
                      () ->
                          MotionServiceGrpc.newBlockingStub(fx.channel)
                              .withDeadlineAfter(60, TimeUnit.SECONDS);
                  for (int r = 0; r < requestsEach; r++) {
                    boolean large = rnd.nextBoolean();
                    String what = "client seed " + clientSeed + " request " + r;
                    switch (rnd.nextInt(3)) {
                      case 0:
                        {
                          int n =
                              large
                                  ? RETAIN / 3
                                      + rnd.nextInt(LIMITS.maxPointsPerRollout() - RETAIN / 3)
                                  : 1 + rnd.nextInt(2000);
                          // Velocities only where the response stays within the limit.
                          boolean vel =
                              rnd.nextBoolean() && n + 4L * n <= LIMITS.maxResponseValues();
                          rollout(fx, stub, ref, "ref", n, vel, rnd, what + ": Rollout " + n);
                          break;
                        }
                      case 1:
                        {
                          int states =
                              large
                                  ? RETAIN / 2
                                      + rnd.nextInt(
                                          (int) (LIMITS.maxResponseValues() / 2) - RETAIN / 2)
                                  : 1 + rnd.nextInt(500);
                          velocity(
                              fx,
                              stub,
                              ref,
                              rnd.nextBoolean() ? "ref" : "aug",
                              states,
                              rnd,
                              what + ": Velocity " + states);
                          break;
                        }
                      default:
                        {
                          int n = large ? 500 + rnd.nextInt(2000) : 1 + rnd.nextInt(100);
                          int maxK =
                              (int) Math.min(200, (LIMITS.maxResponseValues() - n) / (3L * n));
                          int k =
                              large
                                  ? Math.max(1, maxK / 2 + rnd.nextInt(maxK / 2 + 1))
                                  : 1 + rnd.nextInt(5);
                          batch(
                              fx,
                              stub,
                              ref,
                              "arm3",
                              k,
                              n,
                              false,
                              rnd,
                              what + ": RolloutBatch " + k + " x " + n);
                          break;
                        }
                    }
                    done.incrementAndGet();
                  }
                  return null;
                }));
      }
      for (Future<?> f : futures) {
        f.get(5, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
      assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
    }
    assertEquals(clients * requestsEach, done.get());
  }

  /** A request over the retained scratch leaves the next small one correct on the same thread. */
  @Test
  void scratchIsTrimmedAfterTheResponseIsBuilt() {
    GrpcFixture fx = both.get(GrpcFixture.Transport.IN_PROCESS);
    Evaluators ev = new Evaluators(fx.registry.get("ref").model(), Precision.DOUBLE);
    double[] big = ev.out(RETAIN * 4);
    assertEquals(RETAIN * 4, big.length);
    ev.resetOverrides();
    assertTrue(
        ev.out(1) == big,
        "resetting the overrides (after the computation) must keep " + "the scratch");
    ev.trim();
    assertTrue(ev.out(1).length <= RETAIN, "trim (after the response) trims it");
  }
}
