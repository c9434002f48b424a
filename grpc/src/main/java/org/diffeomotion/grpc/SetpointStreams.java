package org.diffeomotion.grpc;

import static org.diffeomotion.grpc.RequestChecks.checkOverrides;
import static org.diffeomotion.grpc.RequestChecks.effectiveTimeScale;
import static org.diffeomotion.grpc.RequestChecks.invalid;

import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.Locale;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.diffeomotion.model.TimeGrids;
import org.diffeomotion.proto.motion.v1.Setpoint;
import org.diffeomotion.proto.motion.v1.StreamSetpointsRequest;

/**
 * StreamSetpoints set-up: checks the request (rate, duration, latency, overrides, workspace, the
 * deadline, the number of running streams) and starts a {@link SetpointStream} on the pacer it is
 * given (the server owns the pacer's threads). Thread-safe.
 */
final class SetpointStreams {
  /** Setpoints later than this are skipped when the stream is not set otherwise [s]. */
  static final double DEFAULT_MAX_LATENCY = 0.1;

  private final ModelCatalog catalog;
  private final RequestChecks checks;
  private final ScheduledExecutorService pacer;
  private final AtomicInteger activeStreams = new AtomicInteger();
  private final AtomicLong setpointsSent = new AtomicLong();

  SetpointStreams(ModelCatalog catalog, RequestChecks checks, ScheduledExecutorService pacer) {
    this.catalog = catalog;
    this.checks = checks;
    this.pacer = pacer;
  }

  /** StreamSetpoints calls producing right now. */
  int activeStreams() {
    return activeStreams.get();
  }

  /** Setpoints sent by all streams since start. */
  long setpointsSent() {
    return setpointsSent.get();
  }

  void streamSetpoints(StreamSetpointsRequest req, StreamObserver<Setpoint> obs) {
    try {
      ServedModel served = catalog.lookup(req.getModel());
      int d = served.model().stateDim();
      double[] start = new double[d];
      checks.resolveStart(
          req.getStartCount(),
          req.getStartList(),
          req.getStartPoseCount(),
          req.getStartPoseList(),
          req.getOverrides(),
          served,
          served.evaluators(),
          start);
      double rate = req.getRateHz();
      if (!Double.isFinite(rate) || !(rate > 0)) {
        throw invalid("rate_hz = " + rate + ", must be finite and > 0 [Hz]");
      }
      if (rate > checks.limits().maxStreamRateHz()) {
        throw Status.RESOURCE_EXHAUSTED
            .withDescription(
                String.format(
                    Locale.ROOT,
                    "rate_hz = %s exceeds this server's limit of %s Hz",
                    rate,
                    checks.limits().maxStreamRateHz()))
            .asRuntimeException();
      }
      double duration = req.getDuration();
      if (!Double.isFinite(duration) || duration < 0) {
        throw invalid("duration = " + duration + ", must be finite and >= 0 [s]");
      }
      double points = TimeGrids.uniformRateCount(duration, rate);
      if (points > checks.limits().maxStreamPoints()) {
        throw Status.RESOURCE_EXHAUSTED
            .withDescription(
                String.format(
                    Locale.ROOT,
                    "duration x rate_hz = %s s x %s Hz = %.0f setpoints exceeds this server's limit of "
                        + "%d per stream",
                    duration,
                    rate,
                    points,
                    checks.limits().maxStreamPoints()))
            .asRuntimeException();
      }
      double maxLatency = req.getMaxLatency();
      if (!Double.isFinite(maxLatency) || maxLatency < 0) {
        throw invalid(
            "max_latency = "
                + maxLatency
                + ", must be finite and >= 0 [s] (0 for "
                + "the default "
                + DEFAULT_MAX_LATENCY
                + " s)");
      }
      if (maxLatency == 0) {
        maxLatency = DEFAULT_MAX_LATENCY;
      }
      checkOverrides(req.getOverrides(), served);
      checks.checkWorkspaceOverrides(req.getOverrides(), served);
      String tooLong =
          served
              .bounds(checks.limits().workspace())
              .checkDuration("duration", duration, effectiveTimeScale(req.getOverrides(), served));
      if (tooLong != null) {
        throw invalid(tooLong);
      }
      Deadline dl = Context.current().getDeadline();
      if (dl != null) {
        long left = dl.timeRemaining(TimeUnit.NANOSECONDS);
        if ((double) left < duration * 1e9) {
          throw Status.DEADLINE_EXCEEDED
              .withDescription(
                  String.format(
                      Locale.ROOT,
                      "StreamSetpoints of duration %.3f s cannot finish in the %.3f s left before the "
                          + "deadline; refused without starting",
                      duration,
                      left / 1e9))
              .asRuntimeException();
        }
      }
      if (activeStreams.incrementAndGet() > checks.limits().maxConcurrentStreams()) {
        activeStreams.decrementAndGet();
        throw Status.RESOURCE_EXHAUSTED
            .withDescription(
                "this server already runs "
                    + checks.limits().maxConcurrentStreams()
                    + " setpoint streams (its limit); retry later")
            .asRuntimeException();
      }
      SetpointStream stream =
          new SetpointStream(
              served,
              start,
              rate,
              (long) points,
              req.getOverrides(),
              req.getIncludeVelocities(),
              maxLatency,
              (ServerCallStreamObserver<Setpoint>) obs,
              pacer,
              activeStreams,
              setpointsSent,
              System::nanoTime);
      stream.start();
    } catch (StatusRuntimeException e) {
      obs.onError(e);
    }
  }

  /** See {@link MotionService#newPacer()}. */
  static ScheduledExecutorService newPacer() {
    AtomicInteger n = new AtomicInteger();
    ScheduledThreadPoolExecutor pacer =
        new ScheduledThreadPoolExecutor(
            2,
            r -> {
              Thread t = new Thread(r, "motion-setpoint-pacer-" + n.incrementAndGet());
              t.setDaemon(true);
              // Setpoints are due at fixed times: let the pacer run ahead of bulk work.
              t.setPriority(Thread.MAX_PRIORITY);
              return t;
            });
    pacer.setRemoveOnCancelPolicy(true);
    return pacer;
  }
}
