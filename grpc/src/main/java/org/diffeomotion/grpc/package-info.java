/**
 * The motion gRPC service ({@code diffeomotion.motion.v1.MotionService}, grpc/README.md).
 *
 * <p>Public API, for the ROS motion node and for tests:
 *
 * <ul>
 *   <li>{@link org.diffeomotion.grpc.ModelRegistry}: the served models, loaded only from one
 *       directory, hot-swapped atomically; {@link org.diffeomotion.grpc.ServedModel} is one
 *       immutable entry.
 *   <li>{@link org.diffeomotion.grpc.MotionGrpcServer}: the bootstrap (builder, start returning the
 *       bound port, close), with health and reflection.
 *   <li>{@link org.diffeomotion.grpc.MotionService}: the transport-free service implementation;
 *       {@link org.diffeomotion.grpc.ServiceLimits} its limits.
 *   <li>{@link org.diffeomotion.grpc.MotionGrpcMain}: the standalone server's main.
 * </ul>
 *
 * Per-thread evaluators ({@code Evaluators}) and the setpoint pacer ({@code SetpointStream}) are
 * package-private.
 */
package org.diffeomotion.grpc;
