package org.diffeomotion.grpc;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.diffeomotion.model.PoseMap;
import org.diffeomotion.model.Rollout;
import org.diffeomotion.proto.motion.v1.MotionOverrides;
import org.diffeomotion.proto.motion.v1.Setpoint;

/**
 * One StreamSetpoints call: setpoint i is due at {@code start + i / rate}. A fixed-rate tick on the
 * pacer sends what is due. The trajectory is computed in chunks of {@link #CHUNK} points ahead of
 * time (closed form: any chunk can be computed at any time).
 *
 * <p>Flow control: a tick sends only while the transport {@code isReady()}. When it is not, the
 * stream waits; when the transport becomes ready again ({@code onReadyHandler}) it sends what is
 * due, but setpoints more than {@code max_latency} late are skipped (and counted), so a slow client
 * gets current setpoints, never a growing backlog (nothing queues beyond gRPC's own window).
 * Cancellation (client cancel, deadline, server shutdown) stops the ticks at once.
 *
 * <p>Ticks, the ready handler and cancellation may run on different threads; ticks, stop and fail
 * are synchronized on the stream, and the terminal state is an atomic flag.
 */
final class SetpointStream {
  static final int CHUNK = 64;

  private final ServedModel served;
  private final double[] start;
  private final double rate;
  private final long total;
  private final MotionOverrides overrides;
  private final boolean withVelocity;
  private final long maxLatencyNanos;
  private final ServerCallStreamObserver<Setpoint> obs;
  private final ScheduledExecutorService pacer;
  private final AtomicInteger active;
  private final AtomicLong sentCounter;

  /** Monotonic time [ns] (System::nanoTime; tests pass a clock they advance by hand). */
  private final LongSupplier clock;

  private final AtomicBoolean finished = new AtomicBoolean();
  private final int d;
  private final double[] chunkTimes = new double[CHUNK];
  private final double[] chunkStates;
  private final double[] chunkVelocities;

  /** Pose models (1.2): the chunk's poses (7 values per point) and angular velocities (3). */
  private final boolean withPose;

  private final double[] chunkPoses;
  private final double[] chunkOmegas;
  private final Runnable tickTask = this::tick;
  private long chunkFirst = -1;
  private long next;
  private long skipped;
  private long startNanos;
  private volatile ScheduledFuture<?> future;

  SetpointStream(
      ServedModel served,
      double[] start,
      double rate,
      long total,
      MotionOverrides overrides,
      boolean withVelocity,
      double maxLatency,
      ServerCallStreamObserver<Setpoint> obs,
      ScheduledExecutorService pacer,
      AtomicInteger active,
      AtomicLong sentCounter,
      LongSupplier clock) {
    this.served = served;
    this.start = start;
    this.rate = rate;
    this.total = total;
    this.overrides = overrides;
    this.withVelocity = withVelocity;
    this.maxLatencyNanos = (long) (maxLatency * 1e9);
    this.obs = obs;
    this.pacer = pacer;
    this.active = active;
    this.sentCounter = sentCounter;
    this.clock = clock;
    this.d = start.length;
    this.chunkStates = new double[CHUNK * d];
    this.chunkVelocities = new double[CHUNK * d];
    this.withPose = served.model().isPose();
    this.chunkPoses = withPose ? new double[CHUNK * PoseMap.POSE_LENGTH] : null;
    this.chunkOmegas = withPose && withVelocity ? new double[CHUNK * 3] : null;
  }

