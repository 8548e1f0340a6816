package dev.kefurelay.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.JMSSecurityException;

import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrokerSecurityTest {

    private static final String USER = "relay";
    private static final String PASSWORD = "pw-7f3a9c-secret";
    private static final String QUEUE = BrokerSettings.DEFAULT_QUEUE;

    @TempDir
    Path dir;

    @Test
    void nonLoopbackBindWithoutUserIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BrokerSettings.of(dir, "0.0.0.0", 0, null, null));
        assertTrue(e.getMessage().contains("kefu.broker.user"), e.getMessage());
        assertTrue(e.getMessage().contains("kefu.broker.password"), e.getMessage());

        // Blank counts as missing (an empty property or environment variable).
        assertThrows(IllegalArgumentException.class, () -> BrokerSettings.of(dir, "10.1.2.3", 0, " ", ""));
    }

    @Test
    void halfConfiguredUserIsRefusedNamingTheMissingProperty() {
        IllegalArgumentException noPassword = assertThrows(IllegalArgumentException.class,
                () -> BrokerSettings.of(dir, "127.0.0.1", 0, USER, null));
        assertTrue(noPassword.getMessage().contains("kefu.broker.password"), noPassword.getMessage());

        IllegalArgumentException noUser = assertThrows(IllegalArgumentException.class,
                () -> BrokerSettings.of(dir, "0.0.0.0", 0, "", PASSWORD));
        assertTrue(noUser.getMessage().contains("kefu.broker.user"), noUser.getMessage());
        assertFalse(noUser.getMessage().contains(PASSWORD));
    }

    @Test
    void loopbackMayRunWithoutSecurity() {
        for (String host : List.of("127.0.0.1", "localhost", "::1", "[::1]", "127.0.1.1")) {
            assertTrue(BrokerSettings.isLoopback(host), host);
        }
        for (String host : List.of("0.0.0.0", "::", "10.1.2.3", "192.168.0.10", "no-such-host.invalid")) {
            assertFalse(BrokerSettings.isLoopback(host), host);
        }
        assertFalse(BrokerSettings.of(dir, "localhost", 0, null, null).securityEnabled());
    }

    @Test
    void passwordNeverAppearsInToString() {
        BrokerSettings s = BrokerSettings.of(dir, "0.0.0.0", 0, USER, PASSWORD);
        assertFalse(s.toString().contains(PASSWORD), s.toString());
        assertTrue(s.toString().contains("password=***"));
    }

    @Test
    void withUserOnlyAuthenticatedClientsGetIn() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start(BrokerSettings.of(dir, "0.0.0.0", 0, USER, PASSWORD))) {
            // Bound to every interface, but this test (and the relay itself) connects via loopback.
            assertEquals("tcp://127.0.0.1:" + broker.port(), broker.url());

            ConnectionFactory anonymous = new ActiveMQConnectionFactory(broker.url());
            assertThrows(JMSSecurityException.class, () -> anonymous.createConnection().close());

            ConnectionFactory wrongPassword = new ActiveMQConnectionFactory(broker.url(), USER, "not-it");
            JMSException refused = assertThrows(JMSSecurityException.class,
                    () -> wrongPassword.createConnection().close());
            assertFalse(String.valueOf(refused.getMessage()).contains("not-it"));

            ConnectionFactory relay = new ActiveMQConnectionFactory(broker.url(), USER, PASSWORD);
            Jms.send(relay, QUEUE, "authenticated");
            assertEquals("authenticated", Jms.receiveText(relay, QUEUE));
        }
    }
}
