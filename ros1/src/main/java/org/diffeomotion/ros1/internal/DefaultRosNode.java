package org.diffeomotion.ros1.internal;

import java.io.IOException;
import org.diffeomotion.ros1.Clock;
import org.diffeomotion.ros1.MessageListener;
import org.diffeomotion.ros1.NodeConfig;
import org.diffeomotion.ros1.ParameterClient;
import org.diffeomotion.ros1.Publisher;
import org.diffeomotion.ros1.RosException;
import org.diffeomotion.ros1.RosLog;
import org.diffeomotion.ros1.RosNode;
import org.diffeomotion.ros1.ServiceClient;
import org.diffeomotion.ros1.ServiceHandler;
import org.diffeomotion.ros1.ServiceServer;
import org.diffeomotion.ros1.SimulatedClock;
import org.diffeomotion.ros1.Subscriber;
import org.diffeomotion.ros1.msg.ClockMsg;
import org.diffeomotion.ros1.msg.Log;
import org.diffeomotion.ros1.msg.Message;
import org.diffeomotion.ros1.msg.MessageType;
import org.diffeomotion.ros1.msg.ServiceType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link RosNode} of {@link RosNode#create}: the protocol core ({@link NodeRuntime}) plus what
 * the public API adds to it: the choice of clock at {@link #start()}, the /rosout log, the
 * parameter client and the JVM shutdown hook.
 */
public final class DefaultRosNode implements RosNode {

  private static final Logger LOG = LoggerFactory.getLogger(DefaultRosNode.class);

  private final NodeRuntime runtime;
  private final Clock fixedClock;

  /** The clock in use; a wall clock until start() decides otherwise. */
  private volatile Clock clock;

  private final ParameterClient params;
  private final RosoutLog log;
  private final boolean installShutdownHook;
  private Thread shutdownHook;

  /**
   * @param clock time source for stamps; null to choose at {@link #start()}: /clock if {@code
   *     /use_sim_time} is true, else wall time
   * @param installShutdownHook whether {@link #start()} installs a JVM shutdown hook that calls
   *     {@link #shutdown()} on SIGINT/SIGTERM
   */
  public DefaultRosNode(NodeConfig config, Clock clock, boolean installShutdownHook) {
    this.runtime = new NodeRuntime(config, this::shutdown);
    this.fixedClock = clock;
    this.clock = clock != null ? clock : Clock.wall();
    this.params = new ParameterClientImpl(runtime);
    this.log = new RosoutLog(config.name(), () -> this.clock.nowNanos(), runtime::publishedTopics);
    this.installShutdownHook = installShutdownHook;
  }

  @Override
  public synchronized void start() throws IOException {
    // The hook goes in before registering: a SIGTERM that arrives while start() is still
    // running must unregister what the master already knows about.
    if (installShutdownHook && shutdownHook == null) {
      shutdownHook = new Thread(this::shutdown, "ros-shutdown-hook");
      Runtime.getRuntime().addShutdownHook(shutdownHook);
    }
    runtime.start();
    if (fixedClock == null && useSimTime()) {
      SimulatedClock sim = new SimulatedClock();
      runtime.subscribe("/clock", ClockMsg.TYPE, m -> sim.set(m.nanos()));
      clock = sim;
      LOG.info("node {}: /use_sim_time is true; time comes from /clock", name());
    }
    log.attach(runtime.advertise("/rosout", Log.TYPE, false, 100));
  }

  private boolean useSimTime() {
    try {
      return Boolean.TRUE.equals(params.get("/use_sim_time", Boolean.FALSE));
    } catch (RosException e) {
      LOG.warn("node {}: cannot read /use_sim_time ({}); using wall time", name(), e.getMessage());
      return false;
    }
  }

  @Override
  public String name() {
    return runtime.config().name();
  }

  @Override
  public NodeConfig config() {
    return runtime.config();
  }

  @Override
  public String uri() {
    return runtime.uri();
  }

  @Override
  public Clock clock() {
    return clock;
  }

  @Override
  public RosLog log() {
    return log;
  }

  @Override
  public ParameterClient params() {
    return params;
  }

  @Override
  public boolean isMasterReachable() {
    return runtime.isMasterReachable();
  }

  @Override
  public String resolveName(String name) {
    return runtime.config().resolveName(name);
  }

  @Override
  public <T extends Message> Publisher<T> advertise(
      String topic, MessageType<T> type, boolean latch, int queueSize) {
    return runtime.advertise(topic, type, latch, queueSize);
  }

  @Override
  public <T extends Message> Subscriber<T> subscribe(
      String topic, MessageType<T> type, MessageListener<T> listener) {
    return runtime.subscribe(topic, type, listener);
  }

  @Override
  public <Q extends Message, R extends Message> ServiceServer advertiseService(
      String name, ServiceType<Q, R> type, ServiceHandler<Q, R> handler) {
    return runtime.advertiseService(name, type, handler);
  }

  @Override
  public <Q extends Message, R extends Message> ServiceClient<Q, R> serviceClient(
      String name, ServiceType<Q, R> type, boolean persistent) {
    return new ServiceClientImpl<>(resolveName(name), type, name(), runtime, persistent);
  }

  @Override
  public void shutdown() {
    runtime.shutdown();
    Thread hook;
    synchronized (this) {
      hook = shutdownHook;
      shutdownHook = null;
    }
    if (hook != null && hook != Thread.currentThread()) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        LOG.debug("JVM already shutting down");
      }
    }
  }

  @Override
  public boolean awaitShutdown(long timeoutMs) throws InterruptedException {
    return runtime.awaitShutdown(timeoutMs);
  }
}
