package org.diffeomotion.grpc;

import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerCredentials;
import io.grpc.TlsServerCredentials;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionService;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.diffeomotion.proto.motion.v1.MotionServiceGrpc;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gRPC server bootstrap: the {@link MotionService}, the standard health service ({@code
 * grpc.health.v1.Health}) and server reflection (v1 and v1alpha), on a TCP port (Netty, optionally
 * TLS) or in-process.
 *
 * <p>Embedding (the ROS node does this):
 *
 * <pre>{@code
 * ModelRegistry models = ModelRegistry.open(modelDir);
 * models.load("reach.dmm", "");
 * try (MotionGrpcServer server = MotionGrpcServer.builder()
 *     .models(models).bind("127.0.0.1").port(50051).build()) {
 *   int port = server.start();
 *   ...
 * }
 * }</pre>
 *
 * <p>{@link #build()} only configures; {@link #start()} binds and starts; {@link #close()} stops
 * accepting calls, gives running calls a grace period, then cancels them.
 */
public final class MotionGrpcServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MotionGrpcServer.class);

  /**
   * grpc-netty's transport loggers (java.util.logging): the class's and its ".connections" child,
   * which logs failed connections (a parent's filter does not apply to a child's records). Held
   * strongly: JUL keeps loggers by weak reference, and a collected logger would lose the filter
   * below.
   */
  static final java.util.logging.Logger[] NETTY_TRANSPORT_LOGS = {
    java.util.logging.Logger.getLogger("io.grpc.netty.shaded.io.grpc.netty.NettyServerTransport"),
    java.util.logging.Logger.getLogger(
        "io.grpc.netty.shaded.io.grpc.netty.NettyServerTransport.connections")
  };

  static {
    // Every connection that does not speak gRPC (port scanners, HTTP/1 probes, garbage) made
    // grpc-netty log "Transport failed" with a 25-line stack trace at INFO. One line says it.
    for (java.util.logging.Logger l : NETTY_TRANSPORT_LOGS) {
      l.setFilter(
          r -> {
            if (r.getThrown() != null && "Transport failed".equals(r.getMessage())) {
              String why = String.valueOf(r.getThrown().getMessage());
              log.info(
                  "gRPC: closed a connection that is not gRPC over HTTP/2: {}",
                  why.length() > 160 ? why.substring(0, 160) + "..." : why);
              return false;
            }
            return true;
          });
    }
  }

  /** How long {@link #close()} lets running calls finish before cancelling them [ms]. */
  static final long SHUTDOWN_GRACE_MS = 2000;

  private final Config config;
  private final MotionService service;
  private final java.util.concurrent.ScheduledExecutorService pacer;
  private final HealthStatusManager health = new HealthStatusManager();
  private final ExecutorService executor;
  private Server server;
  private boolean closed;

  /**
   * What the builder said, copied at {@link Builder#build()}: later builder calls change nothing.
   */
  private record Config(
      ModelRegistry registry,
      String host,
      int port,
      ServerCredentials credentials,
      ServiceLimits limits,
      int threads,
      String inProcessName) {}

  private MotionGrpcServer(Config c) {
    this.config = c;
    this.pacer = MotionService.newPacer();
    this.service = new MotionService(c.registry(), c.limits(), pacer);
    this.executor = Executors.newFixedThreadPool(c.threads(), callThreads());
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Configuration of a {@link MotionGrpcServer}. */
  public static final class Builder {
    private ModelRegistry registry;
    private String host = "127.0.0.1";
    private int port = 0;
    private ServerCredentials credentials = InsecureServerCredentials.create();
    private ServiceLimits limits = ServiceLimits.defaults();
    private int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
    private String inProcessName;

    private Builder() {}

    /** The models to serve (required). */
    public Builder models(ModelRegistry registry) {
      this.registry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /** Address to listen on; default 127.0.0.1 (loopback only). "0.0.0.0" for all. */
    public Builder bind(String host) {
      this.host = Objects.requireNonNull(host, "host");
      return this;
    }

    /** TCP port, 0..65535; 0 (the default) picks a free port, see {@link #start()}. */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be 0..65535, got " + port);
      }
      this.port = port;
      return this;
    }

    /** TLS from PEM files: certificate chain and PKCS#8 private key. */
    public Builder tls(Path certChain, Path privateKey) throws IOException {
      this.credentials = TlsServerCredentials.create(certChain.toFile(), privateKey.toFile());
      return this;
    }

    /** Any transport credentials, e.g. {@code TlsServerCredentials} built from a KeyManager. */
    public Builder credentials(ServerCredentials credentials) {
      this.credentials = Objects.requireNonNull(credentials, "credentials");
      return this;
    }

    public Builder limits(ServiceLimits limits) {
      this.limits = Objects.requireNonNull(limits, "limits");
      return this;
    }

    /**
     * Threads that run calls (each owns its evaluators); default max(2, cores). Rollouts are
     * CPU-bound, so more threads than cores only add queueing inside the OS.
     */
    public Builder threads(int threads) {
      if (threads < 1) {
        throw new IllegalArgumentException("threads must be >= 1, got " + threads);
      }
      this.threads = threads;
      return this;
    }

    /** Serve on the in-process transport under {@code name} instead of TCP (tests, benches). */
    public Builder inProcess(String name) {
      this.inProcessName = Objects.requireNonNull(name, "name");
      return this;
    }

    public MotionGrpcServer build() {
      if (registry == null) {
        throw new IllegalStateException("models(ModelRegistry) is required");
      }
      return new MotionGrpcServer(
          new Config(registry, host, port, credentials, limits, threads, inProcessName));
    }
  }

  /**
   * Binds and starts.
   *
   * @return the bound TCP port (the chosen one when configured with 0), or -1 in-process
   */
  @SuppressWarnings("deprecation") // v1alpha reflection: older clients (grpcurl, buf) ask for it
  public synchronized int start() throws IOException {
    if (server != null || closed) {
      throw new IllegalStateException("start() may be called once, before close()");
    }
    ServerBuilder<?> sb;
    if (config.inProcessName() != null) {
      sb = InProcessServerBuilder.forName(config.inProcessName());
    } else {
      sb =
          NettyServerBuilder.forAddress(
              new InetSocketAddress(config.host(), config.port()), config.credentials());
    }
    sb.executor(executor)
        .maxInboundMessageSize(config.limits().maxInboundMessageBytes())
        .addService(service)
        .addService(health.getHealthService())
        .addService(ProtoReflectionServiceV1.newInstance())
        .addService(ProtoReflectionService.newInstance());
    Server s = sb.build();
    s.start();
    server = s;
    health.setStatus("", io.grpc.health.v1.HealthCheckResponse.ServingStatus.SERVING);
    health.setStatus(
        MotionServiceGrpc.SERVICE_NAME,
        io.grpc.health.v1.HealthCheckResponse.ServingStatus.SERVING);
    int port = config.inProcessName() != null ? -1 : s.getPort();
    log.info(
        "motion gRPC server on {} serving {} model(s) from {} ({})",
        config.inProcessName() != null
            ? "in-process:" + config.inProcessName()
            : config.host() + ":" + port,
        config.registry().list().size(),
        config.registry().directory(),
        config.limits());
    return port;
  }

  /** The bound port (-1 in-process or before start). */
  public synchronized int port() {
    return server == null || config.inProcessName() != null ? -1 : server.getPort();
  }

  public MotionService service() {
    return service;
  }

  public HealthStatusManager health() {
    return health;
  }

  /** Blocks until the server terminates (standalone main). */
  public void awaitTermination() throws InterruptedException {
    Server s;
    synchronized (this) {
      s = server;
    }
    if (s != null) {
      s.awaitTermination();
    }
  }

  /**
   * Health NOT_SERVING, no new calls, {@link #SHUTDOWN_GRACE_MS} for running calls, then the rest
   * are cancelled. Idempotent.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    health.enterTerminalState();
    if (server != null) {
      server.shutdown();
      try {
        if (!server.awaitTermination(SHUTDOWN_GRACE_MS, TimeUnit.MILLISECONDS)) {
          server.shutdownNow();
          server.awaitTermination(SHUTDOWN_GRACE_MS, TimeUnit.MILLISECONDS);
        }
      } catch (InterruptedException e) {
        server.shutdownNow();
        Thread.currentThread().interrupt();
      }
    }
    pacer.shutdownNow();
    executor.shutdownNow();
    // Nothing is served any more: a warm-up still running would only burn a core.
    config.registry().stopWarmup();
  }

  private static ThreadFactory callThreads() {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "motion-grpc-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
