package dev.kefurelay.broker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import dev.kefurelay.KefuRelay;
import dev.kefurelay.LogCapture;
import dev.kefurelay.Samples;
import dev.kefurelay.sandbox.WeChatSandbox;
import dev.kefurelay.testkit.JmsTestClient;
import dev.kefurelay.testkit.TestRelays;
import jakarta.jms.Connection;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.Session;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.Consumer;
import org.apache.activemq.artemis.core.server.ServerConsumer;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The relay and its embedded broker.
 * <ul>
 *   <li>With a fixed kefu.broker.port (what a deployed relay has) the broker starts beside Camel's configuration:
 *       the relay still takes JMS messages from its first one, and a broker that cannot start still stops the start
 *       with the broker's own reason.</li>
 *   <li>The relay's own consumers reach it in-VM (no socket, no Netty on either side) while producers outside still
 *       use its TCP URL, for a broker started in place (port 0) and beside Camel; with the broker's security on,
 *       they log in as any client does.</li>
 * </ul>
 */
class EmbeddedBrokerRelayTest {

    @TempDir
    static Path dir;
    static WeChatSandbox sandbox;
    private static final String PASSWORD = "in-vm-test-password";

    @BeforeAll
    static void start() throws Exception {
        sandbox = WeChatSandbox.start(0).account(TestRelays.APPID, TestRelays.SECRET);
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void aRelayOnAFixedBrokerPortDeliversFromTheQueueAndSaysTheBrokerStartedBeside() throws Exception {
        int port = freePort();
        long before = sandbox.deliveredCount();
        try (LogCapture log = LogCapture.open();
                KefuRelay relay = KefuRelay.start(TestRelays.properties(dir.resolve("fixed"), sandbox,
                        Map.of("kefu.broker.port", String.valueOf(port))))) {
            assertEquals("tcp://127.0.0.1:" + port, relay.broker().url());
            assertTrue(relay.broker().isRunning());
            try (JmsTestClient client = new JmsTestClient(relay.broker().url(), "kefu.outbound")) {
                client.sendText(Samples.text("from the first message on"));
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> sandbox.deliveredCount() == before + 1);
            assertTrue(log.text().matches("(?s).*start steps: .*broker \\d+ ms beside, broker wait \\d+ ms.*"),
                    log.text());
        }
    }

    @Test
    void aBrokerPortInUseStopsTheStartWithTheBrokersReason() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Map<String, String> p = TestRelays.properties(dir.resolve("busy"), sandbox,
                    Map.of("kefu.broker.port", String.valueOf(busy.getLocalPort())));
            // the broker's own exception, as when it starts in place: what KefuRelay.main prints
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> KefuRelay.start(p).close());
            assertTrue(e.getMessage().contains("could not listen on 127.0.0.1:" + busy.getLocalPort()), causes(e));
        }
    }

    private static String causes(Throwable e) {
        StringBuilder s = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            s.append(t).append(" <- ");
        }
        return s.toString();
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void theRelaysConsumersAreInVmAndATcpProducersMessageIsDelivered(boolean fixedPort) throws Exception {
        Map<String, String> extra = fixedPort ? Map.of("kefu.broker.port", String.valueOf(freePort())) : Map.of();
        long before = sandbox.deliveredCount();
        try (KefuRelay relay = KefuRelay.start(TestRelays.properties(dir.resolve("fixed-" + fixedPort), sandbox, extra))) {
            try (JmsTestClient client = new JmsTestClient(relay.broker().url(), "kefu.outbound")) {
                client.sendText(Samples.text("over TCP in, in-VM out"));
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> sandbox.deliveredCount() == before + 1);
            ActiveMQServer server = relay.broker().server();
            Collection<Consumer> consumers = server.locateQueue(SimpleString.of("kefu.outbound")).getConsumers();
            List<String> addresses = consumers.stream()
                    .map(c -> server.getSessionByID(((ServerConsumer) c).getSessionID()).getRemotingConnection().getRemoteAddress())
                    .toList();
            assertFalse(addresses.isEmpty());
            assertTrue(addresses.stream().allMatch(a -> a.startsWith("invm:")), addresses.toString());
        }
    }

    @Test
    void withBrokerSecurityTheInVmConsumersLogInAndAnInVmClientWithoutTheUserIsRefused() throws Exception {
        long before = sandbox.deliveredCount();
        try (KefuRelay relay = KefuRelay.start(TestRelays.properties(dir.resolve("secured"), sandbox,
                Map.of("kefu.broker.user", "relay", "kefu.broker.password", PASSWORD)))) {
            try (Connection c = JmsConnections.plain(relay.broker().url(), "relay", PASSWORD).createConnection()) {
                Session session = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                session.createProducer(session.createQueue("kefu.outbound"))
                        .send(session.createTextMessage(Samples.text("to a secured broker")));
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> sandbox.deliveredCount() == before + 1);
            // the in-VM acceptor is no way around the broker's login, even from inside the JVM
            JMSSecurityException refused = assertThrows(JMSSecurityException.class,
                    () -> new ActiveMQConnectionFactory(relay.broker().inVmUrl()).createConnection().close());
            assertFalse(String.valueOf(refused.getMessage()).contains(PASSWORD));
        }
    }
}
