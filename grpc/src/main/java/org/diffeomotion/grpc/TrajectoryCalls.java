package org.diffeomotion.grpc;

import static org.diffeomotion.grpc.RequestChecks.checkDeadline;
import static org.diffeomotion.grpc.RequestChecks.checkOverrides;
import static org.diffeomotion.grpc.RequestChecks.effectiveTimeScale;
import static org.diffeomotion.grpc.RequestChecks.evaluationError;
import static org.diffeomotion.grpc.RequestChecks.invalid;
import static org.diffeomotion.grpc.RequestChecks.pointValues;
import static org.diffeomotion.grpc.RequestChecks.valuesPerPoint;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.atomic.AtomicLong;
import org.diffeomotion.model.PoseMap;
import org.diffeomotion.model.TimeGrids;
import org.diffeomotion.proto.motion.v1.Arrival;
import org.diffeomotion.proto.motion.v1.MotionOverrides;
import org.diffeomotion.proto.motion.v1.RolloutBatchRequest;
import org.diffeomotion.proto.motion.v1.RolloutBatchResponse;
import org.diffeomotion.proto.motion.v1.RolloutRequest;
import org.diffeomotion.proto.motion.v1.RolloutResponse;
import org.diffeomotion.proto.motion.v1.TimeGrid;
import org.diffeomotion.proto.motion.v1.VelocityRequest;
import org.diffeomotion.proto.motion.v1.VelocityResponse;

/**
 * The compute RPCs: Rollout, RolloutBatch and Velocity, on the calling (gRPC executor) thread with
 * that thread's {@link Evaluators} for the model. Each request is checked in full ({@link
 * RequestChecks}) before work starts; long work (batches, many velocity states) checks for
 * cancellation between starts or chunks of {@link #VELOCITY_CHUNK} states and stops. Thread-safe.
 */
final class TrajectoryCalls {
  /** States per cancellation check in a velocity request. */
  private static final int VELOCITY_CHUNK = 256;

  private final ModelCatalog catalog;
  private final RequestChecks checks;
  private final AtomicLong batchStartsComputed = new AtomicLong();

  TrajectoryCalls(ModelCatalog catalog, RequestChecks checks) {
    this.catalog = catalog;
    this.checks = checks;
  }

  /** RolloutBatch starts computed since start (tests check that cancelled batches stop). */
  long batchStartsComputed() {
    return batchStartsComputed.get();
  }

