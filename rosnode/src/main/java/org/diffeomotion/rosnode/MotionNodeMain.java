package org.diffeomotion.rosnode;

import java.io.IOException;
import java.util.List;
import org.diffeomotion.model.ModelArtifacts;
import org.diffeomotion.model.MotionModel;
import org.diffeomotion.ros1.NodeConfig;
import org.diffeomotion.ros1.RosException;
import org.diffeomotion.ros1.RosNode;

/**
 * The motion node's executable (what {@code rosrun}/{@code roslaunch diffeo_motion
 * motion_generator} runs): ROS arguments ({@code __name:=}, {@code __ns:=}, remappings, {@code
 * _param:=}) and the environment → node; private parameters → {@link MotionNodeConfig}; {@code
 * ~model} → model; serve until {@code rosnode kill}, SIGINT or SIGTERM.
 *
 * <p>Exit codes: 0 after a shutdown, 2 for a bad parameter or model (the log says which), 1 for
 * anything else.
 */
public final class MotionNodeMain {

  /** Longest wait for the master to answer the first parameter read [ms]. */
  static final long MASTER_WAIT_MS = 60_000;

  private MotionNodeMain() {}

  public static void main(String[] args) throws Exception {
    NodeConfig nodeConfig;
    try {
      nodeConfig = NodeConfig.fromArgs("motion_generator", List.of(args), System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("motion_generator: " + e.getMessage());
      System.exit(2);
      return;
    }
    RosNode node = RosNode.create(nodeConfig);
    node.start();
    MotionNode motion;
    try {
      MotionNodeConfig config = readConfig(node);
      warnUnknownParams(node);
      MotionModel model = ModelArtifacts.read(config.model());
      motion = new MotionNode(node, config, model);
      motion.start();
    } catch (IllegalArgumentException | IOException | RosException e) {
      String msg =
          e instanceof java.nio.file.NoSuchFileException
              ? "no such file " + e.getMessage()
              : e.getMessage();
      node.log().fatal("cannot start: " + msg);
      node.shutdown();
      System.exit(2);
      return;
    }
    // SIGINT/SIGTERM: the node's own hook unregisters everything; this one only stops the gRPC
    // server (closing the topics here too would race the node's unregistration).
    MotionNode served = motion;
    Runtime.getRuntime().addShutdownHook(new Thread(served::closeGrpc, "grpc-shutdown-hook"));
    while (!node.awaitShutdown(60_000)) {
      // serving; the node's threads do the work
    }
    motion.close();
    // After rosnode kill: end the JVM even if a library left a non-daemon thread behind.
    System.exit(0);
  }

  /** A misspelt private parameter (e.g. ~point) would otherwise be silently ignored. */
  private static void warnUnknownParams(RosNode node) {
    String prefix = node.name() + "/";
    try {
      for (String key : node.params().names()) {
        if (key.startsWith(prefix)
            && !MotionNodeConfig.PARAMS.contains(key.substring(prefix.length()))) {
          node.log()
              .warn(
                  "unknown private parameter "
                      + key
                      + " ignored; known: "
                      + MotionNodeConfig.PARAMS);
        }
      }
    } catch (RosException e) {
      node.log().warn("cannot list parameters to check for unknown ones: " + e.getMessage());
    }
  }

  /** Reads the private parameters, waiting (bounded) for the master if it is not up yet. */
  private static MotionNodeConfig readConfig(RosNode node) throws InterruptedException {
    long deadline = System.nanoTime() + MASTER_WAIT_MS * 1_000_000L;
    long nextWarning = 0;
    while (true) {
      try {
        return MotionNodeConfig.fromParams(key -> node.params().get("~" + key, null));
      } catch (RosException e) {
        long now = System.nanoTime();
        if (now > deadline) {
          throw new RosException(
              "no master at "
                  + node.config().masterUri()
                  + " within "
                  + MASTER_WAIT_MS / 1000
                  + " s: "
                  + e.getMessage());
        }
        if (now > nextWarning) {
          node.log()
              .warn(
                  "waiting for the master at "
                      + node.config().masterUri()
                      + " ("
                      + e.getMessage()
                      + ")");
          nextWarning = now + 10_000_000_000L;
        }
        Thread.sleep(500);
      }
    }
  }
}
