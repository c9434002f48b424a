package org.diffeomotion.grpc;

import com.google.protobuf.Timestamp;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.Locale;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.diffeomotion.model.MotionModel;
import org.diffeomotion.model.StabilityReport;
import org.diffeomotion.model.TimeGrids;
import org.diffeomotion.proto.motion.v1.Arrival;
import org.diffeomotion.proto.motion.v1.DescribeModelRequest;
import org.diffeomotion.proto.motion.v1.ListModelsRequest;
import org.diffeomotion.proto.motion.v1.ListModelsResponse;
import org.diffeomotion.proto.motion.v1.LoadModelRequest;
import org.diffeomotion.proto.motion.v1.LoadModelResponse;
import org.diffeomotion.proto.motion.v1.ModelDescription;
import org.diffeomotion.proto.motion.v1.ModelSummary;
import org.diffeomotion.proto.motion.v1.MotionOverrides;
import org.diffeomotion.proto.motion.v1.MotionServiceGrpc;
import org.diffeomotion.proto.motion.v1.ReloadModelRequest;
import org.diffeomotion.proto.motion.v1.RolloutBatchRequest;
import org.diffeomotion.proto.motion.v1.RolloutBatchResponse;
import org.diffeomotion.proto.motion.v1.RolloutRequest;
import org.diffeomotion.proto.motion.v1.RolloutResponse;
import org.diffeomotion.proto.motion.v1.Setpoint;
import org.diffeomotion.proto.motion.v1.StreamSetpointsRequest;
import org.diffeomotion.proto.motion.v1.TimeGrid;
import org.diffeomotion.proto.motion.v1.VelocityRequest;
import org.diffeomotion.proto.motion.v1.VelocityResponse;

/**
 * The {@code diffeomotion.motion.v1.MotionService} implementation: request validation, limits,
 * deadlines and the mapping onto the {@code model} module's evaluators. Transport-free; the
 * bootstrap is {@link MotionGrpcServer}.
 *
 * <p>Every request is validated before work starts: bad input gets {@code INVALID_ARGUMENT}
 * naming the field and value; requests over {@link ServiceLimits} get
 * {@code RESOURCE_EXHAUSTED}; a request whose least possible cost exceeds the time left before its
 * deadline gets {@code DEADLINE_EXCEEDED} without being computed. Long work (batches, many
 * velocity states, streams) checks for cancellation between chunks and stops.
 *
 * <p>Thread-safe. Rollouts run on the calling (gRPC executor) thread with that thread's
 * evaluators for the model ({@link ServedModel#evaluators()}); setpoint streams are paced by a
 * small scheduler owned by this service, released by {@link #close()}.
 */
