package dev.kefurelay.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.server.Queue;
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
    void listenersPrefetchAFewMessagesEachAndWhatTheyHeldBackCountsAsNoDeliveryAttempt() throws Exception {
        int backlog = 300;
        try (EmbeddedBroker broker = EmbeddedBroker.start(BrokerSettings.loopback(dir, 0))) {
            ConnectionFactory producers = JmsConnections.plain(broker.url(), null, null);
            try (Connection c = producers.createConnection()) {
                Session s = c.createSession(true, Session.SESSION_TRANSACTED);
                MessageProducer producer = s.createProducer(s.createQueue(QUEUE));
                for (int i = 0; i < backlog; i++) {
                    producer.send(s.createTextMessage("{\"touser\":\"oUser\",\"msgtype\":\"text\",\"text\":{\"content\":\"m"
                            + i + "\"}}"));
                }
                s.commit();
            }
            Queue queue = broker.server().locateQueue(SimpleString.of(QUEUE));
            ConnectionFactory listeners = JmsConnections.forListeners(broker.inVmUrl(), null, null);
            try (Connection first = listeners.createConnection(); Connection second = listeners.createConnection()) {
                first.start();
                second.start();
                Session a = first.createSession(true, Session.SESSION_TRANSACTED);
                Session b = second.createSession(true, Session.SESSION_TRANSACTED);
                MessageConsumer ca = a.createConsumer(a.createQueue(QUEUE));
                assertNotNull(ca.receive(5_000));
                a.commit();
                // the first consumer holds a few in its buffer, not the backlog: the second one is not starved
                MessageConsumer cb = b.createConsumer(b.createQueue(QUEUE));
                assertNotNull(cb.receive(5_000));
                b.commit();
                long held = queue.getDeliveringCount();
                assertTrue(held > 0 && held < 50, "messages held in the two consumers' buffers: " + held);
                ca.close(); // a graceful close: its buffer goes back to the queue
                cb.close();
            }
            // every message left is there once, and none was counted as delivered: maxDeliveryAttempts is untouched
            ConnectionFactory plain = JmsConnections.plain(broker.url(), null, null);
            int left = 0;
            try (Connection c = plain.createConnection()) {
                c.start();
                Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageConsumer consumer = s.createConsumer(s.createQueue(QUEUE));
                for (Message m = consumer.receive(2_000); m != null; m = consumer.receive(500)) {
                    assertEquals(1, m.getIntProperty("JMSXDeliveryCount"), ((TextMessage) m).getText());
                    left++;
                }
            }
            assertEquals(backlog - 2, left);
        }
    }

    @Test
    void listenerWindowDefaultAndUrlOverride() {
        ActiveMQConnectionFactory listeners = (ActiveMQConnectionFactory)
                JmsConnections.forListeners("tcp://127.0.0.1:1", null, null);
        assertEquals(JmsConnections.LISTENER_WINDOW_BYTES, listeners.getConsumerWindowSize());
        ActiveMQConnectionFactory operator = (ActiveMQConnectionFactory)
                JmsConnections.forListeners("tcp://127.0.0.1:1?consumerWindowSize=0", null, null);
        assertEquals(0, operator.getConsumerWindowSize());
    }

    @Test
    void everyFactoryRefusesToDeserializeWhateverTheUrlSays() {
        String url = "tcp://127.0.0.1:1?deserializationDenyList=&deserializationAllowList=java";
        JmsPoolConnectionFactory pool = JmsConnections.pooled(url, null, null, 1);
        try {
            for (ConnectionFactory cf : List.of(JmsConnections.plain(url, null, null),
                    JmsConnections.forListeners(url, null, null), (ConnectionFactory) pool.getConnectionFactory())) {
                assertEquals("*", ((ActiveMQConnectionFactory) cf).getDeserializationDenyList());
            }
        } finally {
            pool.stop();
        }
    }

    @Test
    void rejectsNonsense() {
        assertThrows(IllegalArgumentException.class, () -> JmsConnections.pooled("tcp://127.0.0.1:1", null, null, 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> JmsConnections.plain(" ", null, null));
        assertEquals("broker url is empty (kefu.broker.url)", e.getMessage());
    }
}
