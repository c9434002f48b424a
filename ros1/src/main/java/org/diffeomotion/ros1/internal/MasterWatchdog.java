package org.diffeomotion.ros1.internal;

import java.util.Map;
import java.util.function.BooleanSupplier;
import org.diffeomotion.ros1.NodeConfig;
import org.diffeomotion.ros1.RosException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the master's view of a running node current: registers everything in the {@link
 * NodeRegistry} when the node starts, then polls the master's {@code getPid} every {@link
 * NodeRuntime#WATCHDOG_PERIOD_MS} (backing off to {@link NodeRuntime#WATCHDOG_MAX_BACKOFF_MS} while
 * it does not answer) and registers everything again when the master is back, has restarted
 * (another pid) or a registration failed.
 */
final class MasterWatchdog {

  private static final Logger LOG = LoggerFactory.getLogger(MasterWatchdog.class);

  private final NodeConfig config;
  private final MasterClient master;
  private final NodeRegistry registry;
  private final String slaveUri;
  private final String serviceUri;
  private final BooleanSupplier running;
  private final Thread thread;
  private volatile boolean registrationDirty = true;
  private volatile boolean masterReachable;
  private volatile int masterPid = -1;

  /**
   * @param running whether the node is still running; the watchdog ends when it is not
   */
  MasterWatchdog(
      NodeConfig config,
      MasterClient master,
      NodeRegistry registry,
      String slaveUri,
      String serviceUri,
      BooleanSupplier running) {
    this.config = config;
    this.master = master;
    this.registry = registry;
    this.slaveUri = slaveUri;
    this.serviceUri = serviceUri;
    this.running = running;
    this.thread = new Thread(this::loop, "ros-master-watchdog");
    this.thread.setDaemon(true);
  }

  /**
   * Registers everything (best effort, bounded by the RPC timeouts; when the master does not answer
   * the poll retries) and starts polling.
   */
  void start() {
    try {
      int pid = master.getPid();
      registerAll(true);
      masterPid = pid;
      masterReachable = true;
    } catch (RosException e) {
      LOG.warn(
          "node {}: master {} not reachable yet ({}); will register when it is",
          config.name(),
          config.masterUri(),
          e.getMessage());
      registrationDirty = true;
    }
    thread.start();
  }

  /** Whether the last poll of the master succeeded. */
  boolean isMasterReachable() {
    return masterReachable;
  }

  /** Runs a registration call now; on failure the next poll registers everything again. */
  void registerNow(String what, Runnable call) {
    try {
      call.run();
    } catch (RosException e) {
      LOG.warn("node {}: {} failed ({}); will retry", config.name(), what, e.getMessage());
      registrationDirty = true;
    }
  }

  /** Ends the polling (the node is shutting down); {@link #join} waits for it. */
  void stop() {
    thread.interrupt();
  }

  void join(long timeoutMs) {
    if (thread == Thread.currentThread()) {
      return;
    }
    try {
      thread.join(timeoutMs);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Registers every publisher, subscriber, service and param subscription with the master.
   *
   * @param setParams also set the {@code _param:=} private parameters; done for each new master
   *     process (its parameter server starts empty) but not on a mere reconnection, which would
   *     overwrite values changed since
   */
  private synchronized void registerAll(boolean setParams) {
    if (setParams) {
      for (Map.Entry<String, Object> p : config.privateParams().entrySet()) {
        master.setParam(p.getKey(), p.getValue());
      }
    }
    for (TopicPublisher<?> p : registry.publishers()) {
      master.registerPublisher(p.topic(), p.type().name(), slaveUri);
    }
    for (TopicSubscriber<?> s : registry.subscribers()) {
      s.updatePublishers(master.registerSubscriber(s.topic(), s.type().name(), slaveUri));
    }
    for (ServiceServerImpl<?, ?> s : registry.services()) {
      master.registerService(s.name(), serviceUri, slaveUri);
    }
    for (String key : registry.paramKeys()) {
      master.subscribeParam(slaveUri, key);
    }
    registrationDirty = false;
  }

  private void loop() {
    long sleepMs = NodeRuntime.WATCHDOG_PERIOD_MS;
    while (running.getAsBoolean()) {
      try {
        Thread.sleep(sleepMs);
      } catch (InterruptedException e) {
        return;
      }
      if (!running.getAsBoolean()) {
        return;
      }
      try {
        int pid = master.getPid();
        boolean restarted = masterPid != -1 && pid != masterPid;
        if (!masterReachable || restarted || registrationDirty) {
          LOG.info(
              "node {}: master {} {} (pid {}); registering again",
              config.name(),
              config.masterUri(),
              restarted ? "restarted" : "reachable",
              pid);
          registerAll(restarted || masterPid == -1);
        }
        masterPid = pid;
        masterReachable = true;
        sleepMs = NodeRuntime.WATCHDOG_PERIOD_MS;
      } catch (RosException e) {
        if (masterReachable) {
          LOG.warn(
              "node {}: lost master {}: {}", config.name(), config.masterUri(), e.getMessage());
        }
        masterReachable = false;
        registrationDirty = true;
        sleepMs = Math.min(sleepMs * 2, NodeRuntime.WATCHDOG_MAX_BACKOFF_MS);
      } catch (RuntimeException e) {
        LOG.error("node {}: watchdog failure", config.name(), e);
        registrationDirty = true;
      }
    }
  }
}
