package org.diffeomotion.ros1;

import java.io.IOException;

import org.diffeomotion.ros1.internal.NodeRuntime;
import org.diffeomotion.ros1.internal.ParameterClientImpl;
import org.diffeomotion.ros1.internal.ServiceClientImpl;
import org.diffeomotion.ros1.msg.ClockMsg;
import org.diffeomotion.ros1.msg.Log;
import org.diffeomotion.ros1.msg.Message;
import org.diffeomotion.ros1.msg.MessageType;
import org.diffeomotion.ros1.msg.ServiceType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A ROS1 node implemented on its own XML-RPC and TCPROS code.
 *
 * <pre>{@code
 * RosNode node = new RosNode(NodeConfig.fromArgs("diffeo_motion", List.of(args), System.getenv()));
 * Publisher<TwistStamped> cmd = node.advertise("cmd_vel", TwistStamped.TYPE, false, 10);
 * node.subscribe("state", PoseStamped.TYPE, msg -> ...);
 * node.start();                         // binds servers, registers, starts the master watchdog
 * ...
 * node.shutdown();                      // or SIGINT/SIGTERM through the shutdown hook
 * }</pre>
 *
 * The constructor never blocks and never opens sockets. Publishers, subscribers and services may
 * be created before or after {@link #start()}; they are registered with the master when it is
 * reachable and again whenever it restarts.
 */
public final class RosNode implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RosNode.class);

    private final NodeRuntime runtime;
    private final Clock fixedClock;
    /** The clock in use; a wall clock until start() decides otherwise. */
    private volatile Clock clock;
    private final ParameterClient params;
    private final RosLog log;
    private final boolean installShutdownHook;
    private Thread shutdownHook;

    /**
     * A node that installs a JVM shutdown hook (SIGINT/SIGTERM) and takes its time from /clock if
     * the parameter {@code /use_sim_time} is true when it starts, else from the wall clock.
     */
    public RosNode(NodeConfig config) {
        this(config, null, true);
    }

    /**
     * @param clock               time source for stamps; null to choose at {@link #start()}:
     *                            /clock if {@code /use_sim_time} is true, else wall time
     * @param installShutdownHook whether {@link #start()} installs a JVM shutdown hook that calls
     *                            {@link #shutdown()} on SIGINT/SIGTERM
     */
    public RosNode(NodeConfig config, Clock clock, boolean installShutdownHook) {
        this.runtime = new NodeRuntime(config, this::shutdown);
        this.fixedClock = clock;
        this.clock = clock != null ? clock : Clock.wall();
        this.params = new ParameterClientImpl(runtime);
        this.log = new RosLog(config.name(), () -> this.clock.nowNanos(), runtime::publishedTopics);
        this.installShutdownHook = installShutdownHook;
    }

    /**
     * Binds the slave XML-RPC and TCPROS servers, advertises /rosout, sets {@code _param:=}
     * private parameters and registers with the master (if reachable; otherwise the watchdog
     * registers as soon as it is).
     *
     * @throws IOException if a server socket cannot be bound
     */
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

    /** Full node name, e.g. {@code /robot/diffeo_motion}. */
    public String name() {
        return runtime.config().name();
    }

    public NodeConfig config() {
        return runtime.config();
    }

    /** The slave API URI, valid after {@link #start()}. */
    public String uri() {
        return runtime.uri();
    }

    /** The node's clock: the one given, or after {@link #start()} /clock or wall time. */
    public Clock clock() {
        return clock;
    }

    public RosLog log() {
        return log;
    }

    /** The parameter server; needs a started node. */
    public ParameterClient params() {
        return params;
    }

    /** Whether the last watchdog poll of the master succeeded. */
    public boolean isMasterReachable() {
        return runtime.isMasterReachable();
    }

    /** Resolves a name for this node, remappings applied. */
    public String resolveName(String name) {
        return runtime.config().resolveName(name);
    }

    /**
     * Advertises a topic.
     *
     * @param topic     topic name (relative, global or private), remapped
     * @param latch     whether new subscribers get the last message
     * @param queueSize outgoing queue per subscriber connection [messages]; oldest dropped when full
     */
    public <T extends Message> Publisher<T> advertise(String topic, MessageType<T> type, boolean latch, int queueSize) {
        return runtime.advertise(topic, type, latch, queueSize);
    }

    /**
     * Subscribes to a topic. The listener runs on the connection's thread and gets a message
     * object that is reused for the next message.
     */
    public <T extends Message> Subscriber<T> subscribe(String topic, MessageType<T> type, MessageListener<T> listener) {
        return runtime.subscribe(topic, type, listener);
    }

    /** Advertises a service. */
    public <Q extends Message, R extends Message> ServiceServer advertiseService(String name, ServiceType<Q, R> type,
                                                                                  ServiceHandler<Q, R> handler) {
        return runtime.advertiseService(name, type, handler);
    }

    /** A non-persistent client of a service: every call looks the service up and connects. */
    public <Q extends Message, R extends Message> ServiceClient<Q, R> serviceClient(String name, ServiceType<Q, R> type) {
        return serviceClient(name, type, false);
    }

    /**
     * A client of a service.
     *
     * @param persistent keep the connection between calls (lower latency; reconnects after a failure)
     */
    public <Q extends Message, R extends Message> ServiceClient<Q, R> serviceClient(String name, ServiceType<Q, R> type,
                                                                                   boolean persistent) {
        return new ServiceClientImpl<>(resolveName(name), type, name(), runtime, persistent);
    }

    /**
     * Unregisters everything, closes every connection and server, joins the node's threads.
     * Idempotent; bounded by the RPC timeouts.
     */
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

    /**
     * Waits until the node has shut down: {@link #shutdown()} from another thread,
     * {@code rosnode kill} or SIGINT/SIGTERM through the shutdown hook.
     *
     * @param timeoutMs longest wait [ms]
     * @return whether the node has shut down
     */
    public boolean awaitShutdown(long timeoutMs) throws InterruptedException {
        return runtime.awaitShutdown(timeoutMs);
    }

    @Override
    public void close() {
        shutdown();
    }
}
