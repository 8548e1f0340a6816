package dev.kefurelay.broker;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import dev.kefurelay.KefuRelay;
import dev.kefurelay.sandbox.WeChatSandbox;
import dev.kefurelay.testkit.TempDirs;
import dev.kefurelay.testkit.TestRelays;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The relay's JMS edge for the JMS input tests: a relay sending for two accounts through the sandbox over real HTTP,
 * and a started connection to its embedded broker over a real socket, as a producer's. Sandbox, relay and connection
 * live for the test class (a relay takes about a second to start); each test gets a clean sandbox and a session of
 * its own, closed after it. Register it on a static field:
 * <pre>
 * &#64;RegisterExtension
 * static final JmsEdge edge = new JmsEdge();
 * </pre>
 */
final class JmsEdge implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

    static final String OTHER = "wxjmstest000000002";

    private Path dir;
    private WeChatSandbox sandbox;
    private KefuRelay relay;
    private Connection connection;
    private Session session;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        dir = TempDirs.create("kefu-jms-edge");
        sandbox = WeChatSandbox.start(0).account(TestRelays.APPID, TestRelays.SECRET).account(OTHER, "other-secret");
        relay = KefuRelay.start(TestRelays.properties(dir, sandbox,
                Map.of("kefu.accounts." + OTHER + ".secret", "other-secret")));
        connection = JmsConnections.plain(relay.broker().url(), null, null).createConnection();
        connection.start();
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        // what an earlier test delivered or set up as a fault must not count in this one
        sandbox.reset();
        session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        session.close();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        // in the order they depend on each other; whatever beforeAll got to start
        try {
            if (connection != null) {
                connection.close();
            }
        } finally {
            if (relay != null) {
                relay.close();
            }
            if (sandbox != null) {
                sandbox.close();
            }
            TempDirs.deleteQuietly(dir);
        }
    }

    WeChatSandbox sandbox() {
        return sandbox;
    }

    /** This test's session, to make messages with. */
    Session session() {
        return session;
    }

    /** Puts {@code m} on kefu.outbound. */
    void put(Message m) throws Exception {
        try (MessageProducer p = session.createProducer(session.createQueue("kefu.outbound"))) {
            p.send(m);
        }
    }

    /** The next dead letter, or null if none comes within 20 s. */
    Message fromDlq() throws Exception {
        try (MessageConsumer c = session.createConsumer(session.createQueue("kefu.outbound.dlq"))) {
            return c.receive(Duration.ofSeconds(20).toMillis());
        }
    }
}
