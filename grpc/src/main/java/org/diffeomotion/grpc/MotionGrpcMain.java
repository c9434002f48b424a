package org.diffeomotion.grpc;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.diffeomotion.model.Precision;

/**
 * The standalone motion gRPC server: serves every {@code *.dmm} model in a directory.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp ... org.diffeomotion.grpc.MotionGrpcMain \
 *   --models DIR [--bind 127.0.0.1] [--port 0] [--tls-cert cert.pem --tls-key key.pem]
 *   [--max-request-bytes 4194304] [--max-points 100000] [--max-response-values 500000]
 *   [--max-stream-rate-hz 10000] [--workspace-sigmas 100] [--threads N] [--precision double]
 *   [--warmup 4]
 * </pre>
 *
 * Prints {@code listening on HOST:PORT} (the bound port when --port is 0) on stdout once it serves;
 * runs until SIGINT/SIGTERM. Exit status 2 for bad flags, 1 when it cannot start.
 */
public final class MotionGrpcMain {
  private static final Set<String> FLAGS =
      Set.of(
          "--models",
          "--bind",
          "--port",
          "--tls-cert",
          "--tls-key",
          "--max-request-bytes",
          "--max-points",
          "--max-response-values",
          "--max-stream-rate-hz",
          "--workspace-sigmas",
          "--threads",
          "--precision",
          "--warmup");

  /** Default {@code --warmup} [s] (as the node's {@code ~warmup}). */
  static final double DEFAULT_WARMUP_SECONDS = 4.0;

  private MotionGrpcMain() {}

  public static void main(String[] args) throws InterruptedException {
    PrintStream out = System.out;
    Map<String, String> flags;
    MotionGrpcServer server;
    try {
      flags = parse(args);
      if (flags == null) {
        usage(out);
        return;
      }
      server = configure(flags);
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      usage(System.err);
      System.exit(2);
      return;
    } catch (IOException e) {
      System.err.println("error: " + e.getMessage());
      System.exit(1);
      return;
    }
    int port;
    try {
      port = server.start();
    } catch (IOException e) {
      System.err.println("error: cannot start the server: " + e.getMessage());
      server.close();
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "motion-grpc-shutdown"));
    out.println("listening on " + flags.getOrDefault("--bind", "127.0.0.1") + ":" + port);
    out.flush();
    server.awaitTermination();
  }

  /** Builds a configured, not yet started server from parsed flags. */
  static MotionGrpcServer configure(Map<String, String> flags) throws IOException {
    String dir = flags.get("--models");
    if (dir == null) {
      throw new IllegalArgumentException("--models DIR is required");
    }
    ServiceLimits limits = ServiceLimits.defaults();
    if (flags.containsKey("--max-request-bytes")) {
      limits = limits.withMaxInboundMessageBytes(intFlag(flags, "--max-request-bytes"));
    }
    if (flags.containsKey("--max-points")) {
      limits = limits.withMaxPointsPerRollout(intFlag(flags, "--max-points"));
    }
    if (flags.containsKey("--max-response-values")) {
      limits = limits.withMaxResponseValues(intFlag(flags, "--max-response-values"));
    }
    if (flags.containsKey("--max-stream-rate-hz")) {
      limits = limits.withMaxStreamRateHz(doubleFlag(flags, "--max-stream-rate-hz"));
    }
    if (flags.containsKey("--workspace-sigmas")) {
      try {
        limits =
            limits.withWorkspace(
                limits.workspace().withSigmas(doubleFlag(flags, "--workspace-sigmas")));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--workspace-sigmas: " + e.getMessage(), e);
      }
    }
    Precision precision = precision(flags);
    double warmup =
        flags.containsKey("--warmup") ? doubleFlag(flags, "--warmup") : DEFAULT_WARMUP_SECONDS;
    org.diffeomotion.model.Warmup.checkBudget("--warmup", warmup);
    ModelRegistry registry = ModelRegistry.open(Path.of(dir), precision).warmup(warmup);
    registry.loadAll();
    MotionGrpcServer.Builder b =
        MotionGrpcServer.builder()
            .models(registry)
            .bind(flags.getOrDefault("--bind", "127.0.0.1"))
            .port(flags.containsKey("--port") ? intFlag(flags, "--port") : 0)
            .limits(limits);
    if (flags.containsKey("--threads")) {
      b.threads(intFlag(flags, "--threads"));
    }
    String cert = flags.get("--tls-cert");
    String key = flags.get("--tls-key");
    if ((cert == null) != (key == null)) {
      throw new IllegalArgumentException("--tls-cert and --tls-key go together");
    }
    if (cert != null) {
      b.tls(Path.of(cert), Path.of(key));
    }
    return b.build();
  }

  /** Flag map, or null for --help. */
  static Map<String, String> parse(String[] args) {
    Map<String, String> flags = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--help") || a.equals("-h")) {
        return null;
      }
      String name = a;
      String value;
      int eq = a.indexOf('=');
      if (eq > 0) {
        name = a.substring(0, eq);
        value = a.substring(eq + 1);
      } else {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(a + " needs a value");
        }
        value = args[++i];
      }
      if (!FLAGS.contains(name)) {
        throw new IllegalArgumentException("unknown flag " + name);
      }
      flags.put(name, value);
    }
    return flags;
  }

  /** {@code --precision double|float} (default double). */
  static Precision precision(Map<String, String> flags) {
    String v = flags.get("--precision");
    if (v == null) {
      return Precision.DOUBLE;
    }
    try {
      return Precision.named(v);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "--precision = " + v + " is not a precision: expected double or float", e);
    }
  }

  private static int intFlag(Map<String, String> flags, String name) {
    try {
      return Integer.parseInt(flags.get(name));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " = " + flags.get(name) + " is not an integer");
    }
  }

  private static double doubleFlag(Map<String, String> flags, String name) {
    try {
      return Double.parseDouble(flags.get(name));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " = " + flags.get(name) + " is not a number");
    }
  }

  private static void usage(PrintStream ps) {
    ps.println("usage: MotionGrpcMain --models DIR [--bind 127.0.0.1] [--port 0]");
    ps.println("         [--tls-cert CERT.pem --tls-key KEY.pem] [--max-request-bytes 4194304]");
    ps.println("         [--max-points 100000] [--max-response-values 500000]");
    ps.println("         [--max-stream-rate-hz 10000] [--workspace-sigmas 100] [--threads N]");
    ps.println("         [--precision double|float] [--warmup 4]");
    ps.println("Serves every *.dmm model in DIR over gRPC (diffeomotion.motion.v1.MotionService,");
    ps.println("grpc.health.v1.Health, server reflection). --port 0 picks a free port; the");
    ps.println("bound port is printed as 'listening on HOST:PORT'. States and goals are accepted");
    ps.println("within --workspace-sigmas x each model's scale sigma of its goal, durations up to");
    ps.println("1000 tau (INVALID_ARGUMENT outside). --precision float evaluates the models'");
    ps.println("networks in float (faster; positions within 1e-4 sigma of double, goal exact);");
    ps.println("a model that cannot be evaluated in float is not loaded. --warmup S runs each");
    ps.println("loaded model's rollouts for S seconds on a background thread so that the JIT");
    ps.println("has compiled them before the first requests (0 = off; they are served meanwhile).");
  }
}
