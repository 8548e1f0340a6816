package dev.kefurelay.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.messaginghub.pooled.jms.JmsPoolConnectionFactory;

class JmsConnectionsTest {

    private static final String QUEUE = BrokerSettings.DEFAULT_QUEUE;

    @TempDir
    Path dir;

    @Test
    void pooledProducerAndPlainConsumerTalkThroughTheBroker() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start(BrokerSettings.loopback(dir, 0))) {
            JmsPoolConnectionFactory producers = JmsConnections.pooled(broker.url(), null, null, 2);
            try {
                for (int i = 0; i < 5; i++) {
                    Jms.send(producers, QUEUE, "m" + i);
                }
            } finally {
                producers.stop();
            }
            ConnectionFactory consumers = JmsConnections.plain(broker.url(), null, null);
            for (int i = 0; i < 5; i++) {
                assertEquals("m" + i, Jms.receiveText(consumers, QUEUE));
            }
        }
    }

    @Test
    void missingBrokerFailsFastInsteadOfRetryingForever() throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        ConnectionFactory cf = JmsConnections.plain("tcp://127.0.0.1:" + closedPort, null, null);
        assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> assertThrows(JMSException.class, () -> cf.createConnection().close()));
    }

    @Test
    void pooledFactorySurvivesBrokerRestart() throws Exception {
        EmbeddedBroker first = EmbeddedBroker.start(BrokerSettings.loopback(dir, 0));
        int port = first.port();
        JmsPoolConnectionFactory producers = JmsConnections.pooled(first.url(), null, null, 1);
        try {
            Jms.send(producers, QUEUE, "before");
            first.close();
            // Same port and data dir: what a restarted broker looks like to its clients.
            try (EmbeddedBroker second = EmbeddedBroker.start(BrokerSettings.loopback(dir, port))) {
                Jms.send(producers, QUEUE, "after");
                ConnectionFactory consumers = JmsConnections.plain(second.url(), null, null);
                assertEquals("before", Jms.receiveText(consumers, QUEUE));
                assertEquals("after", Jms.receiveText(consumers, QUEUE));
            }
        } finally {
            producers.stop();
        }
    }

    @Test
    void plainConsumerRidesOutBrokerRestart() throws Exception {
        EmbeddedBroker first = EmbeddedBroker.start(BrokerSettings.loopback(dir, 0));
        EmbeddedBroker second = null;
        try {
            Connection c = JmsConnections.plain(first.url(), null, null).createConnection();
            try (c) {
                c.start();
                Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageConsumer consumer = s.createConsumer(s.createQueue(QUEUE));
                first.close();
                second = EmbeddedBroker.start(BrokerSettings.loopback(dir, first.port()));
                Jms.send(Jms.core(second), QUEUE, "after restart");
                // The same consumer, re-created by the client on the new broker.
                Message m = consumer.receive(Jms.RECEIVE_TIMEOUT_MS);
                assertInstanceOf(TextMessage.class, m);
                assertEquals("after restart", ((TextMessage) m).getText());
            } // the client leaves before the broker stops, as the relay does on shutdown
        } finally {
            first.close();
            if (second != null) {
                second.close();
            }
        }
    }

    @Test
    void reconnectDefaultsAndUrlOverrides() {
        ActiveMQConnectionFactory plain = (ActiveMQConnectionFactory) JmsConnections.plain("tcp://127.0.0.1:1", null, null);
        assertEquals(JmsConnections.RECONNECT_ATTEMPTS, plain.getReconnectAttempts());
        assertEquals(1, plain.getInitialConnectAttempts());

        JmsPoolConnectionFactory pool = JmsConnections.pooled("tcp://127.0.0.1:1", null, null, 1);
        assertEquals(0, ((ActiveMQConnectionFactory) pool.getConnectionFactory()).getReconnectAttempts());
        pool.stop();

        ActiveMQConnectionFactory operator = (ActiveMQConnectionFactory)
                JmsConnections.plain("tcp://127.0.0.1:1?reconnectAttempts=-1&retryInterval=100", null, null);
        assertEquals(-1, operator.getReconnectAttempts());
        assertEquals(100, operator.getRetryInterval());
        assertEquals(Set.of("a", "b"), JmsConnections.urlParameters("(tcp://h:1,tcp://h:2)?a=1&b"));
    }

    @Test
    void rejectsNonsense() {
        assertThrows(IllegalArgumentException.class, () -> JmsConnections.pooled("tcp://127.0.0.1:1", null, null, 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> JmsConnections.plain(" ", null, null));
        assertEquals("broker url is empty (kefu.broker.url)", e.getMessage());
    }
}
