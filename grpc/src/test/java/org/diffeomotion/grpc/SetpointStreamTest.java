package org.diffeomotion.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.stub.ServerCallStreamObserver;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.diffeomotion.model.MotionModel;
import org.diffeomotion.model.Precision;
import org.diffeomotion.model.Rollout;
import org.diffeomotion.proto.motion.v1.MotionOverrides;
import org.diffeomotion.proto.motion.v1.Setpoint;
import org.junit.jupiter.api.Test;

/**
 * {@link SetpointStream} on a clock and a pacer the test drives by hand: pacing, flow control and
 * cancellation checked exactly, with no wall-clock assertion (the end-to-end behaviour over real
 * transports is {@link StreamSetpointsTest}).
 */
class SetpointStreamTest {
  private static final long MS = 1_000_000L;

  private final long seed = GrpcFixture.seed("SetpointStreamTest");
  private final MotionModel model = GrpcFixture.reference(seed);
  private final ServedModel served =
      new ServedModel(
          "ref",
          model,
          "ref.dmm",
          "",
          1,
          Instant.EPOCH,
          Precision.DOUBLE,
          RolloutCost.calibrate(model, Precision.DOUBLE));
  private final AtomicLong now = new AtomicLong(5_000 * MS); // any origin: only differences count
  private final ManualPacer pacer = new ManualPacer();
  private final Sink sink = new Sink();
  private final AtomicInteger active = new AtomicInteger(1); // the set-up counted this stream
  private final AtomicLong sent = new AtomicLong();
  private final double[] start = {1.2, -0.7};

  private SetpointStream stream(double rate, long total, double maxLatency) {
    return new SetpointStream(
        served,
        start,
        rate,
        total,
        MotionOverrides.getDefaultInstance(),
        true,
        maxLatency,
        sink,
        pacer,
        active,
        sent,
        now::get);
  }

  private void advance(long nanos) {
    now.addAndGet(nanos);
  }

  @Test
  void setpointsAreSentWhenDueAndEqualTheClosedForm() {
    SetpointStream s = stream(100, 11, 1.0);
    s.start();
    assertEquals(10 * MS, pacer.periodNanos, "ticks at the rate's period");
    s.tick();
    assertEquals(List.of(0L), sink.indices(), "index 0 is due at once");
    advance(25 * MS);
    s.tick();
    assertEquals(List.of(0L, 1L, 2L), sink.indices(), "at 25 ms: 10 ms and 20 ms are due");
    s.tick();
    assertEquals(3, sink.got.size(), "nothing new is due at the same time");
    advance(200 * MS);
    s.tick();
    assertEquals(11, sink.got.size());
    assertTrue(sink.completed, "the last setpoint completes the stream");
    assertEquals(0, active.get());
    assertEquals(11, sent.get());
    assertTrue(pacer.future.cancelled, "the ticks stop");

    Rollout r = new Rollout(model, 11);
    double[] times = new double[11];
    for (int i = 0; i < 11; i++) {
      times[i] = i / 100.0;
    }
    double[] y = new double[22];
    double[] v = new double[22];
    r.rollout(start, times, 11, y, v);
    for (Setpoint p : sink.got) {
      int i = (int) p.getIndex();
      assertEquals(times[i], p.getTime(), 0.0, "time of " + i + " (seed " + seed + ")");
      for (int k = 0; k < 2; k++) {
        assertEquals(y[2 * i + k], p.getState(k), 0.0, "state " + i + "," + k);
        assertEquals(v[2 * i + k], p.getVelocity(k), 0.0, "velocity " + i + "," + k);
      }
      assertEquals(0, p.getSkipped());
    }
    assertEquals(
        5_225 * MS - 5_000 * MS,
        sink.got.get(10).getSentNanos(),
        "sent_nanos counts from the stream's start on its clock");
  }

