package org.diffeomotion.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.diffeomotion.model.Rollout;
import org.junit.jupiter.api.Test;

/** The command-line client (used by the main job) against a real loopback server. */
class MotionGrpcClientMainTest {
  @Test
  void printsTheModelAndARolloutEqualToTheModelsOwn() throws Exception {
    Path dir = Files.createTempDirectory("motion-grpc-client");
    long seed = GrpcFixture.seed("MotionGrpcClientMainTest");
    GrpcFixture.writeModels(dir, seed);
    PrintStream saved = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    try (GrpcFixture f =
        GrpcFixture.start(GrpcFixture.Transport.NETTY, dir, ServiceLimits.defaults())) {
      System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
      MotionGrpcClientMain.main(
          new String[] {
            "--target",
            "127.0.0.1:" + f.port,
            "--model",
            "ref",
            "--start",
            "1.5,-0.5",
            "--count",
            "5",
            "--duration",
            "2"
          });
    } finally {
      System.setOut(saved);
      TestFiles.deleteTree(dir);
    }
    String out = buf.toString(StandardCharsets.UTF_8);
    assertTrue(out.contains("model ref: d=2"), out);
    assertTrue(out.contains("Rollout: 5 points"), out);
    double[] want =
        new Rollout(GrpcFixture.reference(seed), 5)
            .rollout(new double[] {1.5, -0.5}, new double[] {0, 0.5, 1, 1.5, 2});
    String[] lines = out.strip().split("\n");
    String last = lines[lines.length - 1].strip();
    String[] cols = last.split("\\s+");
    assertEquals("2.000", cols[0]);
    assertEquals(String.format(Locale.ROOT, "%.6f", want[8]), cols[1], out);
    assertEquals(String.format(Locale.ROOT, "%.6f", want[9]), cols[2], out);
  }

  @Test
  void printsThePosesOfAPoseModel() throws Exception {
    Path dir = Files.createTempDirectory("motion-grpc-client-pose");
    long seed = GrpcFixture.seed("MotionGrpcClientMainTest");
    org.diffeomotion.model.MotionModel m = PoseServingTest.poseModel(seed);
    org.diffeomotion.model.ModelArtifacts.write(m, dir.resolve("pose.dmm"));
    double[] start = {0.45, -0.05, 0.25, 0.1, 0.2, 0.3, 0.927};
    PrintStream saved = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    try (GrpcFixture f =
        GrpcFixture.start(GrpcFixture.Transport.NETTY, dir, ServiceLimits.defaults())) {
      System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
      MotionGrpcClientMain.main(
          new String[] {
            "--target",
            "127.0.0.1:" + f.port,
            "--model",
            "pose",
            "--start-pose",
            "0.45,-0.05,0.25,0.1,0.2,0.3,0.927",
            "--count",
            "5",
            "--duration",
            "2"
          });
    } finally {
      System.setOut(saved);
      TestFiles.deleteTree(dir);
    }
    String out = buf.toString(StandardCharsets.UTF_8);
    assertTrue(out.contains("model pose: d=6"), out);
    assertTrue(out.contains("full pose: position dims [0, 1, 2], rotation-vector dims [3, 4, 5]"));
    org.diffeomotion.model.PoseMap map = new org.diffeomotion.model.PoseMap(m);
    double[] y0 = new double[6];
    map.toState(start, 0, y0, 0);
    double[] y = new Rollout(m, 5).rollout(y0, new double[] {0, 0.5, 1, 1.5, 2});
    double[] pose = new double[7];
    map.toPose(y, 24, pose, 0);
    String[] lines = out.strip().split("\n");
    String[] cols = lines[lines.length - 1].strip().split("\\s+");
    assertEquals("2.000", cols[0]);
    assertEquals(11, cols.length, out);
    for (int k = 0; k < 7; k++) {
      assertEquals(String.format(Locale.ROOT, "%.6f", pose[k]), cols[1 + k], out);
    }
  }
}
