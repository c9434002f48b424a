package org.diffeomotion.ros1.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.diffeomotion.ros1.MessageListener;
import org.diffeomotion.ros1.NodeConfig;
import org.diffeomotion.ros1.ParameterClient;
import org.diffeomotion.ros1.RosException;
import org.diffeomotion.ros1.ServiceHandler;
import org.diffeomotion.ros1.msg.Message;
import org.diffeomotion.ros1.msg.MessageType;
import org.diffeomotion.ros1.msg.ServiceType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The protocol core of a node and its lifecycle (NEW → RUNNING → SHUT_DOWN): {@link #start()} binds
 * the slave XML-RPC server ({@link SlaveApiDispatcher} over {@link NodeSlaveApi}) and the TCPROS
 * server and starts the {@link MasterWatchdog}; {@code advertise}/{@code subscribe}/... create the
 * node's resources, keep them in the {@link NodeRegistry} and register them with the master; {@link
 * #shutdown()} unregisters them, closes every connection and server and joins the threads.
 */
public final class NodeRuntime {

  private static final Logger LOG = LoggerFactory.getLogger(NodeRuntime.class);

  /** Connect timeout of XML-RPC calls [ms]. */
  public static final int RPC_CONNECT_TIMEOUT_MS = 2000;

  /** Read timeout of XML-RPC calls [ms]. */
  public static final int RPC_READ_TIMEOUT_MS = 5000;

  /** Time a TCPROS peer has to connect and send its header [ms]. */
  public static final int HEADER_TIMEOUT_MS = 5000;

  /** Largest message a subscriber accepts [bytes]. */
  public static final int MAX_MESSAGE_BYTES = 64 << 20;

  /** Largest service request accepted [bytes]. */
  public static final int MAX_REQUEST_BYTES = 16 << 20;

  /** Idle time after which a persistent service connection is closed [ms]. */
  public static final int SERVICE_IDLE_TIMEOUT_MS = 600_000;

  /** Master poll period while the master answers [ms]. */
  public static final long WATCHDOG_PERIOD_MS = 1000;

  /** Longest poll period while the master is unreachable (backoff cap) [ms]. */
  public static final long WATCHDOG_MAX_BACKOFF_MS = 2000;

  /** Longest wait of a second shutdown() call for one already running [ms]. */
  public static final long SHUTDOWN_WAIT_MS = 20_000;

  private enum State {
    NEW,
    RUNNING,
    SHUT_DOWN
  }

  private final NodeConfig config;
  private final MasterClient master;
  private final NodeRegistry registry;
  private final Object stateLock = new Object();
  private final Runnable onShutdownRequest;
  private State state = State.NEW;
  private final CountDownLatch shutdownDone = new CountDownLatch(1);
  private Thread shutdownThread;
  private XmlRpcServer slave;
  private TcprosServer tcpros;

  /** Created by start(), under stateLock, before the node is RUNNING. */
  private volatile MasterWatchdog watchdog;

  private String slaveUri;
  private String serviceUri;

  /**
   * Does not touch the network.
   *
   * @param onShutdownRequest run (on a new thread) when a peer calls the slave API {@code
   *     shutdown}, e.g. {@code rosnode kill}
   */
  public NodeRuntime(NodeConfig config, Runnable onShutdownRequest) {
    this.config = config;
    this.onShutdownRequest = onShutdownRequest;
    this.master =
        new MasterClient(
            config.masterUri(), config.name(), RPC_CONNECT_TIMEOUT_MS, RPC_READ_TIMEOUT_MS);
    this.registry = new NodeRegistry(config.name());
  }

  public NodeConfig config() {
    return config;
  }

  public MasterClient master() {
    return master;
  }

  /** This node's slave API URI (valid after start). */
  public String uri() {
    return slaveUri;
  }

  /** Whether the last watchdog poll of the master succeeded (false before start). */
  public boolean isMasterReachable() {
    MasterWatchdog w = watchdog;
    return w != null && w.isMasterReachable();
  }

  /**
   * Binds the slave and TCPROS servers, sets the private parameters from the command line,
   * registers everything created so far (best effort, bounded by the RPC timeouts; the watchdog
   * retries) and starts the watchdog.
   */
  public void start() throws IOException {
    synchronized (stateLock) {
      if (state != State.NEW) {
        throw new IllegalStateException("node " + config.name() + " already " + state);
      }
      InetAddress bind = bindAddress(config.host());
      SlaveApi api = new NodeSlaveApi(config, registry, () -> tcpros.port(), onShutdownRequest);
      slave =
          new XmlRpcServer(
              bind, 0, new SlaveApiDispatcher(api), RPC_READ_TIMEOUT_MS, config.name());
      tcpros =
          new TcprosServer(bind, HEADER_TIMEOUT_MS, 256, registry::publisher, registry::service);
      slave.start();
      try {
        tcpros.start();
      } catch (IOException e) {
        slave.stop(1000);
        throw e;
      }
      slaveUri = "http://" + config.host() + ":" + slave.port() + "/";
      serviceUri = "rosrpc://" + config.host() + ":" + tcpros.port();
      watchdog = new MasterWatchdog(config, master, registry, slaveUri, serviceUri, this::running);
      state = State.RUNNING;
    }
    LOG.info("node {} up: slave {} tcpros {}", config.name(), slaveUri, serviceUri);
    watchdog.start();
  }

  private static InetAddress bindAddress(String host) throws IOException {
    InetAddress a = InetAddress.getByName(host);
    // Listening on all interfaces keeps the node reachable under every name of this host;
    // loopback stays loopback so tests never expose ports.
    return a.isLoopbackAddress() ? a : InetAddress.getByName("0.0.0.0");
  }

  private boolean running() {
    synchronized (stateLock) {
      return state == State.RUNNING;
    }
  }

  // ---------------------------------------------------------------- registration

  /** Runs a registration call now if the node is up; on failure the watchdog registers again. */
  private void registerNow(String what, Runnable call) {
    if (running()) {
      watchdog.registerNow(what, call);
    }
  }

  /**
   * A publisher, subscriber or service was closed by its owner. While the node shuts down the entry
   * stays in its map: the shutdown loop unregisters whatever it finds there (removing it here, with
   * the node no longer running, would leave a stale entry on the master).
   */
  private void released(Runnable remove, String what, Runnable call) {
    synchronized (stateLock) {
      if (state == State.SHUT_DOWN) {
        return;
      }
      remove.run();
    }
    unregisterNow(what, call);
  }

  private void unregisterNow(String what, Runnable call) {
    if (!running()) {
      return;
    }
    try {
      call.run();
    } catch (RosException e) {
      LOG.warn("node {}: {} failed: {}", config.name(), what, e.getMessage());
    }
  }

  // ---------------------------------------------------------------- graph resources

  public <T extends Message> TopicPublisher<T> advertise(
      String topic, MessageType<T> type, boolean latch, int queueSize) {
    String name = config.resolveName(topic);
    ensureNotShutDown();
    TopicPublisher<T> p =
        new TopicPublisher<>(
            name,
            type,
            latch,
            queueSize,
            config.name(),
            () ->
                released(
                    () -> registry.removePublisher(name),
                    "unregisterPublisher(" + name + ")",
                    () -> master.unregisterPublisher(name, slaveUri)));
    registry.add(p);
    registerNow(
        "registerPublisher(" + name + ")",
        () -> master.registerPublisher(name, type.name(), slaveUri));
    return p;
  }

  public <T extends Message> TopicSubscriber<T> subscribe(
      String topic, MessageType<T> type, MessageListener<T> listener) {
    String name = config.resolveName(topic);
    ensureNotShutDown();
    TopicSubscriber<T> s =
        new TopicSubscriber<>(
            name,
            type,
            listener,
            config.name(),
            MAX_MESSAGE_BYTES,
            HEADER_TIMEOUT_MS,
            () ->
                released(
                    () -> registry.removeSubscriber(name),
                    "unregisterSubscriber(" + name + ")",
                    () -> master.unregisterSubscriber(name, slaveUri)));
    registry.add(s);
    registerNow(
        "registerSubscriber(" + name + ")",
        () -> s.updatePublishers(master.registerSubscriber(name, type.name(), slaveUri)));
    return s;
  }

  public <Q extends Message, R extends Message> ServiceServerImpl<Q, R> advertiseService(
      String service, ServiceType<Q, R> type, ServiceHandler<Q, R> handler) {
    String name = config.resolveName(service);
    ensureNotShutDown();
    ServiceServerImpl<Q, R> s =
        new ServiceServerImpl<>(
            name,
            type,
            handler,
            config.name(),
            MAX_REQUEST_BYTES,
            SERVICE_IDLE_TIMEOUT_MS,
            () ->
                released(
                    () -> registry.removeService(name),
                    "unregisterService(" + name + ")",
                    () -> master.unregisterService(name, serviceUri)));
    registry.add(s);
    registerNow(
        "registerService(" + name + ")", () -> master.registerService(name, serviceUri, slaveUri));
    return s;
  }

  /** Subscribes to a parameter; returns its value or null. */
  public Object subscribeParam(String key, ParameterClient.ParamListener listener) {
    String k = config.resolveName(key);
    requireRunning("subscribeParam(" + k + ")");
    boolean first = registry.addParamListener(k, listener);
    Object v = first ? master.subscribeParam(slaveUri, k) : master.getParam(k);
    // The master answers an empty struct for an unset key.
    return v instanceof Map<?, ?> m && m.isEmpty() ? null : v;
  }

  public void unsubscribeParam(String key) {
    String k = config.resolveName(key);
    if (registry.removeParamListeners(k)) {
      unregisterNow("unsubscribeParam(" + k + ")", () -> master.unsubscribeParam(slaveUri, k));
    }
  }

  private void ensureNotShutDown() {
    synchronized (stateLock) {
      if (state == State.SHUT_DOWN) {
        throw new IllegalStateException("node " + config.name() + " is shut down");
      }
    }
  }

  public void requireRunning(String what) {
    if (!running()) {
      throw new IllegalStateException(
          what + ": node " + config.name() + " is not running (call start())");
    }
  }

  /** Names of published topics (for /rosout records). */
  public List<String> publishedTopics() {
    return registry.publishedTopics();
  }

  // ---------------------------------------------------------------- shutdown

  /**
   * Unregisters everything (bounded by the RPC timeouts), closes all connections and servers and
   * joins the node's threads. Idempotent; callable from any thread, including the JVM's shutdown
   * hook.
   */
  public void shutdown() {
    synchronized (stateLock) {
      if (state == State.NEW) {
        state = State.SHUT_DOWN;
        shutdownDone.countDown();
        return;
      }
      if (state == State.SHUT_DOWN) {
        if (shutdownThread != Thread.currentThread()) {
          awaitShutdown();
        }
        return;
      }
      state = State.SHUT_DOWN;
      shutdownThread = Thread.currentThread();
    }
    try {
      doShutdown();
    } finally {
      shutdownDone.countDown();
    }
  }

  /**
   * Waits until the node has shut down (by {@link #shutdown()}, {@code rosnode kill} or the
   * shutdown hook), at most {@code timeoutMs} [ms].
   *
   * @return whether the shutdown has finished
   */
  public boolean awaitShutdown(long timeoutMs) throws InterruptedException {
    return shutdownDone.await(timeoutMs, TimeUnit.MILLISECONDS);
  }

  /**
   * Waits (bounded) for a shutdown running on another thread, e.g. one asked for by rosnode kill.
   */
  private void awaitShutdown() {
    try {
      if (!shutdownDone.await(SHUTDOWN_WAIT_MS, TimeUnit.MILLISECONDS)) {
        LOG.warn(
            "node {}: shutdown on another thread still running after {} ms",
            config.name(),
            SHUTDOWN_WAIT_MS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void doShutdown() {
    LOG.info("node {} shutting down", config.name());
    watchdog.stop();
    boolean reachable = watchdog.isMasterReachable();
    for (TopicPublisher<?> p : registry.publishers()) {
      p.closeConnections();
      if (reachable) {
        reachable = tryUnregister(() -> master.unregisterPublisher(p.topic(), slaveUri));
      }
    }
    for (TopicSubscriber<?> s : registry.subscribers()) {
      s.closeConnections();
      if (reachable) {
        reachable = tryUnregister(() -> master.unregisterSubscriber(s.topic(), slaveUri));
      }
    }
    for (ServiceServerImpl<?, ?> s : registry.services()) {
      s.closeConnections();
      if (reachable) {
        reachable = tryUnregister(() -> master.unregisterService(s.name(), serviceUri));
      }
    }
    for (String key : registry.paramKeys()) {
      if (reachable) {
        reachable = tryUnregister(() -> master.unsubscribeParam(slaveUri, key));
      }
    }
    registry.clear();
    tcpros.stop(2000);
    slave.stop(2000);
    watchdog.join(2000);
    LOG.info("node {} shut down", config.name());
  }

  /**
   * @return false if the master did not answer, so later calls are skipped instead of timing out
   */
  private boolean tryUnregister(Runnable call) {
    try {
      call.run();
      return true;
    } catch (RosException e) {
      LOG.warn("node {}: unregistering failed: {}", config.name(), e.getMessage());
      return !(e.getCause() instanceof IOException);
    }
  }
}
