package org.diffeomotion.model.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a class's main in a child JVM started with this JVM's java and class path but none of its
 * flags (so without {@code --add-modules jdk.incubator.vector}): the kernel fallback tests.
 */
public final class ChildJvm {
  private ChildJvm() {}

  /**
   * The trimmed stdout + stderr of {@code main}'s main method; fails the test when it does not exit
   * 0 within 60 s (the child is killed either way).
   */
  public static String run(Class<?> main) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p =
        new ProcessBuilder(
                List.of(java, "-cp", System.getProperty("java.class.path"), main.getName()))
            .redirectErrorStream(true)
            .start();
    String out;
    try {
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child JVM did not finish in 60 s");
      out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    } finally {
      p.destroyForcibly();
    }
    assertEquals(0, p.exitValue(), out);
    return out;
  }
}
