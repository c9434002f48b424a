package org.diffeomotion.ros1;

import java.io.IOException;
import org.diffeomotion.ros1.internal.DefaultRosNode;
import org.diffeomotion.ros1.msg.Message;
import org.diffeomotion.ros1.msg.MessageType;
import org.diffeomotion.ros1.msg.ServiceType;

/**
 * A ROS1 node: its topics, services, parameters, clock and log.
 *
 * <pre>{@code
 * RosNode node = RosNode.create(NodeConfig.fromArgs("diffeo_motion", List.of(args), System.getenv()));
 * Publisher<TwistStamped> cmd = node.advertise("cmd_vel", TwistStamped.TYPE, false, 10);
 * node.subscribe("state", PoseStamped.TYPE, msg -> ...);
 * node.start();                         // binds servers, registers, starts the master watchdog
 * ...
 * node.shutdown();                      // or SIGINT/SIGTERM through the shutdown hook
 * }</pre>
 *
 * {@link #create} never blocks and never opens sockets. Publishers, subscribers and services may be
 * created before or after {@link #start()}; they are registered with the master when it is
 * reachable and again whenever it restarts. Code that only uses a node (rather than creating one)
 * takes this interface, so that its tests can hand it a fake without a network.
 */
public interface RosNode extends AutoCloseable {

  /**
   * A node on this library's own XML-RPC and TCPROS code that installs a JVM shutdown hook
   * (SIGINT/SIGTERM) at {@link #start()} and takes its time from /clock if the parameter {@code
   * /use_sim_time} is true when it starts, else from the wall clock. Opens no socket.
   */
  static RosNode create(NodeConfig config) {
    return create(config, null, true);
  }

  /**
   * A node on this library's own XML-RPC and TCPROS code. Opens no socket.
   *
   * @param clock time source for stamps; null to choose at {@link #start()}: /clock if {@code
   *     /use_sim_time} is true, else wall time
   * @param installShutdownHook whether {@link #start()} installs a JVM shutdown hook that calls
   *     {@link #shutdown()} on SIGINT/SIGTERM
   */
  static RosNode create(NodeConfig config, Clock clock, boolean installShutdownHook) {
    return new DefaultRosNode(config, clock, installShutdownHook);
  }

  /**
   * Binds the slave XML-RPC and TCPROS servers, advertises /rosout, sets {@code _param:=} private
   * parameters and registers with the master (if reachable; otherwise the watchdog registers as
   * soon as it is).
   *
   * @throws IOException if a server socket cannot be bound
   */
  void start() throws IOException;

  /** Full node name, e.g. {@code /robot/diffeo_motion}. */
  String name();

  NodeConfig config();

  /** The slave API URI, valid after {@link #start()}. */
  String uri();

  /** The node's clock: the one given, or after {@link #start()} /clock or wall time. */
  Clock clock();

  /** The node's log: SLF4J and, once started, /rosout. */
  RosLog log();

  /** The parameter server; needs a started node. */
  ParameterClient params();

  /**
   * A parameter for a setting that has a sensible value at run time even when the parameter server
   * cannot be asked: {@code params().get(key, fallback)}, except that a failed read (master down,
   * node not started) is logged as a warning and answered with {@code fallback}.
   */
  default Object param(String key, Object fallback) {
    try {
      return params().get(key, fallback);
    } catch (RuntimeException e) {
      log().warn("cannot read parameter " + key + ": " + e.getMessage());
      return fallback;
    }
  }

  /** Whether the last watchdog poll of the master succeeded. */
  boolean isMasterReachable();

  /** Resolves a name for this node, remappings applied. */
  String resolveName(String name);

  /**
   * Advertises a topic.
   *
   * @param topic topic name (relative, global or private), remapped
   * @param latch whether new subscribers get the last message
   * @param queueSize outgoing queue per subscriber connection [messages]; oldest dropped when full
   */
  <T extends Message> Publisher<T> advertise(
      String topic, MessageType<T> type, boolean latch, int queueSize);

  /**
   * Subscribes to a topic. The listener runs on the connection's thread and gets a message object
   * that is reused for the next message.
   */
  <T extends Message> Subscriber<T> subscribe(
      String topic, MessageType<T> type, MessageListener<T> listener);

  /** Advertises a service. */
  <Q extends Message, R extends Message> ServiceServer advertiseService(
      String name, ServiceType<Q, R> type, ServiceHandler<Q, R> handler);

  /** A non-persistent client of a service: every call looks the service up and connects. */
  default <Q extends Message, R extends Message> ServiceClient<Q, R> serviceClient(
      String name, ServiceType<Q, R> type) {
    return serviceClient(name, type, false);
  }

  /**
   * A client of a service.
   *
   * @param persistent keep the connection between calls (lower latency; reconnects after a failure)
   */
  <Q extends Message, R extends Message> ServiceClient<Q, R> serviceClient(
      String name, ServiceType<Q, R> type, boolean persistent);

  /**
   * Unregisters everything, closes every connection and server, joins the node's threads.
   * Idempotent; bounded by the RPC timeouts.
   */
  void shutdown();

  /**
   * Waits until the node has shut down: {@link #shutdown()} from another thread, {@code rosnode
   * kill} or SIGINT/SIGTERM through the shutdown hook.
   *
   * @param timeoutMs longest wait [ms]
   * @return whether the node has shut down
   */
  boolean awaitShutdown(long timeoutMs) throws InterruptedException;

  /** {@link #shutdown()}. */
  @Override
  default void close() {
    shutdown();
  }
}
