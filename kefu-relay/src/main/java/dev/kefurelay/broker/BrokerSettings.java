package dev.kefurelay.broker;

import static dev.kefurelay.util.Strings.blankToNull;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import dev.kefurelay.config.Key;

/**
 * What the embedded broker needs to start. Validated on construction, so an instance that
 * exists is safe to start: in particular a broker reachable beyond loopback always has a user.
 *
 * @param dataDir             journal, bindings, paging and large messages live below this folder
 * @param bindHost            acceptor host ({@code kefu.broker.bind}); {@code 0.0.0.0} = every interface
 * @param port                acceptor port; {@code 0} = let the OS pick a free one (see {@link EmbeddedBroker#url()})
 * @param user                the one broker user ({@code kefu.broker.user}); {@code null}/blank = no security
 * @param password            its password ({@code kefu.broker.password}); never printed
 * @param queues              durable anycast queues to create (e.g. {@code kefu.outbound})
 * @param deadLetterQueue     where messages go after {@code maxDeliveryAttempts} failed deliveries
 * @param maxDeliveryAttempts deliveries (1 + redeliveries) before a message is dead-lettered
 * @param queueMemoryBytes    bytes of messages one queue keeps in memory; the broker pages the rest to
 *                            {@code dataDir/paging} ({@code kefu.broker.queue-memory})
 */
public record BrokerSettings(
        Path dataDir,
        String bindHost,
        int port,
        String user,
        String password,
        List<String> queues,
        String deadLetterQueue,
        int maxDeliveryAttempts,
        long queueMemoryBytes) {

    public static final String DEFAULT_BIND = "127.0.0.1";
    public static final int DEFAULT_PORT = 61616;
    public static final String DEFAULT_QUEUE = "kefu.outbound";
    public static final String DEFAULT_DLQ = "kefu.outbound.dlq";
    /** Contract: a message that keeps failing is dead-lettered after this many deliveries. */
    public static final int DEFAULT_MAX_DELIVERY_ATTEMPTS = 10;
    public static final long DEFAULT_QUEUE_MEMORY = 16L << 20;
    /** Below this the broker would page almost every message, one page file per few messages. */
    public static final long MIN_QUEUE_MEMORY = 1L << 20;

    public BrokerSettings {
        Objects.requireNonNull(dataDir, "dataDir");
        bindHost = blankToNull(bindHost) == null ? DEFAULT_BIND : bindHost.strip();
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("broker port out of range: " + port);
        }
        user = blankToNull(user);
        password = blankToNull(password);
        queues = List.copyOf(Objects.requireNonNull(queues, "queues"));
        if (queues.stream().anyMatch(q -> blankToNull(q) == null)) {
            throw new IllegalArgumentException("queue names must not be blank");
        }
        if (blankToNull(deadLetterQueue) == null) {
            throw new IllegalArgumentException("deadLetterQueue must not be blank (" + Key.JMS_DLQ.key() + ")");
        }
        if (maxDeliveryAttempts < 1) {
            throw new IllegalArgumentException("maxDeliveryAttempts must be >= 1: " + maxDeliveryAttempts);
        }
        if (queueMemoryBytes < MIN_QUEUE_MEMORY) {
            throw new IllegalArgumentException(Key.BROKER_QUEUE_MEMORY.key() + " must be at least 1MB: " + queueMemoryBytes
                    + " bytes");
        }
        // A half-configured user is a mistake either way; say which property is missing.
        if (user != null && password == null) {
            throw new IllegalArgumentException(Key.BROKER_USER.key() + " is set but " + Key.BROKER_PASSWORD.key() + " is empty");
        }
        if (user == null && password != null) {
            throw new IllegalArgumentException(Key.BROKER_PASSWORD.key() + " is set but " + Key.BROKER_USER.key() + " is empty");
        }
        // An open broker on the network would let anyone inject messages that get sent to WeChat.
        if (user == null && !isLoopback(bindHost)) {
            throw new IllegalArgumentException("embedded broker bound to " + bindHost
                    + " (beyond loopback) needs " + Key.BROKER_USER.key() + " and " + Key.BROKER_PASSWORD.key());
        }
    }

    /**
     * The usual embedded broker: queue {@code kefu.outbound}, DLQ {@code kefu.outbound.dlq},
     * 10 delivery attempts. {@code user}/{@code password} may be null on a loopback bind.
     */
    public static BrokerSettings of(Path dataDir, String bindHost, int port, String user, String password) {
        return new BrokerSettings(dataDir, bindHost, port, user, password,
                List.of(DEFAULT_QUEUE), DEFAULT_DLQ, DEFAULT_MAX_DELIVERY_ATTEMPTS, DEFAULT_QUEUE_MEMORY);
    }

    /** Loopback only, no security; {@code port} 0 picks a free port (tests). */
    public static BrokerSettings loopback(Path dataDir, int port) {
        return of(dataDir, DEFAULT_BIND, port, null, null);
    }

    public boolean securityEnabled() {
        return user != null;
    }

    /** The record's default toString would print the password. */
    @Override
    public String toString() {
        return "BrokerSettings[dataDir=" + dataDir + ", bindHost=" + bindHost + ", port=" + port
                + ", user=" + user + ", password=" + (password == null ? "null" : "***")
                + ", queues=" + queues + ", deadLetterQueue=" + deadLetterQueue
                + ", maxDeliveryAttempts=" + maxDeliveryAttempts + ", queueMemoryBytes=" + queueMemoryBytes + "]";
    }

    /**
     * True for 127.0.0.0/8, ::1 and names resolving to them ("localhost"). Anything that does not
     * resolve counts as non-loopback, so the safe rule (user required) applies.
     */
    static boolean isLoopback(String host) {
        String h = host.strip();
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.toLowerCase(Locale.ROOT).equals("localhost")) {
            return true;
        }
        try {
            return InetAddress.getByName(h).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
