package dev.kefurelay;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import dev.kefurelay.broker.JmsConnections;
import dev.kefurelay.sandbox.WeChatSandbox;
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
 * With the embedded broker, the relay's own consumers reach it in-VM (no socket, no Netty on either side) while
 * producers outside still use its TCP URL; for a broker started in place (port 0) and beside Camel (fixed port).
 * With the broker's security on, they log in as any client does.
 */
class InVmListenersTest {

    @TempDir
    static Path dir;
    static WeChatSandbox sandbox;
    private static final String PASSWORD = "in-vm-test-password";

    @BeforeAll
    static void start() throws Exception {
        sandbox = WeChatSandbox.start(0).account(CoreDeliveryTest.APPID, CoreDeliveryTest.SECRET);
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void theRelaysConsumersAreInVmAndATcpProducersMessageIsDelivered(boolean fixedPort) throws Exception {
        Map<String, String> extra = fixedPort ? Map.of("kefu.broker.port", String.valueOf(PushTest.freePort())) : Map.of();
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
