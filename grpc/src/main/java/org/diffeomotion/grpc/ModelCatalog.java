package org.diffeomotion.grpc;

import com.google.protobuf.Timestamp;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import org.diffeomotion.model.MotionModel;
import org.diffeomotion.model.StabilityReport;
import org.diffeomotion.proto.motion.v1.DescribeModelRequest;
import org.diffeomotion.proto.motion.v1.ListModelsRequest;
import org.diffeomotion.proto.motion.v1.ListModelsResponse;
import org.diffeomotion.proto.motion.v1.LoadModelRequest;
import org.diffeomotion.proto.motion.v1.LoadModelResponse;
import org.diffeomotion.proto.motion.v1.ModelDescription;
import org.diffeomotion.proto.motion.v1.ModelSummary;
import org.diffeomotion.proto.motion.v1.PoseDescription;
import org.diffeomotion.proto.motion.v1.ReloadModelRequest;

/**
 * The model catalog RPCs: ListModels, DescribeModel, LoadModel, ReloadModel, over a {@link
 * ModelRegistry}, and the lookup every other RPC starts with. Thread-safe.
 */
final class ModelCatalog {
  private final ModelRegistry registry;

  ModelCatalog(ModelRegistry registry) {
    this.registry = registry;
  }

  ModelRegistry registry() {
    return registry;
  }

  /** The served model a request names; INVALID_ARGUMENT listing the served ones when none. */
  ServedModel lookup(String name) {
    if (name.isEmpty()) {
      throw RequestChecks.invalid(
          "model: empty; name a served model (served: " + registry.names() + ")");
    }
    ServedModel m = registry.get(name);
    if (m == null) {
      throw RequestChecks.invalid(
          "model: \""
              + ModelRegistry.abbreviate(name)
              + "\" is not served (served: "
              + registry.names()
              + ")");
    }
    return m;
  }

  void listModels(ListModelsRequest request, StreamObserver<ListModelsResponse> obs) {
    ListModelsResponse.Builder b = ListModelsResponse.newBuilder();
    for (ServedModel m : registry.list()) {
      b.addModels(summary(m));
    }
    obs.onNext(b.build());
    obs.onCompleted();
  }

  void describeModel(DescribeModelRequest request, StreamObserver<ModelDescription> obs) {
    try {
      ServedModel served = lookup(request.getModel());
      MotionModel m = served.model();
      StabilityReport st = m.stability();
      ModelDescription.Builder b =
          ModelDescription.newBuilder()
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
      if (m.isPose()) {
        PoseDescription.Builder p = PoseDescription.newBuilder();
        for (int i : m.positionDims()) {
          p.addPositionDims(i);
        }
        for (int i : m.rotationDims()) {
          p.addRotationDims(i);
        }
        for (double v : m.goalOrientation()) {
          p.addGoalOrientation(v);
        }
        b.setPose(p);
      }
      obs.onNext(b.build());
      obs.onCompleted();
    } catch (StatusRuntimeException e) {
      obs.onError(e);
    }
  }

  void loadModel(LoadModelRequest request, StreamObserver<LoadModelResponse> obs) {
    try {
      respondLoad(registry.load(request.getPath(), request.getName()), obs);
    } catch (ModelLoadException e) {
      obs.onError(loadStatus(e).asRuntimeException());
    }
  }

  void reloadModel(ReloadModelRequest request, StreamObserver<LoadModelResponse> obs) {
    try {
      if (request.getModel().isEmpty()) {
        throw Status.INVALID_ARGUMENT
            .withDescription(
                "model: empty; name a served model " + "(served: " + registry.names() + ")")
            .asRuntimeException();
      }
      respondLoad(registry.reload(request.getModel()), obs);
    } catch (ModelLoadException e) {
      obs.onError(loadStatus(e).asRuntimeException());
    } catch (StatusRuntimeException e) {
      obs.onError(e);
    }
  }

  private static void respondLoad(
      ModelRegistry.LoadResult r, StreamObserver<LoadModelResponse> obs) {
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
        return Status.RESOURCE_EXHAUSTED.withDescription(
            e.getMessage() + " (the served model, if any, is unchanged)");
      case INVALID_MODEL:
      default:
        return Status.FAILED_PRECONDITION.withDescription(
            e.getMessage() + " (the served model, if any, is unchanged)");
    }
  }

  static ModelSummary summary(ServedModel m) {
    return ModelSummary.newBuilder()
        .setName(m.name())
        .setStateDim(m.model().stateDim())
        .setAugmentDim(m.model().augmentDim())
        .setPath(m.path())
        .setFileSha256(m.fileSha256())
        .setGeneration(m.generation())
        .setLoadedAt(
            Timestamp.newBuilder()
                .setSeconds(m.loadedAt().getEpochSecond())
                .setNanos(m.loadedAt().getNano()))
        .build();
  }
}
