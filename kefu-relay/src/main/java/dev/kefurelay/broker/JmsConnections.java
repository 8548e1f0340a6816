package dev.kefurelay.broker;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.jms.ConnectionFactory;

import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.messaginghub.pooled.jms.JmsPoolConnectionFactory;

/**
 * Connection factories for the relay's broker (embedded or external), using Artemis' CORE client.
 *
 * <p>Which one where:
 * <ul>
 *   <li>{@link #pooled} for producers (camel-jms {@code to("jms:...")}: dead letters, replies):
 *       Spring's JmsTemplate opens and closes a connection, session and producer for every send;
 *       the pool turns that into a cheap borrow of long-lived ones.</li>
 *   <li>{@link #plain} for consumers (camel-jms {@code from("jms:...")}): Spring's
 *       DefaultMessageListenerContainer already keeps its connection, sessions and consumers open
 *       for its lifetime (cache level CACHE_CONSUMER without an external transaction manager), so
 *       a pool would only add a second cache in front of it, and the pool would close the
 *       container's connection behind its back on the first error (see below).</li>
 * </ul>
 *
 * <p>Broker restarts are survived differently by the two:
 * <ul>
 *   <li>Plain (consumers): the Artemis client reconnects by itself, up to {@value #RECONNECT_ATTEMPTS}
 *       attempts 0.5 s apart growing x1.5 to 5 s, about 30 s in all; consumers are re-created on
 *       the restarted broker and a transaction cut off by the restart rolls back, so its message
 *       is redelivered. After that the failure surfaces (JMSException / ExceptionListener) and the
 *       listener container runs its own recovery. Not {@code reconnectAttempts=-1} (Artemis'
 *       default): a broker that never comes back would then show up nowhere, with consumers that
 *       wait and sends that block forever instead of an error a health check can see.</li>
 *   <li>Pooled (producers): no client-side reconnect. pooled-jms closes a connection as soon as it
 *       reports an exception, even one Artemis has just reconnected (Artemis still reports the
 *       disconnect), so reconnecting first only delays that; and closing a borrowed connection
 *       mid-reconnect trips an NPE in pooled-jms 3.2.5's producer bookkeeping. Without it the dead
 *       connection leaves the pool at once and the next send opens a fresh one: it works as soon
 *       as the broker is back, and fails fast (the route's retry policy applies) while it is not.</li>
 * </ul>
 * Both try the first connect once ({@code initialConnectAttempts=1}), so a wrong URL or a missing
 * broker fails at once with a clear error instead of stalling; the container retries anyway.
 *
 * <p>An operator's own parameter in {@code kefu.broker.url} (e.g. {@code ?reconnectAttempts=-1})
 * wins over these defaults, except one: every factory refuses to deserialize anything
 * ({@code deserializationDenyList=*}, see {@link #DENY_ALL}).
 */
public final class JmsConnections {

    static final int INITIAL_CONNECT_ATTEMPTS = 1;
    static final int RECONNECT_ATTEMPTS = 10;
    static final long RETRY_INTERVAL_MS = 500;
    static final double RETRY_MULTIPLIER = 1.5;
    static final long MAX_RETRY_INTERVAL_MS = 5_000;
    /** How long a call waits for a reconnection in progress before it fails. */
    static final long CALL_FAILOVER_TIMEOUT_MS = 30_000;
    /** Each listener consumer's prefetch, in bytes of encoded messages (see {@link #forListeners}). */
    static final int LISTENER_WINDOW_BYTES = 4 * 1024;
    /** How long a send waits for a free pooled session before it fails (pool default: forever). */
    static final long SESSION_WAIT_MS = 30_000;
    /**
     * Artemis' deny list matching every class: {@code ObjectMessage.getObject()} on a message from these factories
     * throws instead of running Java deserialization on bytes that any producer allowed on the queue chose. The
     * relay never reads an ObjectMessage ({@link JmsInput}); this holds for whatever else asks, a route of the
     * operator's among them. Not left to the URL: nothing the relay does needs it relaxed.
     */
    static final String DENY_ALL = "*";

    private JmsConnections() {
    }

