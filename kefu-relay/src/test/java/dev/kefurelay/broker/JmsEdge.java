package dev.kefurelay.broker;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import dev.kefurelay.KefuRelay;
import dev.kefurelay.sandbox.WeChatSandbox;
import dev.kefurelay.testkit.TestRelays;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;

/**
 * The relay's JMS edge for the JMS input tests: a relay sending for two accounts through the sandbox over real HTTP,
 * and a started connection to its embedded broker over a real socket, as a producer's. One per test class; each test
 * makes its sessions on {@link #connection()}.
 */
final class JmsEdge implements AutoCloseable {

    static final String OTHER = "wxjmstest000000002";

    final WeChatSandbox sandbox;
    final KefuRelay relay;
    private final Connection connection;

    private JmsEdge(WeChatSandbox sandbox, KefuRelay relay, Connection connection) {
        this.sandbox = sandbox;
        this.relay = relay;
        this.connection = connection;
    }

    /** The sandbox, the relay with its folders under {@code dir}, and the connection. */
    static JmsEdge start(Path dir) throws Exception {
        WeChatSandbox sandbox = WeChatSandbox.start(0).account(TestRelays.APPID, TestRelays.SECRET)
                .account(OTHER, "other-secret");
        KefuRelay relay = KefuRelay.start(TestRelays.properties(dir, sandbox,
                Map.of("kefu.accounts." + OTHER + ".secret", "other-secret")));
        Connection connection = JmsConnections.plain(relay.broker().url(), null, null).createConnection();
        connection.start();
        return new JmsEdge(sandbox, relay, connection);
    }

    Connection connection() {
        return connection;
    }

    /** Puts {@code m} on kefu.outbound. */
    static void put(Session session, Message m) throws Exception {
        try (MessageProducer p = session.createProducer(session.createQueue("kefu.outbound"))) {
            p.send(m);
        }
    }

    /** The next dead letter, or null if none comes within 20 s. */
    static Message fromDlq(Session session) throws Exception {
        try (MessageConsumer c = session.createConsumer(session.createQueue("kefu.outbound.dlq"))) {
            return c.receive(Duration.ofSeconds(20).toMillis());
        }
    }

    @Override
    public void close() throws Exception {
        connection.close();
        relay.close();
        sandbox.close();
    }
}