  /** Registers the handlers and starts the ticks; called on the rpc's thread. */
  void start() {
    obs.setOnCancelHandler(this::stop);
    obs.setOnReadyHandler(
        () -> {
          if (!finished.get()) {
            try {
              pacer.execute(tickTask);
            } catch (java.util.concurrent.RejectedExecutionException e) {
              fail(Status.UNAVAILABLE.withDescription("server shutting down"));
            }
          }
        });
    long periodNanos = Math.max(1L, (long) (1e9 / rate));
    startNanos = clock.getAsLong();
    try {
      future = pacer.scheduleAtFixedRate(tickTask, 0, periodNanos, TimeUnit.NANOSECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      fail(Status.UNAVAILABLE.withDescription("server shutting down"));
    }
  }

  /** Sends what is due; runs on the pacer (package-private: tests tick by hand). */
  synchronized void tick() {
    if (finished.get()) {
      cancelTicks(); // the stream may have ended before start() stored the future
      return;
    }
    if (obs.isCancelled()) {
      stop();
      return;
    }
    long now = clock.getAsLong() - startNanos;
    long due = Math.min(total - 1, (long) Math.floor(now * 1e-9 * rate));
    while (next <= due) {
      if (!obs.isReady()) {
        return; // the onReady handler ticks again as soon as the transport drains
      }
      // Setpoints more than maxLatency late are stale: skip to the oldest one still current
      // (never past the last setpoint, which every stream delivers).
      long oldestCurrent = Math.min(due, (long) Math.ceil((now - maxLatencyNanos) * 1e-9 * rate));
      if (oldestCurrent > next) {
        skipped += oldestCurrent - next;
        next = oldestCurrent;
      }
      if (!send(next, now)) {
        return;
      }
      next++;
    }
    if (next >= total && finished.compareAndSet(false, true)) {
      cancelTicks();
      active.decrementAndGet();
      obs.onCompleted();
    }
  }

  private boolean send(long index, long nowNanos) {
    if (index < chunkFirst || index >= chunkFirst + CHUNK || chunkFirst < 0) {
      if (!computeChunk(index)) {
        return false;
      }
    }
    int row = (int) (index - chunkFirst) * d;
    Setpoint.Builder b =
        Setpoint.newBuilder()
            .setIndex(index)
            .setTime(chunkTimes[(int) (index - chunkFirst)])
            .setSkipped(skipped)
            .setSentNanos(nowNanos);
    for (int i = 0; i < d; i++) {
      b.addState(chunkStates[row + i]);
    }
    if (withVelocity) {
      for (int i = 0; i < d; i++) {
        b.addVelocity(chunkVelocities[row + i]);
      }
    }
    if (withPose) {
      int j = (int) (index - chunkFirst);
      for (int i = 0; i < PoseMap.POSE_LENGTH; i++) {
        b.addPose(chunkPoses[j * PoseMap.POSE_LENGTH + i]);
      }
      if (withVelocity) {
        for (int i = 0; i < 3; i++) {
          b.addAngularVelocity(chunkOmegas[j * 3 + i]);
        }
      }
    }
    obs.onNext(b.build());
    sentCounter.incrementAndGet();
    return true;
  }

  private boolean computeChunk(long first) {
    int n = (int) Math.min(CHUNK, total - first);
    for (int j = 0; j < n; j++) {
      chunkTimes[j] = (first + j) / rate;
    }
    Evaluators ev = served.evaluators();
    Rollout r = ev.rollout;
    ev.applyOverrides(overrides);
    int st;
    try {
      st = r.tryRollout(start, chunkTimes, n, chunkStates, withVelocity ? chunkVelocities : null);
      if (withPose && st == org.diffeomotion.model.Status.OK) {
        // With the goal orientation in force (overrides.goal_pose or the model's).
        for (int j = 0; j < n; j++) {
          ev.pose.toPose(chunkStates, j * d, chunkPoses, j * PoseMap.POSE_LENGTH);
          if (withVelocity) {
            ev.pose.angularVelocity(chunkStates, j * d, chunkVelocities, j * d, chunkOmegas, j * 3);
          }
        }
      }
    } finally {
      ev.resetOverrides();
    }
    if (st != org.diffeomotion.model.Status.OK) {
      fail(RequestChecks.evaluationError(st, "start").getStatus());
      return false;
    }
    chunkFirst = first;
    return true;
  }

  /**
   * Cancelled by the client, the deadline or shutdown: stop producing. Synchronized with {@link
   * #tick}: once this returns, no setpoint is sent any more (a tick in progress finishes first; the
   * next one sees {@code finished}).
   */
  private synchronized void stop() {
    if (finished.compareAndSet(false, true)) {
      cancelTicks();
      active.decrementAndGet();
    }
  }

  private synchronized void fail(Status status) {
    if (finished.compareAndSet(false, true)) {
      cancelTicks();
      active.decrementAndGet();
      obs.onError(status.asRuntimeException());
    }
  }

  private void cancelTicks() {
    ScheduledFuture<?> f = future;
    if (f != null) {
      f.cancel(false);
    }
  }
}