    /**
     * A pool of at most {@code maxConnections} CORE connections, sessions pooled per connection.
     * Declared as the pool type (a {@link ConnectionFactory}) so the owner can {@code stop()} it
     * on shutdown.
     *
     * @param user     null for a broker without security
     * @param password null for a broker without security; never logged
     */
    public static JmsPoolConnectionFactory pooled(String brokerUrl, String user, String password, int maxConnections) {
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be >= 1: " + maxConnections);
        }
        JmsPoolConnectionFactory pool = new JmsPoolConnectionFactory();
        pool.setConnectionFactory(core(brokerUrl, user, password, 0));
        pool.setMaxConnections(maxConnections);
        pool.setBlockIfSessionPoolIsFullTimeout(SESSION_WAIT_MS);
        return pool;
    }

    /** An unpooled factory that rides out a broker restart by itself (see class comment): for plain clients. */
    public static ConnectionFactory plain(String brokerUrl, String user, String password) {
        return core(brokerUrl, user, password, RECONNECT_ATTEMPTS);
    }

    /**
     * The factory of the relay's own listener containers (camel-jms consumers and the dead-letter producer
     * that joins their transactions).
     * <ul>
     *   <li>No client-side reconnect: when the broker goes, the container sees the failure and rebuilds its
     *       connection, sessions and consumers (its recovery every 5 s). With Artemis' session reattach
     *       instead, a restart left a consumer whose transacted session was already closed still receiving:
     *       the message it got was rolled back at commit and sent to WeChat a second time by another
     *       consumer (seen in OperationsTest).</li>
     *   <li>A small prefetch, {@value #LISTENER_WINDOW_BYTES} bytes (a handful of messages) per consumer.
     *       Unbounded (Artemis' 1 MiB default), the first consumer would buffer a backlog (after a restart,
     *       say) while the others sit idle. None at all (window 0) made each receive a round trip in which
     *       the broker went round all its consumers for the one that asked: with 64 consumers that was most
     *       of the broker's CPU, and half the relay's per message. A message in a
     *       consumer's buffer is not acknowledged: at a consumer's close it goes back to the queue without
     *       counting as a delivery attempt, and after a crash it is delivered again (it was never sent).</li>
     * </ul>
     */
    public static ConnectionFactory forListeners(String brokerUrl, String user, String password) {
        ActiveMQConnectionFactory cf = core(brokerUrl, user, password, 0);
        if (!urlParameters(brokerUrl.strip()).contains("consumerWindowSize")) {
            cf.setConsumerWindowSize(LISTENER_WINDOW_BYTES);
        }
        return cf;
    }

    private static ActiveMQConnectionFactory core(String brokerUrl, String user, String password, int reconnects) {
        if (brokerUrl == null || brokerUrl.isBlank()) {
            throw new IllegalArgumentException("broker url is empty (kefu.broker.url)");
        }
        String url = brokerUrl.strip();
        ActiveMQConnectionFactory cf = new ActiveMQConnectionFactory(url, user, password);
        Set<String> given = urlParameters(url);
        if (!given.contains("initialConnectAttempts")) {
            cf.setInitialConnectAttempts(INITIAL_CONNECT_ATTEMPTS);
        }
        if (!given.contains("reconnectAttempts")) {
            cf.setReconnectAttempts(reconnects);
        }
        if (!given.contains("retryInterval")) {
            cf.setRetryInterval(RETRY_INTERVAL_MS);
        }
        if (!given.contains("retryIntervalMultiplier")) {
            cf.setRetryIntervalMultiplier(RETRY_MULTIPLIER);
        }
        if (!given.contains("maxRetryInterval")) {
            cf.setMaxRetryInterval(MAX_RETRY_INTERVAL_MS);
        }
        if (!given.contains("callFailoverTimeout")) {
            cf.setCallFailoverTimeout(CALL_FAILOVER_TIMEOUT_MS);
        }
        cf.setDeserializationDenyList(DENY_ALL);
        return cf;
    }

    /** Names of the query parameters in an Artemis URL, e.g. {@code tcp://h:1?a=1&b=2} gives a, b. */
    static Set<String> urlParameters(String url) {
        int q = url.lastIndexOf('?');
        if (q < 0) {
            return Set.of();
        }
        return Arrays.stream(url.substring(q + 1).split("&"))
                .map(p -> p.contains("=") ? p.substring(0, p.indexOf('=')) : p)
                .filter(p -> !p.isBlank())
                .collect(Collectors.toUnmodifiableSet());
    }
}
