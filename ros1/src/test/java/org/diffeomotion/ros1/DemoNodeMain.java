package org.diffeomotion.ros1;

import java.util.List;
import org.diffeomotion.ros1.msg.PointStamped;

/**
 * A node in its own JVM for the SIGTERM test: advertises a topic, installs the shutdown hook,
 * prints READY and idles (at most 60 s) until the JVM is told to stop.
 */
public final class DemoNodeMain {

  private DemoNodeMain() {}

  public static void main(String[] args) throws Exception {
    RosNode node = RosNode.create(NodeConfig.fromArgs("demo_node", List.of(args), System.getenv()));
    node.advertise("/demo/point", PointStamped.TYPE, true, 1).publish(new PointStamped());
    node.start();
    System.out.println("READY " + node.uri());
    System.out.flush();
    Thread.sleep(60_000);
    node.shutdown();
  }
}
