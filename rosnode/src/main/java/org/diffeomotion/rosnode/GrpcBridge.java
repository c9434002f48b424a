package org.diffeomotion.rosnode;

import java.nio.file.Path;

import org.diffeomotion.model.MotionModel;

/**
 * The seam to the embedded gRPC server ({@code ~grpc_port}, bound to 127.0.0.1): started with the
 * node's model, told about every successful reload, closed with the node. Port 0 means no server.
 * The gRPC service (package {@code org.diffeomotion.rosnode.grpc}) is not part of this build yet,
 * so a non-zero port only gets a warning.
 */
final class GrpcBridge implements AutoCloseable {

    private final int port;

    GrpcBridge(int port) {
        this.port = port;
    }

    void start(MotionModel model, Path file, NodePort ros) {
        if (port != 0) {
            ros.warn("~grpc_port is " + port + " but this build has no gRPC server; serving ROS topics only");
        }
    }

    void update(MotionModel model, Path file) {
        // Nothing to update without a server.
    }

    @Override
    public void close() {
        // Nothing to stop without a server.
    }
}
