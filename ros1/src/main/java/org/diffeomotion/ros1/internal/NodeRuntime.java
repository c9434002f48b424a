package org.diffeomotion.ros1.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
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
 * The protocol core of a node: its slave XML-RPC server, its TCPROS server, the registry of its
 * publishers, subscribers, services and parameter subscriptions, and the master watchdog that
 * re-registers all of them when the master comes back (new pid) or a registration failed.
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

    private enum State { NEW, RUNNING, SHUT_DOWN }

    private final NodeConfig config;
    private final MasterClient master;
    private final Map<String, TopicPublisher<?>> publishers = new ConcurrentHashMap<>();
    private final Map<String, TopicSubscriber<?>> subscribers = new ConcurrentHashMap<>();
    private final Map<String, ServiceServerImpl<?, ?>> services = new ConcurrentHashMap<>();
    private final Map<String, List<ParameterClient.ParamListener>> paramListeners = new ConcurrentHashMap<>();
    private final Object stateLock = new Object();
    private final Runnable onShutdownRequest;
    private State state = State.NEW;
    private final CountDownLatch shutdownDone = new CountDownLatch(1);
    private Thread shutdownThread;
    private XmlRpcServer slave;
    private TcprosServer tcpros;
    private Thread watchdog;
    private String slaveUri;
    private String serviceUri;
    private volatile boolean registrationDirty = true;
    private volatile boolean masterReachable;
    private volatile int masterPid = -1;

    /**
     * Does not touch the network.
     *
     * @param onShutdownRequest run (on a new thread) when a peer calls the slave API
     *                          {@code shutdown}, e.g. {@code rosnode kill}
     */
    public NodeRuntime(NodeConfig config, Runnable onShutdownRequest) {
        this.config = config;
        this.onShutdownRequest = onShutdownRequest;
        this.master = new MasterClient(config.masterUri(), config.name(), RPC_CONNECT_TIMEOUT_MS, RPC_READ_TIMEOUT_MS);
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

    public boolean isMasterReachable() {
        return masterReachable;
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
            slave = new XmlRpcServer(bind, 0, this::handleSlaveCall, RPC_READ_TIMEOUT_MS, config.name());
            tcpros = new TcprosServer(bind, HEADER_TIMEOUT_MS, 256, publishers::get, services::get);
            slave.start();
            try {
                tcpros.start();
            } catch (IOException e) {
                slave.stop(1000);
                throw e;
            }
            slaveUri = "http://" + config.host() + ":" + slave.port() + "/";
            serviceUri = "rosrpc://" + config.host() + ":" + tcpros.port();
            state = State.RUNNING;
        }
        LOG.info("node {} up: slave {} tcpros {}", config.name(), slaveUri, serviceUri);
        try {
            int pid = master.getPid();
            registerAll(true);
            masterPid = pid;
            masterReachable = true;
        } catch (RosException e) {
            LOG.warn("node {}: master {} not reachable yet ({}); will register when it is",
                    config.name(), config.masterUri(), e.getMessage());
            registrationDirty = true;
        }
        watchdog = new Thread(this::watchdogLoop, "ros-master-watchdog");
        watchdog.setDaemon(true);
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

    /**
     * Registers every publisher, subscriber, service and param subscription with the master.
     *
     * @param setParams also set the {@code _param:=} private parameters; done for each new
     *                  master process (its parameter server starts empty) but not on a mere
     *                  reconnection, which would overwrite values changed since
     */
    private synchronized void registerAll(boolean setParams) {
        if (setParams) {
            for (Map.Entry<String, Object> p : config.privateParams().entrySet()) {
                master.setParam(p.getKey(), p.getValue());
            }
        }
        for (TopicPublisher<?> p : publishers.values()) {
            master.registerPublisher(p.topic(), p.type().name(), slaveUri);
        }
        for (TopicSubscriber<?> s : subscribers.values()) {
            s.updatePublishers(master.registerSubscriber(s.topic(), s.type().name(), slaveUri));
        }
        for (ServiceServerImpl<?, ?> s : services.values()) {
            master.registerService(s.name(), serviceUri, slaveUri);
        }
        for (String key : paramListeners.keySet()) {
            master.subscribeParam(slaveUri, key);
        }
        registrationDirty = false;
    }

    private void watchdogLoop() {
        long sleepMs = WATCHDOG_PERIOD_MS;
        while (running()) {
            try {
                Thread.sleep(sleepMs);
            } catch (InterruptedException e) {
                return;
            }
            if (!running()) {
                return;
            }
            try {
                int pid = master.getPid();
                boolean restarted = masterPid != -1 && pid != masterPid;
                if (!masterReachable || restarted || registrationDirty) {
                    LOG.info("node {}: master {} {} (pid {}); registering again", config.name(), config.masterUri(),
                            restarted ? "restarted" : "reachable", pid);
                    registerAll(restarted || masterPid == -1);
                }
                masterPid = pid;
                masterReachable = true;
                sleepMs = WATCHDOG_PERIOD_MS;
            } catch (RosException e) {
                if (masterReachable) {
                    LOG.warn("node {}: lost master {}: {}", config.name(), config.masterUri(), e.getMessage());
                }
                masterReachable = false;
                registrationDirty = true;
                sleepMs = Math.min(sleepMs * 2, WATCHDOG_MAX_BACKOFF_MS);
            } catch (RuntimeException e) {
                LOG.error("node {}: watchdog failure", config.name(), e);
                registrationDirty = true;
            }
        }
    }

    /** Runs a registration call now if the node is up; on failure marks the watchdog to retry. */
    private void registerNow(String what, Runnable call) {
        if (!running()) {
            return;
        }
        try {
            call.run();
        } catch (RosException e) {
            LOG.warn("node {}: {} failed ({}); will retry", config.name(), what, e.getMessage());
            registrationDirty = true;
        }
    }

    /**
     * A publisher, subscriber or service was closed by its owner. While the node shuts down the
     * entry stays in its map: the shutdown loop unregisters whatever it finds there (removing it
     * here, with the node no longer running, would leave a stale entry on the master).
     */
    private void released(Map<String, ?> map, String name, String what, Runnable call) {
        synchronized (stateLock) {
            if (state == State.SHUT_DOWN) {
                return;
            }
            map.remove(name);
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

    public <T extends Message> TopicPublisher<T> advertise(String topic, MessageType<T> type, boolean latch,
                                                           int queueSize) {
        String name = config.resolveName(topic);
        ensureNotShutDown();
        TopicPublisher<T> p = new TopicPublisher<>(name, type, latch, queueSize, config.name(),
                () -> released(publishers, name, "unregisterPublisher(" + name + ")",
                        () -> master.unregisterPublisher(name, slaveUri)));
        if (publishers.putIfAbsent(name, p) != null) {
            throw new IllegalStateException("topic " + name + " is already advertised by node " + config.name());
        }
        registerNow("registerPublisher(" + name + ")", () -> master.registerPublisher(name, type.name(), slaveUri));
        return p;
    }

    public <T extends Message> TopicSubscriber<T> subscribe(String topic, MessageType<T> type,
                                                            MessageListener<T> listener) {
        String name = config.resolveName(topic);
        ensureNotShutDown();
        TopicSubscriber<T> s = new TopicSubscriber<>(name, type, listener, config.name(), MAX_MESSAGE_BYTES,
                HEADER_TIMEOUT_MS, () -> released(subscribers, name, "unregisterSubscriber(" + name + ")",
                        () -> master.unregisterSubscriber(name, slaveUri)));
        if (subscribers.putIfAbsent(name, s) != null) {
            throw new IllegalStateException("topic " + name + " is already subscribed by node " + config.name());
        }
        registerNow("registerSubscriber(" + name + ")",
                () -> s.updatePublishers(master.registerSubscriber(name, type.name(), slaveUri)));
        return s;
    }

    public <Q extends Message, R extends Message> ServiceServerImpl<Q, R> advertiseService(
            String service, ServiceType<Q, R> type, ServiceHandler<Q, R> handler) {
        String name = config.resolveName(service);
        ensureNotShutDown();
        ServiceServerImpl<Q, R> s = new ServiceServerImpl<>(name, type, handler, config.name(), MAX_REQUEST_BYTES,
                SERVICE_IDLE_TIMEOUT_MS, () -> released(services, name, "unregisterService(" + name + ")",
                        () -> master.unregisterService(name, serviceUri)));
        if (services.putIfAbsent(name, s) != null) {
            throw new IllegalStateException("service " + name + " is already advertised by node " + config.name());
        }
        registerNow("registerService(" + name + ")", () -> master.registerService(name, serviceUri, slaveUri));
        return s;
    }

    /** Subscribes to a parameter; returns its value or null. */
    public Object subscribeParam(String key, ParameterClient.ParamListener listener) {
        String k = config.resolveName(key);
        requireRunning("subscribeParam(" + k + ")");
        boolean first = paramListeners.computeIfAbsent(k, x -> new CopyOnWriteArrayList<>()).isEmpty();
        paramListeners.get(k).add(listener);
        Object v = first ? master.subscribeParam(slaveUri, k) : master.getParam(k);
        // The master answers an empty struct for an unset key.
        return v instanceof Map<?, ?> m && m.isEmpty() ? null : v;
    }

    public void unsubscribeParam(String key) {
        String k = config.resolveName(key);
        if (paramListeners.remove(k) != null) {
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
            throw new IllegalStateException(what + ": node " + config.name() + " is not running (call start())");
        }
    }

    /** Names of published topics (for /rosout records). */
    public List<String> publishedTopics() {
        return new ArrayList<>(publishers.keySet());
    }

    // ---------------------------------------------------------------- slave API

    private static List<Object> ok(Object value) {
        return List.of(1, "", value);
    }

    private Object handleSlaveCall(String method, List<Object> params) {
        switch (method) {
            case "getPid":
                return ok((int) ProcessHandle.current().pid());
            case "getMasterUri":
                return ok(config.masterUri().toString());
            case "getPublications": {
                List<Object> l = new ArrayList<>();
                for (TopicPublisher<?> p : publishers.values()) {
                    l.add(List.of(p.topic(), p.type().name()));
                }
                return ok(l);
            }
            case "getSubscriptions": {
                List<Object> l = new ArrayList<>();
                for (TopicSubscriber<?> s : subscribers.values()) {
                    l.add(List.of(s.topic(), s.type().name()));
                }
                return ok(l);
            }
            case "getBusInfo": {
                List<Object> l = new ArrayList<>();
                for (TopicPublisher<?> p : publishers.values()) {
                    p.busInfo(l);
                }
                for (TopicSubscriber<?> s : subscribers.values()) {
                    s.busInfo(l);
                }
                return ok(l);
            }
            case "getBusStats": {
                List<Object> pub = new ArrayList<>();
                for (TopicPublisher<?> p : publishers.values()) {
                    pub.add(p.busStats());
                }
                List<Object> sub = new ArrayList<>();
                for (TopicSubscriber<?> s : subscribers.values()) {
                    sub.add(s.busStats());
                }
                return ok(List.of(pub, sub, List.of(0, 0, 0)));
            }
            case "shutdown": {
                String why = params.size() > 1 ? String.valueOf(params.get(1)) : "";
                LOG.warn("node {}: shutdown requested by {}: {}", config.name(),
                        params.isEmpty() ? "?" : params.get(0), why);
                // Answer first; shutting down on this XML-RPC worker would wait for itself.
                Thread t = new Thread(onShutdownRequest, "ros-shutdown-request");
                t.setDaemon(true);
                t.start();
                return ok(0);
            }
            case "paramUpdate": {
                if (params.size() < 3) {
                    return List.of(-1, "paramUpdate needs caller_id, key, value", 0);
                }
                String key = Names.canonical(String.valueOf(params.get(1)));
                Object value = params.get(2);
                for (Map.Entry<String, List<ParameterClient.ParamListener>> e : paramListeners.entrySet()) {
                    String k = e.getKey();
                    if (key.equals(k) || key.startsWith(k + "/") || k.startsWith(key + "/")) {
                        for (ParameterClient.ParamListener l : e.getValue()) {
                            try {
                                l.onUpdate(key, value);
                            } catch (RuntimeException ex) {
                                LOG.error("parameter listener for {} failed", k, ex);
                            }
                        }
                    }
                }
                return ok(0);
            }
            case "publisherUpdate": {
                if (params.size() < 3 || !(params.get(2) instanceof List<?> uris)) {
                    return List.of(-1, "publisherUpdate needs caller_id, topic, publishers[]", 0);
                }
                String topic = String.valueOf(params.get(1));
                TopicSubscriber<?> s = subscribers.get(topic);
                if (s != null) {
                    List<String> l = new ArrayList<>();
                    for (Object o : uris) {
                        l.add(String.valueOf(o));
                    }
                    s.updatePublishers(l);
                }
                return ok(0);
            }
            case "requestTopic": {
                if (params.size() < 3 || !(params.get(2) instanceof List<?> protocols)) {
                    return List.of(-1, "requestTopic needs caller_id, topic, protocols[]", 0);
                }
                String topic = String.valueOf(params.get(1));
                if (!publishers.containsKey(topic)) {
                    return List.of(-1, "node " + config.name() + " does not publish " + topic, 0);
                }
                for (Object p : protocols) {
                    if (p instanceof List<?> pl && !pl.isEmpty() && "TCPROS".equals(pl.get(0))) {
                        return List.of(1, "ready on " + config.host() + ":" + tcpros.port(),
                                List.of("TCPROS", config.host(), tcpros.port()));
                    }
                }
                return List.of(0, "no supported protocol in " + protocols + " (only TCPROS)", List.of());
            }
            default:
                throw new IllegalArgumentException("method '" + method + "' is not part of the ROS slave API");
        }
    }

    // ---------------------------------------------------------------- shutdown

    /**
     * Unregisters everything (bounded by the RPC timeouts), closes all connections and servers
     * and joins the node's threads. Idempotent; callable from any thread, including the JVM's
     * shutdown hook.
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

    /** Waits (bounded) for a shutdown running on another thread, e.g. one asked for by rosnode kill. */
    private void awaitShutdown() {
        try {
            if (!shutdownDone.await(SHUTDOWN_WAIT_MS, TimeUnit.MILLISECONDS)) {
                LOG.warn("node {}: shutdown on another thread still running after {} ms", config.name(),
                        SHUTDOWN_WAIT_MS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void doShutdown() {
        LOG.info("node {} shutting down", config.name());
        if (watchdog != null) {
            watchdog.interrupt();
        }
        boolean reachable = masterReachable;
        for (TopicPublisher<?> p : publishers.values()) {
            p.closeConnections();
            if (reachable) {
                reachable = tryUnregister(() -> master.unregisterPublisher(p.topic(), slaveUri));
            }
        }
        for (TopicSubscriber<?> s : subscribers.values()) {
            s.closeConnections();
            if (reachable) {
                reachable = tryUnregister(() -> master.unregisterSubscriber(s.topic(), slaveUri));
            }
        }
        for (ServiceServerImpl<?, ?> s : services.values()) {
            s.closeConnections();
            if (reachable) {
                reachable = tryUnregister(() -> master.unregisterService(s.name(), serviceUri));
            }
        }
        for (String key : paramListeners.keySet()) {
            if (reachable) {
                reachable = tryUnregister(() -> master.unsubscribeParam(slaveUri, key));
            }
        }
        publishers.clear();
        subscribers.clear();
        services.clear();
        paramListeners.clear();
        tcpros.stop(2000);
        slave.stop(2000);
        if (watchdog != null && watchdog != Thread.currentThread()) {
            try {
                watchdog.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        LOG.info("node {} shut down", config.name());
    }

    /** @return false if the master did not answer, so later calls are skipped instead of timing out */
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
