package dev.kefurelay.broker;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.remoting.impl.netty.NettyAcceptor;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.Queue;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.spi.core.remoting.Acceptor;
import org.apache.activemq.artemis.spi.core.security.ActiveMQSecurityManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ActiveMQ Artemis running in this JVM, reachable over TCP (CORE and AMQP on one acceptor) and, from this
 * JVM only, in-VM ({@link #inVmUrl()}), with a persistent journal under {@link BrokerSettings#dataDir()}.
 *
 * <p>Port 0 is handed to the acceptor as is: the OS picks a free port while binding and
 * {@link #port()} reads it back. Unlike probing a free port with a ServerSocket and binding it
 * afterwards, nothing can take the port in between, so parallel tests cannot collide.
 */
public final class EmbeddedBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBroker.class);
    /** Artemis' in-VM registry is one per JVM, keyed by server id: each broker here takes the next one. */
    private static final AtomicInteger IN_VM_IDS = new AtomicInteger();

    private final EmbeddedActiveMQ artemis;
    private final BrokerSettings settings;
    private final int port;
    private final int inVmId;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedBroker(EmbeddedActiveMQ artemis, BrokerSettings settings, int port, int inVmId) {
        this.artemis = artemis;
        this.settings = settings;
        this.port = port;
        this.inVmId = inVmId;
    }

    /** A server id for {@link #start(BrokerSettings, int)} that no other broker in this JVM has. */
    public static int newInVmId() {
        return IN_VM_IDS.incrementAndGet();
    }

    /** Starts the broker with a new in-VM id; see {@link #start(BrokerSettings, int)}. */
    public static EmbeddedBroker start(BrokerSettings settings) {
        return start(settings, newInVmId());
    }

    /**
     * Starts the broker and returns once its acceptor listens.
     *
     * @throws IllegalStateException if Artemis does not start, the acceptor cannot bind, or another
     *                               broker holds the data dir (after a 2 s wait)
     * @param inVmId                 from {@link #newInVmId()}: {@link #inVmUrl(int)} is then known before the start
     */
    public static EmbeddedBroker start(BrokerSettings settings, int inVmId) {
        denyDeserialization();
        EmbeddedActiveMQ artemis = new EmbeddedActiveMQ()
                .setConfiguration(BrokerConfiguration.build(settings, inVmId));
        ActiveMQSecurityManager security = BrokerConfiguration.securityManager(settings);
        if (security != null) {
            artemis.setSecurityManager(security);
        }
        String where = hostPort(settings.bindHost(), settings.port()) + " (data " + settings.dataDir() + ")";
        try {
            artemis.start();
        } catch (Exception e) {
            stopQuietly(artemis);
            throw new IllegalStateException("embedded broker failed to start on " + where + ": " + e, e);
        }
        int port = requireUsable(artemis, where);
        EmbeddedBroker broker = new EmbeddedBroker(artemis, settings, port, inVmId);
        LOG.info("Embedded Artemis broker started: url={}, data={}, security={}",
                broker.url(), settings.dataDir().toAbsolutePath(), settings.securityEnabled() ? "on" : "off");
        return broker;
    }

    /**
     * Where clients connect, e.g. {@code tcp://127.0.0.1:61616}. A wildcard bind (0.0.0.0, ::)
     * is reported as loopback, because that is the address this JVM's own clients should use.
     */
    public String url() {
        return url(settings.bindHost(), port);
    }

    /** {@link #url()} of a broker with these settings, known before it starts when the port is not 0. */
    /**
     * The broker runs in this JVM, and with it every in-VM client: Artemis' JVM-wide deny list makes any
     * ObjectMessage deserialization in it fail, also in a client that was not made by {@link JmsConnections} (a
     * route of the operator's with a connection factory of its own). An operator who set the property keeps theirs.
     */
    static void denyDeserialization() {
        if (System.getProperty(DENY_LIST_PROPERTY) == null) {
            System.setProperty(DENY_LIST_PROPERTY, "*");
        }
    }

    /** Read by Artemis' ObjectInputStreamWithClassLoader for every ObjectMessage.getObject() in the JVM. */
    static final String DENY_LIST_PROPERTY = "org.apache.activemq.artemis.jms.deserialization.denylist";

    public static String url(BrokerSettings settings) {
        return url(settings.bindHost(), settings.port());
    }

    private static String url(String bindHost, int port) {
        return "tcp://" + connectHost(bindHost) + ":" + port;
    }

    /**
     * Where this JVM's own clients connect, e.g. {@code vm://1}: the same broker without the TCP hop. A message
     * then crosses no socket and no Netty pipeline on its way to the relay's consumers (nor their acknowledgements
     * and commits on the way back).
     */
    public String inVmUrl() {
        return inVmUrl(inVmId);
    }

    public static String inVmUrl(int inVmId) {
        return "vm://" + inVmId;
    }

    /** The port actually bound (the OS's choice when the settings asked for 0). */
    public int port() {
        return port;
    }

    public Path dataDir() {
        return settings.dataDir();
    }

    /**
     * Messages currently on a queue (including in-flight, unacknowledged ones); -1 if there is no
     * such queue. For health checks and tests.
     */
    public long messageCount(String queue) {
        Queue q = server().locateQueue(SimpleString.of(queue));
        return q == null ? -1 : q.getMessageCount();
    }

    /** The running Artemis server, for what this class does not wrap. */
    public ActiveMQServer server() {
        return artemis.getActiveMQServer();
    }

    public boolean isRunning() {
        return !closed.get() && server().isActive();
    }

    /** Stops the broker; the journal is flushed so persistent messages survive. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            artemis.stop();
            LOG.info("Embedded Artemis broker stopped: url={}", url());
        } catch (Exception e) {
            throw new IllegalStateException("embedded broker did not stop cleanly: " + e, e);
        }
    }

    /**
     * Artemis reports most start failures only in its log and carries on; a broker the relay
     * cannot use must stop the relay, with a message that says why. Returns the bound port.
     */
    private static int requireUsable(EmbeddedActiveMQ artemis, String where) {
        ActiveMQServer server = artemis.getActiveMQServer();
        String problem = null;
        Acceptor acceptor = server.getRemotingService().getAcceptor(BrokerConfiguration.ACCEPTOR_NAME);
        if (server.getState() != ActiveMQServer.SERVER_STATE.STARTED) {
            // Activation waits for the journal's file lock, held by a broker already running on it.
            problem = "did not start on " + where + ": is another broker (or relay) already using this data dir?";
        } else if (!(acceptor instanceof NettyAcceptor netty) || !netty.isStarted() || netty.getActualPort() <= 0) {
            problem = "could not listen on " + where + ": port in use or address not local?";
        } else if (!server.isActive()) {
            problem = "did not become active on " + where + "; see the log";
        } else {
            return netty.getActualPort();
        }
        stopQuietly(artemis);
        throw new IllegalStateException("embedded broker " + problem);
    }

    static String connectHost(String bindHost) {
        String h = bindHost.strip();
        if (h.equals("0.0.0.0") || h.equals("::") || h.equals("[::]")) {
            return "127.0.0.1";
        }
        return h.contains(":") && !h.startsWith("[") ? "[" + h + "]" : h; // IPv6 literal in a URL
    }

    private static String hostPort(String host, int port) {
        return (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
    }

    private static void stopQuietly(EmbeddedActiveMQ artemis) {
        try {
            artemis.stop();
        } catch (Exception e) {
            LOG.debug("stopping a broker that failed to start", e);
        }
    }
}