  void rollout(RolloutRequest req, StreamObserver<RolloutResponse> obs) {
    Evaluators ev = null;
    try {
      ServedModel served = catalog.lookup(req.getModel());
      ev = served.evaluators();
      int d = ev.d;
      checks.resolveStart(
          req.getStartCount(),
          req.getStartList(),
          req.getStartPoseCount(),
          req.getStartPoseList(),
          req.getOverrides(),
          served,
          ev,
          ev.state);
      checkOverrides(req.getOverrides(), served);
      checks.checkWorkspaceOverrides(req.getOverrides(), served);
      int n =
          req.getTimes().getGridCase() == TimeGrid.GridCase.UNTIL_ARRIVAL
              ? untilArrival(req.getTimes(), served, ev, req.getOverrides(), ev.state, 1)
              : checks.resolveTimes(req.getTimes(), ev);
      checks.checkWorkspaceTimes(req.getTimes(), ev.times[n - 1], req.getOverrides(), served);
      boolean vel = req.getIncludeVelocities();
      boolean pose = ev.pose != null;
      long size = n + n * valuesPerPoint(d, pose, vel);
      if (!checks.fitsResponse(size)) { // the message only when needed: no garbage per request
        checks.checkResponseSize(
            size, n + " times + times (" + n + " points) x " + pointValues(d, pose, vel));
      }
      checkDeadline(served.cost().estimateNanos(1, n, vel), "Rollout of " + n + " points");

      double[] out = ev.out(n * d);
      double[] velOut = vel ? ev.vel(n * d) : null;
      ev.applyOverrides(req.getOverrides());
      int st;
      Arrival arrival;
      try {
        long t0 = System.nanoTime();
        st = ev.rollout.tryRollout(ev.state, ev.times, n, out, velOut);
        served.cost().observe(n, vel, System.nanoTime() - t0);
        arrival =
            st == org.diffeomotion.model.Status.OK
                ? arrival(served, ev, req.getOverrides(), ev.state, ev.times[n - 1])
                : null;
        if (pose && st == org.diffeomotion.model.Status.OK) {
          ev.posesOf(out, velOut, n); // with the goal orientation in force
        }
      } finally {
        ev.resetOverrides();
      }
      if (st != org.diffeomotion.model.Status.OK) {
        throw evaluationError(st, "start");
      }
      RolloutResponse.Builder b =
          RolloutResponse.newBuilder()
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
      if (pose) {
        b.addAllPoses(ev.packed(ev.poses, n * PoseMap.POSE_LENGTH));
        if (vel) {
          b.addAllAngularVelocities(ev.packed(ev.omegas, n * 3));
        }
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

  /**
   * Output points per multi-core chunk of a RolloutBatch: ~10 ms of work for the reference model on
   * two cores, so that cancellation and deadlines are noticed between chunks as they are between
   * starts on one thread.
   */
  static final int PARALLEL_CHUNK_POINTS = 16_384;

  /** RolloutBatch chunks computed on several cores (tests check the path is taken). */
  private final AtomicLong parallelChunks = new AtomicLong();

  long parallelChunks() {
    return parallelChunks.get();
  }

  /** Starts per multi-core chunk for n points each, or 0 when batches stay on one thread. */
  private static int parallelChunk(ServedModel served, int k, int n) {
    org.diffeomotion.model.ParallelRollouts par = served.parallel();
    if (par == null) {
      return 0;
    }
    int chunk = Math.min(k, Math.max(par.threads(), PARALLEL_CHUNK_POINTS / Math.max(1, n)));
    return par.threadsFor(chunk, n) < 2 ? 0 : chunk;
  }

  /**
   * Starts {@code from..to-1} (states in {@code all}, velocities in {@code ev.batchVel}, both from
   * offset 0) by the model's shared {@link org.diffeomotion.model.ParallelRollouts}; false when it
   * is busy with another request or a start fails (the caller then computes these starts one after
   * the other on its thread, which names the failing one).
   */
  private boolean parallelRange(
      ServedModel served,
      Evaluators ev,
      MotionOverrides o,
      double[] starts,
      int from,
      int to,
      double[] times,
      int n,
      boolean vel) {
    org.diffeomotion.model.ParallelRollouts par = served.parallel();
    if (par == null) {
      return false;
    }
    int d = ev.d;
    int count = to - from;
    double[] in = ev.batchIn(count * d);
    System.arraycopy(starts, from * d, in, 0, count * d);
    double[] all = ev.batchOut(count * n * d);
    double[] allVel = vel ? ev.batchVel(count * n * d) : null;
    double[] goal = o.getGoalCount() != 0 || o.getGoalPoseCount() != 0 ? ev.goalInForce(o) : null;
    int st = par.tryRolloutBatch(in, count, times, n, all, allVel, goal, o.getTimeScale());
    if (st != org.diffeomotion.model.Status.OK) {
      return false;
    }
    parallelChunks.incrementAndGet();
    return true;
  }

  void rolloutBatch(RolloutBatchRequest req, StreamObserver<RolloutBatchResponse> obs) {
    Evaluators ev = null;
    try {
      ServedModel served = catalog.lookup(req.getModel());
      ev = served.evaluators();
      int d = ev.d;
      int k =
          checks.resolveRows(
              "starts",
              "start_poses",
              "start",
              req.getStartsCount(),
              req.getStartsList(),
              req.getStartPosesCount(),
              req.getStartPosesList(),
              req.getOverrides(),
              served,
              ev);
      double[] starts = ev.in;
      checkOverrides(req.getOverrides(), served);
      checks.checkWorkspaceOverrides(req.getOverrides(), served);
      int n =
          req.getTimes().getGridCase() == TimeGrid.GridCase.UNTIL_ARRIVAL
              ? untilArrival(req.getTimes(), served, ev, req.getOverrides(), starts, k)
              : checks.resolveTimes(req.getTimes(), ev);
      checks.checkWorkspaceTimes(req.getTimes(), ev.times[n - 1], req.getOverrides(), served);
      boolean vel = req.getIncludeVelocities();
      boolean pose = ev.pose != null;
      long size = n + (long) k * n * valuesPerPoint(d, pose, vel);
      if (!checks.fitsResponse(size)) {
        checks.checkResponseSize(
            size,
            n
                + " times + starts ("
                + k
                + ") x times ("
                + n
                + " points) x "
                + pointValues(d, pose, vel));
      }
      checkDeadline(
          served.cost().estimateNanos(k, n, vel), "RolloutBatch of " + k + " x " + n + " points");

      RolloutBatchResponse.Builder b =
          RolloutBatchResponse.newBuilder()
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
      Evaluators.Packed poses = ev.packedC.reset(pose ? k * n * PoseMap.POSE_LENGTH : 0);
      Evaluators.Packed omegas = ev.packedD.reset(pose && vel ? k * n * 3 : 0);
      Context ctx = Context.current();
      ev.applyOverrides(req.getOverrides());
      try {
        // Large batches on every core (ParallelRollouts), chunk by chunk, unless another
        // request's batch holds it: then, and for small batches, one start after the other on
        // this thread. Either way each start's arrival, poses and errors come in order below.
        int chunk = parallelChunk(served, k, n);
        int chunkFrom = 0;
        boolean inChunk = false;
        for (int s = 0; s < k; s++) {
          if (ctx.isCancelled()) {
            throw stopped(ctx, "RolloutBatch", s, k, "starts");
          }
          if (chunk > 0 && s % chunk == 0) {
            chunkFrom = s;
            inChunk =
                parallelRange(
                    served,
                    ev,
                    req.getOverrides(),
                    starts,
                    s,
                    Math.min(k, s + chunk),
                    times,
                    n,
                    vel);
          }
          System.arraycopy(starts, s * d, ev.state, 0, d);
          int st;
          if (inChunk) {
            int at = (s - chunkFrom) * n * d;
            System.arraycopy(ev.batchOut, at, out, 0, n * d);
            if (vel) {
              System.arraycopy(ev.batchVel, at, velOut, 0, n * d);
            }
            st = org.diffeomotion.model.Status.OK;
          } else {
            long t0 = System.nanoTime();
            st = ev.rollout.tryRollout(ev.state, times, n, out, velOut);
            served.cost().observe(n, vel, System.nanoTime() - t0);
          }
          if (st != org.diffeomotion.model.Status.OK) {
            throw evaluationError(
                st,
                pose && req.getStartPosesCount() != 0
                    ? "start_poses (start " + s + ")"
                    : "starts[" + (s * d) + ".." + (s * d + d - 1) + "] (start " + s + ")");
          }
          batchStartsComputed.incrementAndGet();
          b.addArrivals(arrival(served, ev, req.getOverrides(), ev.state, times[n - 1]));
          states.append(out, n * d);
          if (vel) {
            velocities.append(velOut, n * d);
          }
          if (pose) {
            ev.posesOf(out, velOut, n); // with the goal orientation in force
            poses.append(ev.poses, n * PoseMap.POSE_LENGTH);
            if (vel) {
              omegas.append(ev.omegas, n * 3);
            }
          }
        }
      } finally {
        ev.resetOverrides();
      }
      b.addAllStates(states.list());
      if (vel) {
        b.addAllVelocities(velocities.list());
      }
      if (pose) {
        b.addAllPoses(poses.list());
        if (vel) {
          b.addAllAngularVelocities(omegas.list());
        }
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

  void velocity(VelocityRequest req, StreamObserver<VelocityResponse> obs) {
    Evaluators ev = null;
    try {
      ServedModel served = catalog.lookup(req.getModel());
      ev = served.evaluators();
      int d = ev.d;
      int m =
          checks.resolveRows(
              "states",
              "poses",
              "state",
              req.getStatesCount(),
              req.getStatesList(),
              req.getPosesCount(),
              req.getPosesList(),
              req.getOverrides(),
              served,
              ev);
      double[] states = ev.in;
      int values = m * d;
      boolean pose = ev.pose != null;
      long size = (long) m * (d + (pose ? 3 : 0));
      if (!checks.fitsResponse(size)) {
        checks.checkResponseSize(
            size,
            pose
                ? "states (" + m + ") x (velocity " + d + " + angular velocity 3 values)"
                : "states (" + m + ") x state_dim " + d);
      }
      checkOverrides(req.getOverrides(), served);
      checks.checkWorkspaceOverrides(req.getOverrides(), served);
      // A velocity query is one inverse pass and one JVP: about two rollout points.
      checkDeadline(served.cost().estimateNanos(m, 1, true), "Velocity at " + m + " states");

      VelocityResponse.Builder b =
          VelocityResponse.newBuilder()
              .setModel(served.name())
              .setGeneration(served.generation())
              .setStateDim(d)
              .setStateFeedbackGuaranteed(served.model().supportsStateFeedback());
      Evaluators.Packed velocities = ev.packedA.reset(values);
      Evaluators.Packed omegas = ev.packedB.reset(pose ? m * 3 : 0);
      double[] omega = pose ? ev.omegas(3) : null;
      Context ctx = Context.current();
      ev.applyOverrides(req.getOverrides());
      try {
        for (int s = 0; s < m; s++) {
          if (s % VELOCITY_CHUNK == 0 && s > 0 && ctx.isCancelled()) {
            throw stopped(ctx, "Velocity", s, m, "states");
          }
          System.arraycopy(states, s * d, ev.state, 0, d);
          int st = ev.field.tryVelocity(ev.state, ev.velocity);
          if (st != org.diffeomotion.model.Status.OK) {
            throw evaluationError(
                st,
                pose && req.getPosesCount() != 0
                    ? "poses (state " + s + ")"
                    : "states[" + (s * d) + ".." + (s * d + d - 1) + "] (state " + s + ")");
          }
          velocities.append(ev.velocity, d);
          if (pose) {
            ev.pose.angularVelocity(ev.state, 0, ev.velocity, 0, omega, 0);
            omegas.append(omega, 3);
          }
        }
      } finally {
        ev.resetOverrides();
      }
      b.addAllVelocities(velocities.list());
      if (pose) {
        b.addAllAngularVelocities(omegas.list());
      }
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

  /**
   * Whether the trajectory from {@code y0} has arrived at time {@code t} [s]: one more closed-form
   * point (the overrides must be applied to {@code ev.rollout}).
   */
  private Arrival arrival(
      ServedModel served, Evaluators ev, MotionOverrides o, double[] y0, double t) {
    double[] goal = ev.goalInForce(o);
    double tau = effectiveTimeScale(o, served);
    boolean ok =
        checks.limits().arrival().arrivedAt(ev.rollout, y0, goal, ev.sigma, tau, t, ev.arrival);
    return Arrival.newBuilder()
        .setArrived(ok)
        .setGoalDistance(org.diffeomotion.model.Arrival.norm(ev.arrival.state(), 0, goal, ev.d))
        .setSpeed(org.diffeomotion.model.Arrival.norm(ev.arrival.velocity(), 0, null, ev.d))
        .build();
  }

  /**
   * times.until_arrival: {@code count} times over [0, T], T the longest arrival time of the k
   * starts in {@code starts} (k x d; Rollout: k = 1), at most the workspace's longest duration.
   * Writes ev.times and returns the count.
   */
  private int untilArrival(
      TimeGrid grid, ServedModel served, Evaluators ev, MotionOverrides o, double[] starts, int k) {
    long count = Integer.toUnsignedLong(grid.getUntilArrival().getCount());
    int max = checks.limits().maxPointsPerRollout();
    if (count < 2) {
      throw invalid("times.until_arrival.count = " + count + ", must be 2.." + max);
    }
    if (count > max) {
      throw checks.tooMany("times.until_arrival.count", count);
    }
    double tau = effectiveTimeScale(o, served);
    double longest = served.bounds(checks.limits().workspace()).maxDuration(tau);
    double[] sigma = ev.sigma;
    double horizon = 0;
    ev.applyOverrides(o);
    try {
      double[] goal = ev.goalInForce(o);
      double[] y0 = ev.velocity; // free d-scratch here
      for (int s = 0; s < k; s++) {
        System.arraycopy(starts, s * ev.d, y0, 0, ev.d);
        double t =
            checks
                .limits()
                .arrival()
                .arrivalTime(ev.rollout, y0, goal, sigma, tau, tau, longest, ev.arrival);
        horizon = Math.max(horizon, t > 0 ? t : longest);
      }
    } finally {
      ev.resetOverrides();
    }
    int n = (int) count;
    TimeGrids.fillUniformCount(ev.times(n), n, horizon);
    return n;
  }

  /**
   * Drops this thread's oversized scratch once the response has been built from it (a built message
   * owns copies of its lists). Trimming any earlier returned empty or failing answers for requests
   * over {@link Evaluators#RETAIN_VALUES} values (issue 9). Restoring the overrides is {@link
   * Evaluators#resetOverrides}.
   */
  private static void release(Evaluators ev) {
    if (ev != null) {
      ev.trim();
    }
  }

  /**
   * The status of a call cancelled (client, deadline, shutdown) after {@code done} of {@code of}.
   */
  private static StatusRuntimeException stopped(
      Context ctx, String rpc, int done, int of, String what) {
    return Contexts.statusFromCancelled(ctx)
        .augmentDescription(rpc + " stopped after " + done + " of " + of + " " + what)
        .asRuntimeException();
  }
}
