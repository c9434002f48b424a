package org.diffeomotion.grpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.protobuf.util.JsonFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.diffeomotion.model.Rollout;
import org.diffeomotion.proto.motion.v1.RolloutResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A client nobody here wrote: {@code buf curl} (npm package {@code @bufbuild/buf}) against a real
 * loopback server. It knows nothing of our .proto files: it gets the schema through server
 * reflection, then speaks gRPC over HTTP/2. scripts/test.sh installs buf into
 * ~/.cache/diffeo-motion/npm when it is missing; -Dbuf.bin=PATH or $BUF_BIN override.
 */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BufCurlClientTest {
  private Path dir;
  private GrpcFixture fx;
  private String buf;

  @BeforeAll
  void start() throws Exception {
    buf = findBuf();
    dir = Files.createTempDirectory("motion-grpc-buf");
    GrpcFixture.writeModels(dir, GrpcFixture.seed("BufCurlClientTest"));
    fx = GrpcFixture.start(GrpcFixture.Transport.NETTY, dir, ServiceLimits.defaults());
  }

  @AfterAll
  void stop() throws Exception {
    if (fx != null) {
      fx.close();
    }
    TestFiles.deleteTree(dir);
  }

  private static String findBuf() {
    List<String> candidates = new ArrayList<>();
    if (System.getProperty("buf.bin") != null) {
      candidates.add(System.getProperty("buf.bin"));
    }
    if (System.getenv("BUF_BIN") != null) {
      candidates.add(System.getenv("BUF_BIN"));
    }
    candidates.add(
        Path.of(
                System.getProperty("user.home"),
                ".cache",
                "diffeo-motion",
                "npm",
                "node_modules",
                ".bin",
                "buf")
            .toString());
    for (String c : candidates) {
      if (Files.isExecutable(Path.of(c))) {
        return c;
      }
    }
    fail(
        "buf not found (tried "
            + candidates
            + "); install it with: npm install --prefix "
            + "~/.cache/diffeo-motion/npm @bufbuild/buf   (scripts/test.sh does this)");
    return null;
  }

  private record Result(int exit, String out, String err) {}

  private Result curl(String method, String json) throws IOException, InterruptedException {
    Path outFile = Files.createTempFile(dir, "buf", ".out");
    Path errFile = Files.createTempFile(dir, "buf", ".err");
    Process p =
        new ProcessBuilder(
                buf,
                "curl",
                "--protocol",
                "grpc",
                "--http2-prior-knowledge",
                "--timeout",
                "20s",
                "-d",
                json,
                "http://127.0.0.1:" + fx.port + "/" + method)
            .redirectOutput(outFile.toFile())
            .redirectError(errFile.toFile())
            .start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("buf curl did not finish in 60 s");
    }
    return new Result(
        p.exitValue(),
        Files.readString(outFile, StandardCharsets.UTF_8),
        Files.readString(errFile, StandardCharsets.UTF_8));
  }

  @Test
  void rolloutThroughReflection() throws Exception {
    Result r =
        curl(
            "diffeomotion.motion.v1.MotionService/Rollout",
            "{\"model\":\"ref\",\"start\":[1.5,-0.5],"
                + "\"times\":{\"uniformCount\":{\"count\":5,\"duration\":2}}}");
    assertEquals(0, r.exit(), () -> "buf curl failed: " + r.err());
    RolloutResponse.Builder b = RolloutResponse.newBuilder();
    JsonFormat.parser().merge(r.out(), b);
    RolloutResponse resp = b.build();
    assertEquals(5, resp.getPointCount());
    double[] want =
        new Rollout(fx.registry.get("ref").model(), 5)
            .rollout(new double[] {1.5, -0.5}, new double[] {0, 0.5, 1, 1.5, 2});
    double[] got = new double[10];
    for (int i = 0; i < 10; i++) {
      got[i] = resp.getStates(i);
    }
    // JSON prints doubles in shortest round-trip form: exact up to the model's last bit.
    assertArrayEquals(want, got, MotionServiceTest.TOL);
  }

  @Test
  void errorsAndHealth() throws Exception {
    Result bad =
        curl(
            "diffeomotion.motion.v1.MotionService/Rollout",
            "{\"model\":\"ref\",\"start\":[1.5],\"times\":{\"explicit\":{\"times\":[0]}}}");
    assertNotEquals(0, bad.exit());
    assertTrue(bad.err().contains("invalid_argument"), bad.err());
    assertTrue(bad.err().contains("start: 1 values"), bad.err());

    Result health = curl("grpc.health.v1.Health/Check", "{}");
    assertEquals(0, health.exit(), health.err());
    assertTrue(health.out().contains("SERVING"), health.out());
  }
}