  @Test
  void aTransportThatIsNotReadyGetsCurrentSetpointsNotABacklog() {
    SetpointStream s = stream(100, 101, 0.02);
    s.start();
    s.tick();
    assertEquals(List.of(0L), sink.indices());
    sink.ready = false;
    advance(505 * MS);
    s.tick();
    assertEquals(1, sink.got.size(), "nothing is sent while the transport is not ready");
    sink.ready = true;
    sink.onReady.run(); // what gRPC calls when the transport drains: it schedules a tick
    assertEquals(1, pacer.executed.size());
    pacer.executed.get(0).run();
    // At 505 ms setpoints 1..50 are due; those more than 20 ms late (1..48, due before 485 ms)
    // are stale.
    assertEquals(List.of(0L, 49L, 50L), sink.indices());
    assertEquals(48, sink.got.get(2).getSkipped());
    advance(1000 * MS);
    s.tick();
    Setpoint last = sink.got.get(sink.got.size() - 1);
    assertEquals(100, last.getIndex(), "the last setpoint is always delivered");
    assertTrue(sink.completed);
    assertEquals(0, active.get());
  }

  @Test
  void cancellationStopsTheStreamAtOnce() {
    SetpointStream s = stream(1000, 1001, 0.1);
    s.start();
    s.tick();
    sink.cancelled = true;
    sink.onCancel.run();
    assertEquals(0, active.get(), "a cancelled stream is no longer counted");
    assertTrue(pacer.future.cancelled);
    advance(100 * MS);
    s.tick();
    assertEquals(1, sink.got.size(), "nothing is sent after the cancellation");
    assertFalse(sink.completed);
  }

  /** The server side of the call: records what is sent, readiness set by the test. */
  private static final class Sink extends ServerCallStreamObserver<Setpoint> {
    final List<Setpoint> got = new ArrayList<>();
    boolean ready = true;
    boolean cancelled;
    boolean completed;
    Runnable onReady;
    Runnable onCancel;

    List<Long> indices() {
      List<Long> l = new ArrayList<>();
      for (Setpoint p : got) {
        l.add(p.getIndex());
      }
      return l;
    }

    @Override
    public boolean isCancelled() {
      return cancelled;
    }

    @Override
    public void setOnCancelHandler(Runnable r) {
      onCancel = r;
    }

    @Override
    public void setCompression(String compression) {}

    @Override
    public boolean isReady() {
      return ready;
    }

    @Override
    public void setOnReadyHandler(Runnable r) {
      onReady = r;
    }

    @Override
    public void request(int count) {}

    @Override
    public void setMessageCompression(boolean enable) {}

    @Override
    public void disableAutoInboundFlowControl() {}

    @Override
    public void onNext(Setpoint value) {
      got.add(value);
    }

    @Override
    public void onError(Throwable t) {
      throw new AssertionError("the stream failed", t);
    }

    @Override
    public void onCompleted() {
      completed = true;
    }
  }

  /** A pacer that runs nothing by itself: the test ticks the stream. */
  private static final class ManualPacer extends AbstractExecutorService
      implements ScheduledExecutorService {
    final List<Runnable> executed = new ArrayList<>();
    long periodNanos;
    Future future;

    static final class Future implements ScheduledFuture<Object> {
      boolean cancelled;

      @Override
      public long getDelay(TimeUnit unit) {
        return 0;
      }

      @Override
      public int compareTo(Delayed o) {
        return 0;
      }

      @Override
      public boolean cancel(boolean mayInterrupt) {
        cancelled = true;
        return true;
      }

      @Override
      public boolean isCancelled() {
        return cancelled;
      }

      @Override
      public boolean isDone() {
        return cancelled;
      }

      @Override
      public Object get() {
        return null;
      }

      @Override
      public Object get(long timeout, TimeUnit unit) {
        return null;
      }
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(
        Runnable r, long initial, long period, TimeUnit unit) {
      periodNanos = unit.toNanos(period);
      future = new Future();
      return future;
    }

    @Override
    public void execute(Runnable r) {
      executed.add(r);
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable r, long delay, TimeUnit unit) {
      throw new UnsupportedOperationException();
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> c, long delay, TimeUnit unit) {
      throw new UnsupportedOperationException();
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(
        Runnable r, long initial, long delay, TimeUnit unit) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void shutdown() {}

    @Override
    public List<Runnable> shutdownNow() {
      return List.of();
    }

    @Override
    public boolean isShutdown() {
      return false;
    }

    @Override
    public boolean isTerminated() {
      return false;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
      return true;
    }
  }
}
