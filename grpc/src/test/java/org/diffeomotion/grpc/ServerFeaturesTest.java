package org.diffeomotion.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.TlsServerCredentials;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.stub.StreamObserver;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import org.diffeomotion.proto.motion.v1.ListModelsRequest;
import org.diffeomotion.proto.motion.v1.MotionServiceGrpc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Health, reflection, TLS and the standalone main's flags. */
class ServerFeaturesTest {
  private Path dir;

  @BeforeEach
  void models() throws Exception {
    dir = Files.createTempDirectory("motion-grpc-features");
    GrpcFixture.writeModels(dir, GrpcFixture.seed("ServerFeaturesTest"));
  }

  @AfterEach
  void cleanup() throws Exception {
    TestFiles.deleteTree(dir);
  }

  /**
   * Garbage, an HTTP/1 request and a corrupt HTTP/2 preface on the gRPC port: grpc-netty's
   * "Transport failed" stack traces are filtered (one line through SLF4J instead), and the server
   * keeps serving.
   */
  @Test
  void garbageConnectionsAreOneLineAndTheServerKeepsServing() throws Exception {
    List<java.util.logging.LogRecord> published = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.logging.Handler h =
        new java.util.logging.Handler() {
          @Override
          public void publish(java.util.logging.LogRecord r) {
            published.add(r);
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    java.util.logging.Logger[] jul = MotionGrpcServer.NETTY_TRANSPORT_LOGS;
    for (java.util.logging.Logger l : jul) {
      l.addHandler(h);
    }
    try (GrpcFixture fx =
        GrpcFixture.start(GrpcFixture.Transport.NETTY, dir, ServiceLimits.defaults())) {
      byte[][] payloads = {
        new java.util.Random(GrpcFixture.seed("garbageConnections"))
            .ints(3000, 0, 256)
            .collect(java.io.ByteArrayOutputStream::new, (o, b) -> o.write(b), (a, b) -> {})
            .toByteArray(),
        "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
        "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u0009"
            .getBytes(java.nio.charset.StandardCharsets.US_ASCII)
      };
      for (byte[] p : payloads) {
        try (java.net.Socket sock = new java.net.Socket("127.0.0.1", fx.port)) {
          sock.setSoTimeout(2000);
          sock.getOutputStream().write(p);
          sock.getOutputStream().flush();
          try {
            while (sock.getInputStream().read() >= 0) {
              // until the server closes the connection
            }
          } catch (java.io.IOException e) {
            // reset by the server: fine
          }
        }
      }
      // The server is still there.
      var health = HealthGrpc.newBlockingStub(fx.channel).withDeadlineAfter(5, TimeUnit.SECONDS);
      assertEquals(
          HealthCheckResponse.ServingStatus.SERVING,
          health.check(HealthCheckRequest.getDefaultInstance()).getStatus());
    } finally {
      for (java.util.logging.Logger l : jul) {
        l.removeHandler(h);
      }
    }
    for (java.util.logging.LogRecord r : published) {
      assertTrue(
          r.getThrown() == null,
          "a stack trace was logged: " + r.getMessage() + " " + r.getThrown());
    }
  }

  @Test
  void healthAndReflection() throws Exception {
    try (GrpcFixture fx =
        GrpcFixture.start(GrpcFixture.Transport.NETTY, dir, ServiceLimits.defaults())) {
      var health = HealthGrpc.newBlockingStub(fx.channel).withDeadlineAfter(5, TimeUnit.SECONDS);
      assertEquals(
          HealthCheckResponse.ServingStatus.SERVING,
          health.check(HealthCheckRequest.getDefaultInstance()).getStatus());
      assertEquals(
          HealthCheckResponse.ServingStatus.SERVING,
          health
              .check(
                  HealthCheckRequest.newBuilder()
                      .setService(MotionServiceGrpc.SERVICE_NAME)
                      .build())
              .getStatus());

      List<String> services = new ArrayList<>();
      CountDownLatch done = new CountDownLatch(1);
      StreamObserver<ServerReflectionRequest> req =
          ServerReflectionGrpc.newStub(fx.channel)
              .withDeadlineAfter(5, TimeUnit.SECONDS)
              .serverReflectionInfo(
                  new StreamObserver<ServerReflectionResponse>() {
                    @Override
                    public void onNext(ServerReflectionResponse r) {
                      r.getListServicesResponse()
                          .getServiceList()
                          .forEach(s -> services.add(s.getName()));
                    }

                    @Override
                    public void onError(Throwable t) {
                      done.countDown();
                    }

                    @Override
                    public void onCompleted() {
                      done.countDown();
                    }
                  });
      req.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
      req.onCompleted();
      assertTrue(done.await(5, TimeUnit.SECONDS));
      assertTrue(services.contains("diffeomotion.motion.v1.MotionService"), services::toString);
      assertTrue(services.contains("grpc.health.v1.Health"), services::toString);
      assertTrue(services.contains("grpc.reflection.v1.ServerReflection"), services::toString);
    }
  }

  /** A self-signed certificate from the JDK's keytool; the client trusts exactly it. */
  @Test
  void tls() throws Exception {
    Path ks = dir.resolve("server.p12");
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "server",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=localhost",
                "-ext",
                "san=ip:127.0.0.1,dns:localhost",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                ks.toString(),
                "-storepass",
                "changeit",
                "-keypass",
                "changeit")
            .redirectErrorStream(true)
            .start();
    p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "keytool failed");
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(ks)) {
      store.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(store, "changeit".toCharArray());
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(store);

    ModelRegistry registry = ModelRegistry.open(dir);
    registry.loadAll();
    try (MotionGrpcServer server =
        MotionGrpcServer.builder()
            .models(registry)
            .credentials(TlsServerCredentials.newBuilder().keyManager(kmf.getKeyManagers()).build())
            .build()) {
      int port = server.start();
      ChannelCredentials creds =
          TlsChannelCredentials.newBuilder().trustManager(tmf.getTrustManagers()).build();
      ManagedChannel tls = Grpc.newChannelBuilderForAddress("127.0.0.1", port, creds).build();
      ManagedChannel plain =
          Grpc.newChannelBuilderForAddress(
                  "127.0.0.1", port, io.grpc.InsecureChannelCredentials.create())
              .build();
      try {
        assertEquals(
            3,
            MotionServiceGrpc.newBlockingStub(tls)
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .listModels(ListModelsRequest.getDefaultInstance())
                .getModelsCount());
        StatusRuntimeException e =
            assertThrows(
                StatusRuntimeException.class,
                () ->
                    MotionServiceGrpc.newBlockingStub(plain)
                        .withDeadlineAfter(5, TimeUnit.SECONDS)
                        .listModels(ListModelsRequest.getDefaultInstance()));
        assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode(), e::toString);
      } finally {
        tls.shutdownNow();
        plain.shutdownNow();
        tls.awaitTermination(5, TimeUnit.SECONDS);
        plain.awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }

  /**
   * The PEM path the standalone server's --tls-cert/--tls-key use. Needs the openssl tool (keytool
   * cannot write a private key as PEM); skipped without it.
   */
  @Test
  void tlsFromPemFiles() throws Exception {
    Path cert = dir.resolve("cert.pem");
    Path key = dir.resolve("key.pem");
    Process p;
    try {
      p =
          new ProcessBuilder(
                  "openssl",
                  "req",
                  "-x509",
                  "-newkey",
                  "ec",
                  "-pkeyopt",
                  "ec_paramgen_curve:prime256v1",
                  "-nodes",
                  "-keyout",
                  key.toString(),
                  "-out",
                  cert.toString(),
                  "-days",
                  "2",
                  "-subj",
                  "/CN=localhost",
                  "-addext",
                  "subjectAltName=IP:127.0.0.1,DNS:localhost")
              .redirectErrorStream(true)
              .start();
    } catch (java.io.IOException e) {
      org.junit.jupiter.api.Assumptions.abort("openssl not available: " + e.getMessage());
      return;
    }
    p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "openssl failed");
    try (MotionGrpcServer server =
        MotionGrpcMain.configure(
            Map.of(
                "--models",
                dir.toString(),
                "--tls-cert",
                cert.toString(),
                "--tls-key",
                key.toString()))) {
      int port = server.start();
      ChannelCredentials creds =
          TlsChannelCredentials.newBuilder().trustManager(cert.toFile()).build();
      ManagedChannel tls = Grpc.newChannelBuilderForAddress("127.0.0.1", port, creds).build();
      try {
        assertEquals(
            3,
            MotionServiceGrpc.newBlockingStub(tls)
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .listModels(ListModelsRequest.getDefaultInstance())
                .getModelsCount());
      } finally {
        tls.shutdownNow();
        tls.awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void mainFlags() throws Exception {
    assertEquals(
        Map.of("--models", "m", "--port", "0"),
        MotionGrpcMain.parse(new String[] {"--models", "m", "--port=0"}));
    assertEquals(null, MotionGrpcMain.parse(new String[] {"--help"}));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> MotionGrpcMain.parse(new String[] {"--modles", "m"}));
    assertEquals("unknown flag --modles", e.getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> MotionGrpcMain.parse(new String[] {"--port"}));
    assertThrows(
        IllegalArgumentException.class, () -> MotionGrpcMain.configure(Map.of("--port", "1")));
    assertThrows(
        IllegalArgumentException.class,
        () -> MotionGrpcMain.configure(Map.of("--models", dir.toString(), "--port", "x")));
    assertThrows(
        IllegalArgumentException.class,
        () -> MotionGrpcMain.configure(Map.of("--models", dir.toString(), "--tls-cert", "c.pem")));
    try (MotionGrpcServer s =
        MotionGrpcMain.configure(
            Map.of(
                "--models", dir.toString(), "--max-points", "10", "--max-request-bytes", "1024"))) {
      assertEquals(10, s.service().limits().maxPointsPerRollout());
      assertEquals(1024, s.service().limits().maxInboundMessageBytes());
      assertEquals(3, s.service().registry().list().size());
    }
  }
}
