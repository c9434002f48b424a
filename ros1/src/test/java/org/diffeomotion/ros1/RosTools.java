package org.diffeomotion.ros1;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Runs the real ROS command-line tools (Debian's ros-core) for integration tests: a roscore on a
 * free port, commands with a hard timeout, and clean-up that kills whole process trees (roscore's
 * roslaunch, rosmaster and rosout).
 */
public final class RosTools implements AutoCloseable {

  /** Result of a finished command. */
  public record Result(int exitCode, String output) {}

  public final Path home;
  public final int port;
  public final String masterUri;

  /** Variables added to {@link #env()} (e.g. ROS_PACKAGE_PATH, JAVA_HOME). */
  public final Map<String, String> extraEnv = new HashMap<>();

  private Process roscore;
  private final List<Process> started = new ArrayList<>();

  public RosTools() throws IOException {
    home = Files.createTempDirectory("ros-it-");
    port = freePort();
    masterUri = "http://127.0.0.1:" + port + "/";
  }

  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Environment for ROS tools: our master, loopback addresses, logs in the temp home. */
  public Map<String, String> env() {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("ROS_MASTER_URI", masterUri);
    env.put("ROS_IP", "127.0.0.1");
    env.remove("ROS_HOSTNAME");
    env.remove("ROS_NAMESPACE");
    env.put("ROS_HOME", home.toString());
    env.put("ROS_LOG_DIR", home.resolve("log").toString());
    // The first python3 on PATH may lack rospy; the Debian tools need /usr/bin/python3.
    env.put("PATH", "/usr/bin:/bin:" + env.getOrDefault("PATH", ""));
    env.put("PYTHONUNBUFFERED", "1");
    env.putAll(extraEnv);
    return env;
  }

  /** Starts roscore and waits until the master answers, at most {@code timeoutMs} [ms]. */
  public void startRoscore(long timeoutMs) throws IOException, InterruptedException {
    roscore =
        start(
            List.of("roscore", "-p", Integer.toString(port)),
            home.resolve("roscore-" + System.nanoTime() + ".log"));
    waitFor(
        "roscore on port " + port,
        timeoutMs,
        () -> {
          return portOpen() && run(10_000, "rosparam", "get", "/rosversion").exitCode() == 0;
        });
  }

  /** Kills roscore and everything it started; waits until the port is free again. */
  public void stopRoscore() throws InterruptedException {
    if (roscore != null) {
      kill(roscore);
      started.remove(roscore);
      roscore = null;
    }
    waitFor("port " + port + " free", 10_000, () -> !portOpen());
  }

  private boolean portOpen() {
    try {
      new Socket("127.0.0.1", port).close();
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Starts a long-running command with output to a file. */
  public Process start(List<String> cmd, Path log) throws IOException {
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().clear();
    pb.environment().putAll(env());
    pb.directory(home.toFile());
    Process p = pb.start();
    started.add(p);
    return p;
  }

  /**
   * Publishes one message with the real {@code rostopic pub -1} (killed after 30 s) and returns its
   * exit code and output.
   *
   * @param yaml the message in rostopic's YAML syntax.
   */
  public Result publishOnce(String topic, String type, String yaml) {
    return run(30_000, "rostopic", "pub", "-1", topic, type, yaml);
  }

  /**
   * Runs a command to completion (killed after {@code timeoutMs} [ms]); returns exit code and
   * output.
   */
  public Result run(long timeoutMs, String... cmd) {
    try {
      Path out = Files.createTempFile(home, "cmd-", ".out");
      Process p = start(List.of(cmd), out);
      boolean done = p.waitFor(timeoutMs, TimeUnit.MILLISECONDS);
      if (!done) {
        kill(p);
      }
      started.remove(p);
      String text = Files.readString(out, StandardCharsets.UTF_8);
      return new Result(done ? p.exitValue() : -1, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running " + String.join(" ", cmd), e);
    }
  }

  /** Writes a Python script into the temp home and returns its path. */
  public Path script(String name, String text) throws IOException {
    Path p = home.resolve(name);
    Files.writeString(p, text);
    return p;
  }

  /**
   * Whether this JVM was started with SIGINT ignored (a background job of a non-interactive shell,
   * {@code nohup}): its children inherit that, and a JVM does not install its SIGINT handler when
   * the signal is ignored at start, so a test that sends SIGINT to a child cannot pass there. Reads
   * {@code SigIgn} of /proc/self/status; false where that file does not exist.
   */
  public static boolean sigintIgnored() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("SigIgn:")) {
          long mask = Long.parseUnsignedLong(line.substring(7).strip(), 16);
          return (mask & (1L << 1)) != 0; // bit n-1 is signal n; SIGINT is 2
        }
      }
    } catch (IOException | NumberFormatException e) {
      return false;
    }
    return false;
  }

  /** SIGTERM to the process and all descendants, then SIGKILL what is left after 5 s. */
  public static void kill(Process p) {
    List<ProcessHandle> all = new ArrayList<>(p.descendants().toList());
    all.add(p.toHandle());
    for (ProcessHandle h : all) {
      h.destroy();
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    for (ProcessHandle h : all) {
      long left = deadline - System.nanoTime();
      try {
        h.onExit().get(Math.max(1, left), TimeUnit.NANOSECONDS);
      } catch (Exception e) {
        h.destroyForcibly();
      }
    }
  }

  /**
   * Polls {@code condition} every 100 ms for at most {@code timeoutMs} [ms]; fails naming {@code
   * what}.
   */
  public static void waitFor(String what, long timeoutMs, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeoutMs + " ms waiting for " + what);
      }
      Thread.sleep(100);
    }
  }

  @Override
  public void close() {
    for (Process p : new ArrayList<>(started)) {
      kill(p);
    }
    started.clear();
    roscore = null;
  }
}
