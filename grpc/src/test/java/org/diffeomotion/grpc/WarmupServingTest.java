package org.diffeomotion.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.diffeomotion.model.Precision;
import org.junit.jupiter.api.Test;

/**
 * The registry's background warm-up ({@link ModelRegistry#warmup(double)}, the standalone server's
 * {@code --warmup}): off by default in the library, on by default in the server; one warm-up thread
 * at a time, a reload stops the replaced model's; bad budgets are refused naming the flag.
 */
class WarmupServingTest {

  @Test
  void aLoadStartsAWarmupThreadAndAReloadStopsIt() throws Exception {
    Path dir = Files.createTempDirectory("motion-grpc-warmup");
    try {
      GrpcFixture.writeModels(dir, GrpcFixture.seed("WarmupServingTest"));
      ModelRegistry registry = ModelRegistry.open(dir, Precision.FLOAT);
      assertEquals(0.0, registry.warmupSeconds());
      assertEquals(
          "warmup = -2.0 s is not a warm-up budget: expected 0 (off) to 60.0 s",
          assertThrows(IllegalArgumentException.class, () -> registry.warmup(-2)).getMessage());
      registry.warmup(30);
      ServedModel first = registry.load("ref.dmm", "ref").loaded();
      Thread t1 = warmupThread(first.model().name());
      assertNotNull(t1, "no warmup thread after a load");
      long before = first.cost().estimateNanos(1, 1000, false);
      Thread.sleep(300);
      // Each warm-up rollout tightens the bound (a lower bound only falls).
      assertTrue(first.cost().estimateNanos(1, 1000, false) <= before);
      ServedModel second = registry.reload("ref").loaded();
      assertTrue(second.generation() > first.generation());
      t1.join(10_000);
      assertFalse(t1.isAlive(), "the replaced model's warm-up still runs");
      Thread t2 = warmupThread(second.model().name());
      assertNotNull(t2, "no warmup thread after the reload");
      registry.warmup(0);
      registry.reload("ref");
      t2.join(10_000);
      assertFalse(t2.isAlive(), "a load with warm-up off left the previous warm-up running");
      assertEquals(null, warmupThread(second.model().name()));
    } finally {
      TestFiles.deleteTree(dir);
    }
  }

  @Test
  void theServersWarmupFlagDefaultsToFourSecondsAndBadValuesAreUsageErrors() throws Exception {
    Path dir = Files.createTempDirectory("motion-grpc-warmup-flag");
    try {
      GrpcFixture.writeModels(dir, GrpcFixture.seed("WarmupServingTest"));
      String last;
      try (MotionGrpcServer s = MotionGrpcMain.configure(Map.of("--models", dir.toString()))) {
        ModelRegistry r = s.service().registry();
        assertEquals(MotionGrpcMain.DEFAULT_WARMUP_SECONDS, r.warmupSeconds());
        // loadAll loads in file-name order; the last load's warm-up is the one running.
        last = r.get("ref").model().name();
        assertNotNull(warmupThread(last), "no warm-up running after loadAll");
      }
      // close() stopped it.
      assertEquals(null, warmupThread(last));
      try (MotionGrpcServer s =
          MotionGrpcMain.configure(Map.of("--models", dir.toString(), "--warmup", "0"))) {
        assertEquals(0.0, s.service().registry().warmupSeconds());
      }
      assertEquals(
          "--warmup = soon is not a number",
          assertThrows(
                  IllegalArgumentException.class,
                  () ->
                      MotionGrpcMain.configure(
                          Map.of("--models", dir.toString(), "--warmup", "soon")))
              .getMessage());
      assertEquals(
          "--warmup = 100.0 s is not a warm-up budget: expected 0 (off) to 60.0 s",
          assertThrows(
                  IllegalArgumentException.class,
                  () ->
                      MotionGrpcMain.configure(
                          Map.of("--models", dir.toString(), "--warmup", "100")))
              .getMessage());
    } finally {
      TestFiles.deleteTree(dir);
    }
  }

  /** The live thread named "warmup-NAME", or null (after a grace period for one to end). */
  private static Thread warmupThread(String modelName) throws InterruptedException {
    for (int k = 0; k < 50; k++) {
      for (Thread t : Thread.getAllStackTraces().keySet()) {
        if (t.getName().equals("warmup-" + modelName) && t.isAlive() && !t.isInterrupted()) {
          return t;
        }
      }
      Thread.sleep(10);
    }
    return null;
  }
}
