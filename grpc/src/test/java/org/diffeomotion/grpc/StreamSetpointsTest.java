package org.diffeomotion.grpc;

import static org.diffeomotion.grpc.GrpcFixture.expectStatus;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.Status.Code;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.diffeomotion.model.Rollout;
import org.diffeomotion.proto.motion.v1.Setpoint;
import org.diffeomotion.proto.motion.v1.StreamSetpointsRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** StreamSetpoints: values, pacing, cancellation, deadlines and flow control. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StreamSetpointsTest {
  private GrpcFixture.Both both;

  @BeforeAll
  void start() throws Exception {
    long seed = GrpcFixture.seed("StreamSetpointsTest");
    both = GrpcFixture.Both.start(seed, "motion-grpc-stream");
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

  private static StreamSetpointsRequest.Builder request(double rate, double duration) {
    return StreamSetpointsRequest.newBuilder()
        .setModel("ref")
        .addStart(1.5)
        .addStart(-0.5)
        .setRateHz(rate)
        .setDuration(duration);
  }

  @ParameterizedTest
  @EnumSource(GrpcFixture.Transport.class)
  void setpointsArePacedAndEqualTheRollout(GrpcFixture.Transport t) {
    // max_latency 10 s: this test is about values and pacing; a stall of the shared test
    // machine must not turn into skipped setpoints here.
    Iterator<Setpoint> it =
        fx(t)
            .stub()
            .streamSetpoints(
                request(1000, 0.2).setIncludeVelocities(true).setMaxLatency(10).build());
    List<Setpoint> got = new ArrayList<>();
    while (it.hasNext()) {
      got.add(it.next());
    }
    assertEquals(201, got.size());
    for (Setpoint p : got) {
      // Pacing, on the stream's own clock (exact pacing is SetpointStreamTest's): never early.
      assertTrue(
          p.getSentNanos() >= p.getIndex() * 1_000_000L,
          "setpoint "
              + p.getIndex()
              + " sent at "
              + p.getSentNanos()
              + " ns, due at "
              + p.getIndex()
              + " ms");
    }
    Rollout ref = new Rollout(fx(t).registry.get("ref").model(), 1000);
    double[] times = new double[201];
    for (int i = 0; i < 201; i++) {
      times[i] = i / 1000.0;
    }
    double[] want = new double[402];
    double[] wantVel = new double[402];
    ref.rollout(new double[] {1.5, -0.5}, times, 201, want, wantVel);
    for (int i = 0; i < 201; i++) {
      Setpoint s = got.get(i);
      assertEquals(i, s.getIndex());
      assertEquals(times[i], s.getTime());
      assertEquals(0, s.getSkipped());
      assertArrayEquals(
          new double[] {want[2 * i], want[2 * i + 1]},
          new double[] {s.getState(0), s.getState(1)},
          MotionServiceTest.TOL);
      assertArrayEquals(
          new double[] {wantVel[2 * i], wantVel[2 * i + 1]},
          new double[] {s.getVelocity(0), s.getVelocity(1)},
          MotionServiceTest.TOL);
    }
  }

  @ParameterizedTest
  @EnumSource(GrpcFixture.Transport.class)
  void cancelStopsTheServerProducing(GrpcFixture.Transport t) throws Exception {
    MotionService service = fx(t).server.service();
    long sentBefore = service.setpointsSent();
    CountDownLatch fifty = new CountDownLatch(50);
    CountDownLatch closed = new CountDownLatch(1);
    AtomicReference<Throwable> error = new AtomicReference<>();
    AtomicReference<ClientCallStreamObserver<StreamSetpointsRequest>> call =
        new AtomicReference<>();
    fx(t)
        .async()
        .withDeadlineAfter(120, TimeUnit.SECONDS)
        .streamSetpoints(
            request(1000, 60).build(),
            new ClientResponseObserver<StreamSetpointsRequest, Setpoint>() {
              @Override
              public void beforeStart(ClientCallStreamObserver<StreamSetpointsRequest> rs) {
                call.set(rs);
              }

              @Override
              public void onNext(Setpoint value) {
                fifty.countDown();
              }

              @Override
              public void onError(Throwable e) {
                error.set(e);
                closed.countDown();
              }

              @Override
              public void onCompleted() {
                closed.countDown();
              }
            });
    assertTrue(fifty.await(5, TimeUnit.SECONDS), "50 setpoints within 5 s");
    assertEquals(1, service.activeStreams());
    call.get().cancel("test cancels mid-stream", null);
    assertTrue(closed.await(5, TimeUnit.SECONDS));
    assertEquals(Code.CANCELLED, Status.fromThrowable(error.get()).getCode());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
    while (service.activeStreams() != 0 && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertEquals(0, service.activeStreams(), "the server stopped the stream");
    long sentAfterCancel = service.setpointsSent();
    Thread.sleep(100);
    assertEquals(sentAfterCancel, service.setpointsSent(), "no setpoints after the cancel");
    assertTrue(sentAfterCancel - sentBefore < 1000, "stopped long before the 60 s end");
  }

  @ParameterizedTest
  @EnumSource(GrpcFixture.Transport.class)
  void deadlineShorterThanTheStreamIsRefused(GrpcFixture.Transport t) {
    expectStatus(
        Code.DEADLINE_EXCEEDED,
        () ->
            fx(t)
                .stub()
                .withDeadlineAfter(500, TimeUnit.MILLISECONDS)
                .streamSetpoints(request(100, 2.0).build())
                .hasNext(),
        "StreamSetpoints of duration 2.000 s",
        "refused without starting");
  }

  @ParameterizedTest
  @EnumSource(GrpcFixture.Transport.class)
  void badStreamRequests(GrpcFixture.Transport t) {
    var stub = fx(t).stub();
    expectStatus(
        Code.INVALID_ARGUMENT,
        () -> stub.streamSetpoints(request(0, 1).build()).hasNext(),
        "rate_hz = 0.0");
    expectStatus(
        Code.INVALID_ARGUMENT,
        () -> stub.streamSetpoints(request(Double.NaN, 1).build()).hasNext(),
        "rate_hz = NaN");
    expectStatus(
        Code.INVALID_ARGUMENT,
        () -> stub.streamSetpoints(request(100, -1).build()).hasNext(),
        "duration = -1.0");
    expectStatus(
        Code.INVALID_ARGUMENT,
        () -> stub.streamSetpoints(request(100, 1).setModel("nope").build()).hasNext(),
        "model: \"nope\"");
    expectStatus(
        Code.INVALID_ARGUMENT,
        () -> stub.streamSetpoints(request(100, 1).addStart(1).build()).hasNext(),
        "start: 3 values");
    expectStatus(
        Code.RESOURCE_EXHAUSTED,
        () -> stub.streamSetpoints(request(20_000, 1).build()).hasNext(),
        "rate_hz = 20000.0 exceeds",
        "10000.0 Hz");
    expectStatus(
        Code.RESOURCE_EXHAUSTED,
        () -> stub.streamSetpoints(request(10_000, 1e6).build()).hasNext(),
        "setpoints exceeds this server's limit");
  }

  /**
   * A client that takes one message every 20 ms from a 1 kHz stream: the server must not queue a
   * backlog; it skips stale setpoints and sends the current one. In-process, isReady() follows the
   * client's requests exactly, so this is deterministic.
   */
  @Test
  void slowClientGetsCurrentSetpointsNotABacklog() throws Exception {
    List<Setpoint> got = new ArrayList<>();
    CountDownLatch closed = new CountDownLatch(1);
    AtomicReference<ClientCallStreamObserver<StreamSetpointsRequest>> call =
        new AtomicReference<>();
    AtomicInteger received = new AtomicInteger();
    both.inProcess
        .async()
        .streamSetpoints(
            request(1000, 0.5).build(),
            new ClientResponseObserver<StreamSetpointsRequest, Setpoint>() {
              @Override
              public void beforeStart(ClientCallStreamObserver<StreamSetpointsRequest> rs) {
                rs.disableAutoRequestWithInitial(1);
                call.set(rs);
              }

              @Override
              public void onNext(Setpoint value) {
                synchronized (got) {
                  got.add(value);
                }
                received.incrementAndGet();
              }

              @Override
              public void onError(Throwable e) {
                closed.countDown();
              }

              @Override
              public void onCompleted() {
                closed.countDown();
              }
            });
    for (int i = 0; i < 40 && closed.getCount() > 0; i++) {
      Thread.sleep(20);
      call.get().request(1);
    }
    call.get().request(1000);
    assertTrue(closed.await(5, TimeUnit.SECONDS));
    synchronized (got) {
      assertTrue(got.size() < 100, "far fewer than 501 setpoints: " + got.size());
      Setpoint last = got.get(got.size() - 1);
      assertEquals(500, last.getIndex(), "the stream still ends with the last setpoint");
      assertTrue(last.getSkipped() > 300, "skipped " + last.getSkipped());
      long prev = -1;
      for (Setpoint s : got) {
        assertTrue(s.getIndex() > prev, "indices increase");
        prev = s.getIndex();
      }
    }
  }
}
