package org.diffeomotion.grpc;

import io.grpc.stub.StreamObserver;
import java.util.concurrent.ScheduledExecutorService;
import org.diffeomotion.proto.motion.v1.DescribeModelRequest;
import org.diffeomotion.proto.motion.v1.ListModelsRequest;
import org.diffeomotion.proto.motion.v1.ListModelsResponse;
import org.diffeomotion.proto.motion.v1.LoadModelRequest;
import org.diffeomotion.proto.motion.v1.LoadModelResponse;
import org.diffeomotion.proto.motion.v1.ModelDescription;
import org.diffeomotion.proto.motion.v1.MotionServiceGrpc;
import org.diffeomotion.proto.motion.v1.ReloadModelRequest;
import org.diffeomotion.proto.motion.v1.RolloutBatchRequest;
import org.diffeomotion.proto.motion.v1.RolloutBatchResponse;
import org.diffeomotion.proto.motion.v1.RolloutRequest;
import org.diffeomotion.proto.motion.v1.RolloutResponse;
import org.diffeomotion.proto.motion.v1.Setpoint;
import org.diffeomotion.proto.motion.v1.StreamSetpointsRequest;
import org.diffeomotion.proto.motion.v1.VelocityRequest;
import org.diffeomotion.proto.motion.v1.VelocityResponse;

/**
 * The {@code diffeomotion.motion.v1.MotionService} implementation, transport-free (the bootstrap is
 * {@link MotionGrpcServer}). Each RPC goes to the part that does one thing:
 *
 * <ul>
 *   <li>{@link ModelCatalog}: ListModels, DescribeModel, LoadModel, ReloadModel;
 *   <li>{@link TrajectoryCalls}: Rollout, RolloutBatch, Velocity;
 *   <li>{@link SetpointStreams}: StreamSetpoints, paced by {@link SetpointStream};
 *   <li>{@link RequestChecks}: the validation every request passes before work starts
 *       (INVALID_ARGUMENT naming the field, RESOURCE_EXHAUSTED over a {@link ServiceLimits} limit,
 *       DEADLINE_EXCEEDED when the least possible cost exceeds the time left).
 * </ul>
 *
 * <p>Thread-safe. It owns no threads: rollouts run on the calling gRPC executor thread, streams on
 * the pacer it is given (made by {@link #newPacer()}; whoever makes it shuts it down).
 */
public final class MotionService extends MotionServiceGrpc.MotionServiceImplBase {
  private final ModelCatalog catalog;
  private final RequestChecks checks;
  private final TrajectoryCalls trajectories;
  private final SetpointStreams streams;

  /**
   * @param pacer runs the setpoint streams' ticks (see {@link #newPacer()}); not shut down here
   */
  public MotionService(
      ModelRegistry registry, ServiceLimits limits, ScheduledExecutorService pacer) {
    this.catalog = new ModelCatalog(registry);
    this.checks = new RequestChecks(limits);
    this.trajectories = new TrajectoryCalls(catalog, checks);
    this.streams = new SetpointStreams(catalog, checks, pacer);
  }

  /**
   * The scheduler setpoint streams are paced on: two daemon threads at maximum priority (setpoints
   * are due at fixed times, so the pacer runs ahead of bulk work), cancelled ticks removed at once.
   * The caller owns it and shuts it down after the server.
   */
  public static ScheduledExecutorService newPacer() {
    return SetpointStreams.newPacer();
  }

  public ModelRegistry registry() {
    return catalog.registry();
  }

  public ServiceLimits limits() {
    return checks.limits();
  }

  /** StreamSetpoints calls producing right now. */
  public int activeStreams() {
    return streams.activeStreams();
  }

  /** Setpoints sent by all streams since start. */
  public long setpointsSent() {
    return streams.setpointsSent();
  }

  /** RolloutBatch starts computed since start (tests check that cancelled batches stop). */
  long batchStartsComputed() {
    return trajectories.batchStartsComputed();
  }

  /** RolloutBatch chunks computed on several cores since start (ParallelRollouts). */
  long parallelChunks() {
    return trajectories.parallelChunks();
  }

  @Override
  public void listModels(ListModelsRequest request, StreamObserver<ListModelsResponse> obs) {
    catalog.listModels(request, obs);
  }

  @Override
  public void describeModel(DescribeModelRequest request, StreamObserver<ModelDescription> obs) {
    catalog.describeModel(request, obs);
  }

  @Override
  public void loadModel(LoadModelRequest request, StreamObserver<LoadModelResponse> obs) {
    catalog.loadModel(request, obs);
  }

  @Override
  public void reloadModel(ReloadModelRequest request, StreamObserver<LoadModelResponse> obs) {
    catalog.reloadModel(request, obs);
  }

  @Override
  public void rollout(RolloutRequest req, StreamObserver<RolloutResponse> obs) {
    trajectories.rollout(req, obs);
  }

  @Override
  public void rolloutBatch(RolloutBatchRequest req, StreamObserver<RolloutBatchResponse> obs) {
    trajectories.rolloutBatch(req, obs);
  }

  @Override
  public void velocity(VelocityRequest req, StreamObserver<VelocityResponse> obs) {
    trajectories.velocity(req, obs);
  }

  @Override
  public void streamSetpoints(StreamSetpointsRequest req, StreamObserver<Setpoint> obs) {
    streams.streamSetpoints(req, obs);
  }
}