public final class MotionService extends MotionServiceGrpc.MotionServiceImplBase
    implements AutoCloseable {
  /** Starts per cancellation check in a batch; states per check in a velocity request. */
  private static final int VELOCITY_CHUNK = 256;
  /** Setpoints later than this are skipped when the stream is not set otherwise [s]. */
  static final double DEFAULT_MAX_LATENCY = 0.1;

  private final ModelRegistry registry;
  private final ServiceLimits limits;
  private final ScheduledThreadPoolExecutor pacer;
  private final AtomicInteger activeStreams = new AtomicInteger();
  private final AtomicLong setpointsSent = new AtomicLong();
  private final AtomicLong batchStartsComputed = new AtomicLong();

  public MotionService(ModelRegistry registry, ServiceLimits limits) {
    this.registry = registry;
    this.limits = limits;
    this.pacer = new ScheduledThreadPoolExecutor(2, pacerThreads());
    this.pacer.setRemoveOnCancelPolicy(true);
  }

  public ModelRegistry registry() {
    return registry;
  }

  public ServiceLimits limits() {
    return limits;
  }

  /** StreamSetpoints calls producing right now. */
  public int activeStreams() {
    return activeStreams.get();
  }

  /** Setpoints sent by all streams since start. */
  public long setpointsSent() {
    return setpointsSent.get();
  }

  /** RolloutBatch starts computed since start (tests check that cancelled batches stop). */
  long batchStartsComputed() {
    return batchStartsComputed.get();
  }

  /** Stops the stream pacer (running streams stop producing). */
  @Override
  public void close() {
    pacer.shutdownNow();
  }

  // ---------------------------------------------------------------- models

  @Override
  public void listModels(ListModelsRequest request, StreamObserver<ListModelsResponse> obs) {
    ListModelsResponse.Builder b = ListModelsResponse.newBuilder();
    for (ServedModel m : registry.list()) {
      b.addModels(summary(m));
    }
    obs.onNext(b.build());
    obs.onCompleted();
  }

  @Override
  public void describeModel(DescribeModelRequest request, StreamObserver<ModelDescription> obs) {
    try {
      ServedModel served = lookup(request.getModel());
      MotionModel m = served.model();
      StabilityReport st = m.stability();
      ModelDescription.Builder b = ModelDescription.newBuilder()
          .setSummary(summary(served))
          .addAllDimensionNames(m.dimensionNames())
          .addAllDimensionUnits(m.dimensionUnits())
          .setFrameId(m.frameId())
          .setTimeScale(m.timeScale())
          .setSupportsStateFeedback(m.supportsStateFeedback())
          .setSlowestDecayRate(st.slowestDecayRate())
          .setDecayRateBound(st.decayRateBound())
          .setStabilityStatement(st.statement())
          .addAllModes(m.toProto().getBase().getModesList())
          .setProvenance(m.provenance())
          .setBlockCount(m.toProto().getBlocksCount())
          .setMultiplyAddsPerPoint(m.multiplyAddsPerPoint());
      for (double v : m.goal()) {
        b.addGoal(v);
      }
      for (double v : m.scale()) {
        b.addScale(v);
      }
      for (double v : st.eigenvalueRealParts()) {
        b.addEigenvalueReal(v);
      }
      for (double v : st.eigenvalueImagParts()) {
        b.addEigenvalueImag(v);
      }
      obs.onNext(b.build());
      obs.onCompleted();
    } catch (StatusRuntimeException e) {
      obs.onError(e);
    }
  }

  @Override
  public void loadModel(LoadModelRequest request, StreamObserver<LoadModelResponse> obs) {
    try {
      respondLoad(registry.load(request.getPath(), request.getName()), obs);
    } catch (ModelLoadException e) {
      obs.onError(loadStatus(e).asRuntimeException());
    }
  }

  @Override
  public void reloadModel(ReloadModelRequest request, StreamObserver<LoadModelResponse> obs) {
    try {
      if (request.getModel().isEmpty()) {
        throw Status.INVALID_ARGUMENT.withDescription("model: empty; name a served model "
            + "(served: " + registry.names() + ")").asRuntimeException();
      }
      respondLoad(registry.reload(request.getModel()), obs);
    } catch (ModelLoadException e) {
      obs.onError(loadStatus(e).asRuntimeException());
    } catch (StatusRuntimeException e) {
      obs.onError(e);
    }
  }

  private static void respondLoad(ModelRegistry.LoadResult r,
                                  StreamObserver<LoadModelResponse> obs) {
    LoadModelResponse.Builder b = LoadModelResponse.newBuilder().setModel(summary(r.loaded()));
    if (r.replaced() != null) {
      b.setReplaced(true).setReplacedGeneration(r.replaced().generation());
    }
    obs.onNext(b.build());
    obs.onCompleted();
  }

  private static Status loadStatus(ModelLoadException e) {
    switch (e.reason()) {
      case INVALID_REQUEST:
        return Status.INVALID_ARGUMENT.withDescription(e.getMessage());
      case OUTSIDE_DIRECTORY:
        return Status.PERMISSION_DENIED.withDescription(e.getMessage());
      case NOT_FOUND:
        return Status.NOT_FOUND.withDescription(e.getMessage());
      case TOO_LARGE:
        return Status.RESOURCE_EXHAUSTED.withDescription(e.getMessage()
            + " (the served model, if any, is unchanged)");
      case INVALID_MODEL:
      default:
        return Status.FAILED_PRECONDITION.withDescription(e.getMessage()
            + " (the served model, if any, is unchanged)");
    }
  }

  // ---------------------------------------------------------------- rollouts

  @Override
  public void rollout(RolloutRequest req, StreamObserver<RolloutResponse> obs) {
    Evaluators ev = null;
    try {
      ServedModel served = lookup(req.getModel());
      ev = served.evaluators();
      int d = ev.d;
      checkStateCount(req.getStartCount(), "start", served);
      for (int i = 0; i < d; i++) {
        ev.state[i] = checkFinite(req.getStart(i), "start", i, served);
      }
      checkInside("start", ev.state, 0, served);
      checkOverrides(req.getOverrides(), served);
      checkWorkspaceOverrides(req.getOverrides(), served);
      int n = req.getTimes().getGridCase() == TimeGrid.GridCase.UNTIL_ARRIVAL
          ? untilArrival(req.getTimes(), served, ev, req.getOverrides(), null, 1)
          : resolveTimes(req.getTimes(), ev);
      checkWorkspaceTimes(req.getTimes(), ev.times[n - 1], req.getOverrides(), served);
      boolean vel = req.getIncludeVelocities();
      checkResponseSize(n + (long) n * d * (vel ? 2 : 1), n + " times + times (" + n
          + " points) x state_dim " + d + (vel ? " x 2 (states and velocities)" : ""));
      checkDeadline(served.estimateNanos(1, n, vel), "Rollout of " + n + " points");

      double[] out = ev.out(n * d);
      double[] velOut = vel ? ev.vel(n * d) : null;
      apply(req.getOverrides(), served, ev);
      int st;
      Arrival arrival;
      try {
        long t0 = System.nanoTime();
        st = ev.rollout.tryRollout(ev.state, ev.times, n, out, velOut);
        served.observe(n, vel, System.nanoTime() - t0);
        arrival = st == org.diffeomotion.model.Status.OK
            ? arrival(served, ev, req.getOverrides(), ev.state, ev.times[n - 1]) : null;
      } finally {
        reset(served, ev);
      }
      if (st != org.diffeomotion.model.Status.OK) {
        throw evaluationError(st, "start");
      }
      RolloutResponse.Builder b = RolloutResponse.newBuilder()
          .setModel(served.name())
          .setGeneration(served.generation())
          .setStateDim(d)
          .setPointCount(n)
          .setArrival(arrival);
      b.addAllTimes(ev.packed(ev.times, n));
      b.addAllStates(ev.packed(out, n * d));
      if (vel) {
        b.addAllVelocities(ev.packed(velOut, n * d));
      }
      RolloutResponse response = b.build();
      release(ev);
      ev = null;
      obs.onNext(response);
      obs.onCompleted();
    } catch (StatusRuntimeException e) {
      obs.onError(e);
    } finally {
      release(ev);
    }
  }

  @Override
  public void rolloutBatch(RolloutBatchRequest req, StreamObserver<RolloutBatchResponse> obs) {
    Evaluators ev = null;
    try {
      ServedModel served = lookup(req.getModel());
      ev = served.evaluators();
      int d = ev.d;
      int k = packedRows("starts", "start", req.getStartsCount(), served, d);
      for (int j = 0; j < k * d; j++) {
        if (!Double.isFinite(req.getStarts(j))) {
          throw nonFinite("starts", "start", j, req.getStarts(j), served, d);
        }
        checkInside(served, "starts", "start", j, req.getStarts(j), d);
      }
      checkOverrides(req.getOverrides(), served);
      checkWorkspaceOverrides(req.getOverrides(), served);
      int n = req.getTimes().getGridCase() == TimeGrid.GridCase.UNTIL_ARRIVAL
          ? untilArrival(req.getTimes(), served, ev, req.getOverrides(), req, k)
          : resolveTimes(req.getTimes(), ev);
      checkWorkspaceTimes(req.getTimes(), ev.times[n - 1], req.getOverrides(), served);
      boolean vel = req.getIncludeVelocities();
      checkResponseSize(n + (long) k * n * d * (vel ? 2 : 1), n + " times + starts (" + k
          + ") x times (" + n + " points) x state_dim " + d
          + (vel ? " x 2 (states and velocities)" : ""));
      checkDeadline(served.estimateNanos(k, n, vel), "RolloutBatch of " + k + " x " + n
          + " points");

      RolloutBatchResponse.Builder b = RolloutBatchResponse.newBuilder()
          .setModel(served.name())
          .setGeneration(served.generation())
          .setStateDim(d)
          .setPointCount(n)
          .setStartCount(k);
      double[] times = ev.times;
      b.addAllTimes(ev.packed(times, n));
      double[] out = ev.out(n * d);
      double[] velOut = vel ? ev.vel(n * d) : null;
      Evaluators.Packed states = ev.packedA.reset(k * n * d);
      Evaluators.Packed velocities = ev.packedB.reset(vel ? k * n * d : 0);
      Context ctx = Context.current();
      apply(req.getOverrides(), served, ev);
      try {
        for (int s = 0; s < k; s++) {
          if (ctx.isCancelled()) {
            throw Contexts.statusFromCancelled(ctx)
                .augmentDescription("RolloutBatch stopped after " + s + " of " + k + " starts")
                .asRuntimeException();
          }
          for (int i = 0; i < d; i++) {
            ev.state[i] = req.getStarts(s * d + i);
          }
          long t0 = System.nanoTime();
          int st = ev.rollout.tryRollout(ev.state, times, n, out, velOut);
          served.observe(n, vel, System.nanoTime() - t0);
          if (st != org.diffeomotion.model.Status.OK) {
            throw evaluationError(st, "starts[" + (s * d) + ".." + (s * d + d - 1) + "] (start "
                + s + ")");
          }
          batchStartsComputed.incrementAndGet();
          b.addArrivals(arrival(served, ev, req.getOverrides(), ev.state, times[n - 1]));
          states.append(out, n * d);
          if (vel) {
            velocities.append(velOut, n * d);
          }
        }
      } finally {
        reset(served, ev);
      }
      b.addAllStates(states.list());
      if (vel) {
        b.addAllVelocities(velocities.list());
      }
      RolloutBatchResponse response = b.build();
      release(ev);
      ev = null;
      obs.onNext(response);
      obs.onCompleted();
    } catch (StatusRuntimeException e) {
      obs.onError(e);
    } finally {
      release(ev);
    }
  }

  /**
   * Checks the length of a packed row-major list of states (k x d) and returns k. Errors name
   * the field and the model's dimensions.
   */
  private static int packedRows(String field, String row, int count, ServedModel served, int d) {
    if (count == 0) {
      throw invalid(field + ": empty; give k >= 1 " + row + "s, k x " + d + " values");
    }
    if (count % d != 0) {
      throw invalid(field + ": " + count + " values is not a multiple of the state dimension "
          + d + " " + served.model().dimensionNames());
    }
    return count / d;
  }

  /** The error for a non-finite value j of a packed list, naming its row and dimension. */
  private static StatusRuntimeException nonFinite(String field, String row, int j, double v,
                                                  ServedModel served, int d) {
    return invalid(field + "[" + j + "] (" + row + " " + (j / d) + ", "
        + served.model().dimensionNames().get(j % d) + ") = " + v + ", must be finite");
  }

  @Override
  public void velocity(VelocityRequest req, StreamObserver<VelocityResponse> obs) {
    Evaluators ev = null;
    try {
      ServedModel served = lookup(req.getModel());
      ev = served.evaluators();
      int d = ev.d;
      int m = packedRows("states", "state", req.getStatesCount(), served, d);
      int values = m * d;
      for (int j = 0; j < values; j++) {
        if (!Double.isFinite(req.getStates(j))) {
          throw nonFinite("states", "state", j, req.getStates(j), served, d);
        }
        checkInside(served, "states", "state", j, req.getStates(j), d);
      }
      checkResponseSize(values, "states (" + m + ") x state_dim " + d);
      checkOverrides(req.getOverrides(), served);
      checkWorkspaceOverrides(req.getOverrides(), served);
      // A velocity query is one inverse pass and one JVP: about two rollout points.
      checkDeadline(served.estimateNanos(m, 1, true), "Velocity at " + m + " states");

      VelocityResponse.Builder b = VelocityResponse.newBuilder()
          .setModel(served.name())
          .setGeneration(served.generation())
          .setStateDim(d)
          .setStateFeedbackGuaranteed(served.model().supportsStateFeedback());
      Evaluators.Packed velocities = ev.packedA.reset(values);
      Context ctx = Context.current();
      apply(req.getOverrides(), served, ev);
      try {
        for (int s = 0; s < m; s++) {
          if (s % VELOCITY_CHUNK == 0 && s > 0 && ctx.isCancelled()) {
            throw Contexts.statusFromCancelled(ctx)
                .augmentDescription("Velocity stopped after " + s + " of " + m + " states")
                .asRuntimeException();
          }
          for (int i = 0; i < d; i++) {
            ev.state[i] = req.getStates(s * d + i);
          }
          int st = ev.field.tryVelocity(ev.state, ev.velocity);
          if (st != org.diffeomotion.model.Status.OK) {
            throw evaluationError(st, "states[" + (s * d) + ".." + (s * d + d - 1) + "] (state "
                + s + ")");
          }
          velocities.append(ev.velocity, d);
        }
      } finally {
        reset(served, ev);
      }
      b.addAllVelocities(velocities.list());
      VelocityResponse response = b.build();
      release(ev);
      ev = null;
      obs.onNext(response);
      obs.onCompleted();
    } catch (StatusRuntimeException e) {
      obs.onError(e);
    } finally {
      release(ev);
    }
  }

  // ---------------------------------------------------------------- setpoint stream

  @Override
  public void streamSetpoints(StreamSetpointsRequest req, StreamObserver<Setpoint> obs) {
    try {
      ServedModel served = lookup(req.getModel());
      int d = served.model().stateDim();
      double[] start = new double[d];
      checkStateCount(req.getStartCount(), "start", served);
      for (int i = 0; i < d; i++) {
        start[i] = checkFinite(req.getStart(i), "start", i, served);
      }
      checkInside("start", start, 0, served);
      double rate = req.getRateHz();
      if (!Double.isFinite(rate) || !(rate > 0)) {
        throw invalid("rate_hz = " + rate + ", must be finite and > 0 [Hz]");
      }
      if (rate > limits.maxStreamRateHz()) {
        throw Status.RESOURCE_EXHAUSTED.withDescription(String.format(Locale.ROOT,
            "rate_hz = %s exceeds this server's limit of %s Hz", rate, limits.maxStreamRateHz()))
            .asRuntimeException();
      }
      double duration = req.getDuration();
      if (!Double.isFinite(duration) || duration < 0) {
        throw invalid("duration = " + duration + ", must be finite and >= 0 [s]");
      }
      double points = TimeGrids.uniformRateCount(duration, rate);
      if (points > limits.maxStreamPoints()) {
        throw Status.RESOURCE_EXHAUSTED.withDescription(String.format(Locale.ROOT,
            "duration x rate_hz = %s s x %s Hz = %.0f setpoints exceeds this server's limit of "
                + "%d per stream", duration, rate, points, limits.maxStreamPoints()))
            .asRuntimeException();
      }
      double maxLatency = req.getMaxLatency();
      if (!Double.isFinite(maxLatency) || maxLatency < 0) {
        throw invalid("max_latency = " + maxLatency + ", must be finite and >= 0 [s] (0 for "
            + "the default " + DEFAULT_MAX_LATENCY + " s)");
      }
      if (maxLatency == 0) {
        maxLatency = DEFAULT_MAX_LATENCY;
      }
      checkOverrides(req.getOverrides(), served);
      checkWorkspaceOverrides(req.getOverrides(), served);
      String tooLong = served.bounds(limits.workspace()).checkDuration("duration", duration,
          effectiveTimeScale(req.getOverrides(), served));
      if (tooLong != null) {
        throw invalid(tooLong);
      }
      Deadline dl = Context.current().getDeadline();
      if (dl != null) {
        long left = dl.timeRemaining(TimeUnit.NANOSECONDS);
        if ((double) left < duration * 1e9) {
          throw Status.DEADLINE_EXCEEDED.withDescription(String.format(Locale.ROOT,
              "StreamSetpoints of duration %.3f s cannot finish in the %.3f s left before the "
                  + "deadline; refused without starting", duration, left / 1e9))
              .asRuntimeException();
        }
      }
      if (activeStreams.incrementAndGet() > limits.maxConcurrentStreams()) {
        activeStreams.decrementAndGet();
        throw Status.RESOURCE_EXHAUSTED.withDescription("this server already runs "
            + limits.maxConcurrentStreams() + " setpoint streams (its limit); retry later")
            .asRuntimeException();
      }
      SetpointStream stream = new SetpointStream(served, start, rate, (long) points,
          req.getOverrides(), req.getIncludeVelocities(), maxLatency,
          (ServerCallStreamObserver<Setpoint>) obs, pacer, activeStreams, setpointsSent);
      stream.start();
    } catch (StatusRuntimeException e) {
      obs.onError(e);
    }
  }

  // ---------------------------------------------------------------- helpers

  private ServedModel lookup(String name) {
    if (name.isEmpty()) {
      throw invalid("model: empty; name a served model (served: " + registry.names() + ")");
    }
    ServedModel m = registry.get(name);
    if (m == null) {
      throw invalid("model: \"" + ModelRegistry.abbreviate(name) + "\" is not served (served: "
          + registry.names() + ")");
    }
    return m;
  }

  /** A d-vector field must have exactly d values. */
  // ---------------------------------------------------------------- workspace

  /** A d-vector field (e.g. "start", "overrides.goal") must lie in the model's workspace. */
  void checkInside(String field, double[] y, int off, ServedModel served) {
    org.diffeomotion.model.Workspace.Bounds b = served.bounds(limits.workspace());
    int i = b.outside(y, off);
    if (i >= 0) {
      throw invalid(b.describe(field + "[" + i + "]", i, y[off + i]) + WORKSPACE_HINT);
    }
  }

  /** Value j of a packed k x d list must lie in the workspace; the error names row and dimension. */
  void checkInside(ServedModel served, String field, String row, int j, double v, int d) {
    org.diffeomotion.model.Workspace.Bounds b = served.bounds(limits.workspace());
    if (!b.inside(j % d, v)) {
      throw invalid(b.describe(field + "[" + j + "] (" + row + " " + (j / d) + ")", j % d, v)
          + WORKSPACE_HINT);
    }
  }

  private static final String WORKSPACE_HINT = "; the server's --workspace-sigmas sets it";

  /** The time scale a request runs at: its override, or the model's [s]. */
  static double effectiveTimeScale(MotionOverrides o, ServedModel served) {
    return o.getTimeScale() != 0 ? o.getTimeScale() : served.model().timeScale();
  }

  /** The goal in force for a request (overrides.goal or the model's), in {@code ev.goal}. */
  static double[] goalInForce(MotionOverrides o, ServedModel served, Evaluators ev) {
    if (o.getGoalCount() != 0) {
      for (int i = 0; i < ev.d; i++) {
        ev.goal[i] = o.getGoal(i);
      }
    } else {
      System.arraycopy(ev.modelGoal, 0, ev.goal, 0, ev.d);
    }
    return ev.goal;
  }

  /**
   * Whether the trajectory from {@code y0} has arrived at time {@code t} [s]: one more
   * closed-form point (the overrides must be applied to {@code ev.rollout}).
   */
  Arrival arrival(ServedModel served, Evaluators ev, MotionOverrides o, double[] y0, double t) {
    double[] goal = goalInForce(o, served, ev);
    double tau = effectiveTimeScale(o, served);
    boolean ok = limits.arrival().arrivedAt(ev.rollout, y0, goal, ev.sigma, tau, t, ev.arrival);
    return Arrival.newBuilder().setArrived(ok)
        .setGoalDistance(org.diffeomotion.model.Arrival.norm(ev.arrival.state(), 0, goal, ev.d))
        .setSpeed(org.diffeomotion.model.Arrival.norm(ev.arrival.velocity(), 0, null, ev.d))
        .build();
  }

  /**
   * times.until_arrival: {@code count} times over [0, T], T the arrival time of the start in
   * {@code ev.state} (batch: the longest over the k starts of {@code batch}), at most the
   * workspace's longest duration. Writes ev.times and returns the count.
   */
  int untilArrival(TimeGrid grid, ServedModel served, Evaluators ev, MotionOverrides o,
                   RolloutBatchRequest batch, int k) {
    long count = Integer.toUnsignedLong(grid.getUntilArrival().getCount());
    int max = limits.maxPointsPerRollout();
    if (count < 2) {
      throw invalid("times.until_arrival.count = " + count + ", must be 2.." + max);
    }
    if (count > max) {
      throw tooMany("times.until_arrival.count", count);
    }
    double tau = effectiveTimeScale(o, served);
    double longest = served.bounds(limits.workspace()).maxDuration(tau);
    double[] sigma = ev.sigma;
    double horizon = 0;
    apply(o, served, ev);
    try {
      double[] goal = goalInForce(o, served, ev);
      double[] y0 = batch == null ? ev.state : ev.velocity; // velocity: free d-scratch here
      for (int s = 0; s < k; s++) {
        if (batch != null) {
          for (int i = 0; i < ev.d; i++) {
            y0[i] = batch.getStarts(s * ev.d + i);
          }
        }
        double t = limits.arrival().arrivalTime(ev.rollout, y0, goal, sigma, tau, tau, longest,
            ev.arrival);
        horizon = Math.max(horizon, t > 0 ? t : longest);
      }
    } finally {
      reset(served, ev);
    }
    int n = (int) count;
    TimeGrids.fillUniformCount(ev.times(n), n, horizon);
    return n;
  }

  /** Overrides (already checked finite) within the workspace: goal in the box, time scale in range. */
  void checkWorkspaceOverrides(MotionOverrides o, ServedModel served) {
    org.diffeomotion.model.Workspace.Bounds b = served.bounds(limits.workspace());
    for (int i = 0; i < o.getGoalCount(); i++) {
      if (!b.inside(i, o.getGoal(i))) {
        throw invalid(b.describe("overrides.goal[" + i + "]", i, o.getGoal(i)) + WORKSPACE_HINT);
      }
    }
    if (o.getTimeScale() != 0) {
      String p = b.checkTimeScale("overrides.time_scale", o.getTimeScale());
      if (p != null) {
        throw invalid(p);
      }
    }
  }

  /** The overrides and the last requested time within the workspace. */
  void checkWorkspaceTimes(TimeGrid grid, double lastTime, MotionOverrides o, ServedModel served) {
    checkWorkspaceOverrides(o, served);
    String field;
    switch (grid.getGridCase()) {
      case EXPLICIT:
        field = "times.explicit.times[" + (grid.getExplicit().getTimesCount() - 1) + "]";
        break;
      case UNIFORM_COUNT:
        field = "times.uniform_count.duration";
        break;
      case UNTIL_ARRIVAL:
        field = "times.until_arrival";
        break;
      default:
        field = "times.uniform_step.duration";
        break;
    }
    String p = served.bounds(limits.workspace()).checkDuration(field, lastTime,
        effectiveTimeScale(o, served));
    if (p != null) {
      throw invalid(p);
    }
  }

  static void checkStateCount(int count, String field, ServedModel served) {
    int d = served.model().stateDim();
    if (count != d) {
      throw invalid(field + ": " + count + " values, the model \"" + served.name()
          + "\" has state dimension " + d + " " + served.model().dimensionNames());
    }
  }

  /** Element i of a d-vector field must be finite. */
  static double checkFinite(double v, String field, int i, ServedModel served) {
    if (!Double.isFinite(v)) {
      throw invalid(field + "[" + i + "] (" + served.model().dimensionNames().get(i) + ") = "
          + v + ", must be finite");
    }
    return v;
  }

  /** Writes the requested times into {@code ev.times} and returns their number n >= 1. */
  int resolveTimes(TimeGrid grid, Evaluators ev) {
    int max = limits.maxPointsPerRollout();
    switch (grid.getGridCase()) {
      case EXPLICIT: {
        int n = grid.getExplicit().getTimesCount();
        if (n == 0) {
          throw invalid("times.explicit.times: empty; give 1.." + max + " times [s]");
        }
        if (n > max) {
          throw tooMany("times.explicit.times", n);
        }
        double[] t = ev.times(n);
        double prev = 0;
        for (int i = 0; i < n; i++) {
          double v = grid.getExplicit().getTimes(i);
          if (!Double.isFinite(v)) {
            throw invalid("times.explicit.times[" + i + "] = " + v + ", must be finite [s]");
          }
          if (v < 0) {
            throw invalid("times.explicit.times[" + i + "] = " + v
                + " is negative: times are seconds from the start");
          }
          if (i > 0 && v < prev) {
            throw invalid("times.explicit.times[" + i + "] = " + v + " < times[" + (i - 1)
                + "] = " + prev + ": times must be non-decreasing");
          }
          t[i] = v;
          prev = v;
        }
        return n;
      }
      case UNIFORM_COUNT: {
        long count = Integer.toUnsignedLong(grid.getUniformCount().getCount());
        double duration = grid.getUniformCount().getDuration();
        if (count == 0) {
          throw invalid("times.uniform_count.count = 0, must be 1.." + max);
        }
        if (count > max) {
          throw tooMany("times.uniform_count.count", count);
        }
        if (!Double.isFinite(duration) || duration < 0) {
          throw invalid("times.uniform_count.duration = " + duration
              + ", must be finite and >= 0 [s]");
        }
        if (count > 1 && duration == 0) {
          throw invalid("times.uniform_count.duration = 0 with count = " + count
              + ": a duration > 0 [s] is needed for more than one point");
        }
        int n = (int) count;
        TimeGrids.fillUniformCount(ev.times(n), n, duration);
        return n;
      }
      case UNIFORM_STEP: {
        double dt = grid.getUniformStep().getDt();
        double duration = grid.getUniformStep().getDuration();
        if (!Double.isFinite(dt) || !(dt > 0)) {
          throw invalid("times.uniform_step.dt = " + dt + ", must be finite and > 0 [s]");
        }
        if (!Double.isFinite(duration) || duration < 0) {
          throw invalid("times.uniform_step.duration = " + duration
              + ", must be finite and >= 0 [s]");
        }
        double steps = TimeGrids.uniformStepCount(duration, dt) - 1;
        if (steps + 1 > max) {
          throw Status.RESOURCE_EXHAUSTED.withDescription(String.format(Locale.ROOT,
              "times.uniform_step: duration / dt = %s / %s gives %.0f points, more than this "
                  + "server's limit of %d per trajectory", duration, dt, steps + 1, max))
              .asRuntimeException();
        }
        int n = (int) steps + 1;
        TimeGrids.fillUniformStep(ev.times(n), n, dt);
        return n;
      }
      case GRID_NOT_SET:
      default:
        throw invalid("times: required; set one of explicit, uniform_count, uniform_step");
    }
  }

  private StatusRuntimeException tooMany(String field, long n) {
    return Status.RESOURCE_EXHAUSTED.withDescription(field + ": " + n
        + " points, more than this server's limit of " + limits.maxPointsPerRollout()
        + " per trajectory").asRuntimeException();
  }

  private void checkResponseSize(long values, String what) {
    if (values > limits.maxResponseValues()) {
      throw Status.RESOURCE_EXHAUSTED.withDescription(what + " = " + values
          + " values, more than this server's limit of " + limits.maxResponseValues()
          + " per response; split the request").asRuntimeException();
    }
  }

  static void checkOverrides(MotionOverrides o, ServedModel served) {
    int d = served.model().stateDim();
    int g = o.getGoalCount();
    if (g != 0 && g != d) {
      throw invalid("overrides.goal: " + g + " values, the model \"" + served.name()
          + "\" has state dimension " + d + " " + served.model().dimensionNames()
          + " (or leave it empty for the model's goal)");
    }
    for (int i = 0; i < g; i++) {
      double v = o.getGoal(i);
      if (!Double.isFinite(v)) {
        throw invalid("overrides.goal[" + i + "] (" + served.model().dimensionNames().get(i)
            + ") = " + v + ", must be finite");
      }
    }
    double tau = o.getTimeScale();
    if (tau != 0 && (!Double.isFinite(tau) || !(tau > 0))) {
      throw invalid("overrides.time_scale = " + tau
          + ", must be finite and > 0 [s] (or 0 for the model's)");
    }
  }

  /** Applies checked overrides to this thread's evaluators. */
  static void apply(MotionOverrides o, ServedModel served, Evaluators ev) {
    int g = o.getGoalCount();
    if (g != 0) {
      double[] goal = ev.velocity; // scratch of length d, free at this point
      for (int i = 0; i < g; i++) {
        goal[i] = o.getGoal(i);
      }
      ev.rollout.setGoal(goal);
      ev.field.setGoal(goal);
    }
    if (o.getTimeScale() != 0) {
      ev.rollout.setTimeScale(o.getTimeScale());
      ev.field.setTimeScale(o.getTimeScale());
    }
  }

  /**
   * Restores the model's goal and time scale after a request's overrides. Does not trim the
   * scratch: the response is still built from it (see {@link #release}).
   */
  static void reset(ServedModel served, Evaluators ev) {
    ev.rollout.resetGoal();
    ev.rollout.resetTimeScale();
    ev.field.resetGoal();
    ev.field.resetTimeScale();
  }

  /**
   * Drops this thread's oversized scratch once the response has been built from it (a built
   * message owns copies of its lists). Trimming any earlier returned empty or failing answers
   * for requests over {@link Evaluators#RETAIN_VALUES} values (issue 9).
   */
  static void release(Evaluators ev) {
    if (ev != null) {
      ev.trim();
    }
  }

  /** Refuses work that cannot finish before the deadline. */
  static void checkDeadline(long estimateNanos, String what) {
    Deadline dl = Context.current().getDeadline();
    if (dl == null) {
      return;
    }
    long left = dl.timeRemaining(TimeUnit.NANOSECONDS);
    if (left <= 0 || estimateNanos > left) {
      throw Status.DEADLINE_EXCEEDED.withDescription(String.format(Locale.ROOT,
          "%s: needs at least %.3f ms of work (at the fastest per-point time seen) but %.3f ms "
              + "are left before the deadline; refused without starting", what, estimateNanos / 1e6, Math.max(0, left) / 1e6))
          .asRuntimeException();
    }
  }

  static StatusRuntimeException evaluationError(int st, String field) {
    if (st == org.diffeomotion.model.Status.ERR_NON_FINITE_RESULT) {
      return invalid(field + ": the result overflowed; the state is far outside the region "
          + "the model can represent (compare with the model's scale)");
    }
    // Everything else was validated before; reaching here is a bug.
    return Status.INTERNAL.withDescription(field + ": evaluation failed: "
        + org.diffeomotion.model.Status.describe(st)).asRuntimeException();
  }

  static StatusRuntimeException invalid(String message) {
    return Status.INVALID_ARGUMENT.withDescription(message).asRuntimeException();
  }

  static ModelSummary summary(ServedModel m) {
    return ModelSummary.newBuilder()
        .setName(m.name())
        .setStateDim(m.model().stateDim())
        .setAugmentDim(m.model().augmentDim())
        .setPath(m.path())
        .setFileSha256(m.fileSha256())
        .setGeneration(m.generation())
        .setLoadedAt(Timestamp.newBuilder()
            .setSeconds(m.loadedAt().getEpochSecond())
            .setNanos(m.loadedAt().getNano()))
        .build();
  }

  private static ThreadFactory pacerThreads() {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "motion-setpoint-pacer-" + n.incrementAndGet());
      t.setDaemon(true);
      // Setpoints are due at fixed times: let the pacer run ahead of bulk work.
      t.setPriority(Thread.MAX_PRIORITY);
      return t;
    };
  }

  ScheduledExecutorService pacer() {
    return pacer;
  }
}
