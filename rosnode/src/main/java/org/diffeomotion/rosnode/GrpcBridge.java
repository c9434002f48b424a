package org.diffeomotion.rosnode;

import java.io.IOException;
import java.nio.file.Path;
import org.diffeomotion.grpc.ModelLoadException;
import org.diffeomotion.grpc.ModelRegistry;
import org.diffeomotion.grpc.MotionGrpcServer;
import org.diffeomotion.model.MotionModel;
import org.diffeomotion.ros1.RosNode;

/**
 * The embedded gRPC server of the motion node ({@code ~grpc_port}, bound to 127.0.0.1): started
 * with the node's model, told about every successful {@code ~reload}, closed with the node. Port 0
 * means no server.
 *
 * <p>The server's {@link ModelRegistry} is confined to the model file's directory (its loads and
 * reloads cannot read elsewhere) and serves the node's model under the model's name (or {@code
 * "model"} when that name is not a valid gRPC model name). The registry reads the file itself; both
 * sides validate the same bytes unless the file is replaced between the two reads.
 */
final class GrpcBridge implements AutoCloseable {

  private static final String NAME = "[A-Za-z0-9_][A-Za-z0-9_.\\-]{0,127}";

  private final int port;

  /** The node's workspace (~workspace_sigmas), so that gRPC accepts what the topics accept. */
  private final org.diffeomotion.model.Workspace workspace;

  /** The node's ~precision: the gRPC side evaluates as the topics do. */
  private final org.diffeomotion.model.Precision precision;

  private ModelRegistry registry;
  private MotionGrpcServer server;
  private String name;

  GrpcBridge(
      int port,
      org.diffeomotion.model.Workspace workspace,
      org.diffeomotion.model.Precision precision) {
    this.port = port;
    this.workspace = workspace;
    this.precision = precision;
  }

  /** The bound port, or 0 when there is no server. */
  synchronized int boundPort() {
    return server == null ? 0 : server.port();
  }

  /**
   * Starts the server on 127.0.0.1:{@code port} serving {@code file}.
   *
   * @throws IOException naming the port or the file when the server cannot start
   */
  synchronized void start(MotionModel model, Path file, RosNode ros) throws IOException {
    if (port == 0) {
      return;
    }
    Path abs = file.toAbsolutePath();
    name = model.name().matches(NAME) ? model.name() : "model";
    try {
      registry = ModelRegistry.open(abs.getParent(), precision);
      registry.load(abs.getFileName().toString(), name);
    } catch (ModelLoadException e) {
      throw new IOException(
          "~grpc_port " + port + ": the gRPC registry cannot load " + abs + ": " + e.getMessage(),
          e);
    }
    server =
        MotionGrpcServer.builder()
            .models(registry)
            .bind("127.0.0.1")
            .port(port)
            .limits(org.diffeomotion.grpc.ServiceLimits.defaults().withWorkspace(workspace))
            .build();
    try {
      server.start();
    } catch (IOException e) {
      server.close(); // releases what a half-done start took (executor, pacer, event loops)
      server = null;
      throw new IOException(
          "~grpc_port "
              + port
              + ": cannot start the gRPC server on 127.0.0.1:"
              + port
              + ": "
              + e.getMessage(),
          e);
    }
    ros.log()
        .info(
            "gRPC MotionService on 127.0.0.1:"
                + server.port()
                + " serves model '"
                + name
                + "' from "
                + abs);
  }

  /** After a successful ROS reload: the gRPC side serves the new file too (if it can reach it). */
  synchronized void update(MotionModel model, Path file, RosNode ros) {
    if (registry == null) {
      return;
    }
    Path abs = file.toAbsolutePath();
    try {
      if (!abs.getParent().toRealPath().equals(registry.directory())) {
        ros.log()
            .warn(
                "gRPC keeps serving the previous '"
                    + name
                    + "': "
                    + abs
                    + " is outside its model directory "
                    + registry.directory()
                    + " (restart the node to move it)");
        return;
      }
      registry.load(abs.getFileName().toString(), name);
    } catch (IOException e) {
      ros.log()
          .error(
              "gRPC keeps serving the previous '"
                  + name
                  + "': loading "
                  + abs
                  + " failed: "
                  + e.getMessage());
    }
  }

  @Override
  public synchronized void close() {
    if (server != null) {
      server.close();
      server = null;
    }
  }
}
