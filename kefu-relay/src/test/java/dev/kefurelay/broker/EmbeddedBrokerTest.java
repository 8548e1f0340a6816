package dev.kefurelay.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.qpid.jms.JmsConnectionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedBrokerTest {

    private static final String QUEUE = BrokerSettings.DEFAULT_QUEUE;
    private static final String DLQ = BrokerSettings.DEFAULT_DLQ;

    @TempDir
    Path dir;

    @Test
    void coreClientSendsAndReceivesOverTcp() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start(BrokerSettings.loopback(dir, 0))) {
            assertTrue(broker.port() > 0);
            assertEquals("tcp://127.0.0.1:" + broker.port(), broker.url());
            assertTrue(broker.isRunning());

            ConnectionFactory cf = Jms.core(broker);
            Jms.send(cf, QUEUE, "hello core");
            assertEquals("hello core", Jms.receiveText(cf, QUEUE));
        }
    }

    @Test
    void createsJournalAndDurableQueuesUnderDataDir() {
        try (EmbeddedBroker broker = EmbeddedBroker.start(BrokerSettings.loopback(dir, 0))) {
            assertEquals(0, broker.messageCount(QUEUE));
            assertEquals(0, broker.messageCount(DLQ));
            assertEquals(-1, broker.messageCount("no.such.queue"));
            assertTrue(Files.isDirectory(dir.resolve("journal")));
            assertTrue(Files.isDirectory(dir.resolve("bindings")));
        }
    }

    @Test
    void amqpClientMessageIsReceivedByCoreConsumer() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start(BrokerSettings.loopback(dir, 0))) {
            ConnectionFactory amqp = new JmsConnectionFactory("amqp://127.0.0.1:" + broker.port());
            try (Connection c = amqp.createConnection()) {
                Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageProducer p = s.createProducer(s.createQueue(QUEUE));
                TextMessage m = s.createTextMessage("{\"touser\":\"o1\"}");
                m.setStringProperty("KefuAppId", "wx123");
                p.send(m);
            }
            try (Connection c = Jms.core(broker).createConnection()) {
                c.start();
                Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                Message got = s.createConsumer(s.createQueue(QUEUE)).receive(Jms.RECEIVE_TIMEOUT_MS);
                assertInstanceOf(TextMessage.class, got);
                assertEquals("{\"touser\":\"o1\"}", ((TextMessage) got).getText());
                assertEquals("wx123", got.getStringProperty("KefuAppId"));
            }
        }
    }

    @Test
    void messageRolledBackTenTimesEndsInDeadLetterQueue() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start(BrokerSettings.loopback(dir, 0))) {
            ConnectionFactory cf = Jms.core(broker);
            Jms.send(cf, QUEUE, "poison");

            try (Connection c = cf.createConnection()) {
                c.start();
                Session tx = c.createSession(true, Session.SESSION_TRANSACTED);
                MessageConsumer consumer = tx.createConsumer(tx.createQueue(QUEUE));
                for (int attempt = 1; attempt <= BrokerSettings.DEFAULT_MAX_DELIVERY_ATTEMPTS; attempt++) {
                    Message m = consumer.receive(Jms.RECEIVE_TIMEOUT_MS);
                    assertNotNull(m, "delivery " + attempt);
                    assertEquals(attempt, m.getIntProperty("JMSXDeliveryCount"));
                    tx.rollback();
                }
                // After the 10th rollback the broker has moved it: the queue must not offer it again.
                assertNull(consumer.receiveNoWait());
            }

            try (Connection c = cf.createConnection()) {
                c.start();
                Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                Message dead = s.createConsumer(s.createQueue(DLQ)).receive(Jms.RECEIVE_TIMEOUT_MS);
                assertInstanceOf(TextMessage.class, dead);
                assertEquals("poison", ((TextMessage) dead).getText());
                assertEquals(QUEUE, dead.getStringProperty("_AMQ_ORIG_ADDRESS"));
            }
            assertEquals(0, broker.messageCount(QUEUE));
            // No auto-created dead-letter address beside the contract's one.
            assertNull(broker.server().getPostOffice().getAddressInfo(SimpleString.of("DLQ")));
            assertNull(broker.server().locateQueue(SimpleString.of("DLQ." + QUEUE)));
        }
    }

    @Test
    void persistentMessageSurvivesRestartOnSameDataDir() throws Exception {
        EmbeddedBroker first = EmbeddedBroker.start(BrokerSettings.loopback(dir, 0));
        Jms.send(Jms.core(first), QUEUE, "keep me");
        first.close();
        first.close(); // idempotent
        assertFalse(first.isRunning());

        try (EmbeddedBroker second = EmbeddedBroker.start(BrokerSettings.loopback(dir, 0))) {
            assertEquals(1, second.messageCount(QUEUE));
            assertEquals("keep me", Jms.receiveText(Jms.core(second), QUEUE));
        }
    }

    @Test
    void backlogBeyondQueueMemoryPagesToDiskAndSurvivesRestart() throws Exception {
        BrokerSettings small = new BrokerSettings(dir, "127.0.0.1", 0, null, null, List.of(QUEUE), DLQ,
                BrokerSettings.DEFAULT_MAX_DELIVERY_ATTEMPTS, BrokerSettings.MIN_QUEUE_MEMORY);
        String filler = "x".repeat(4_000);
        int count = 1_000; // ~4 MB: four times the queue's memory
        try (EmbeddedBroker broker = EmbeddedBroker.start(small);
                Connection c = Jms.core(broker).createConnection()) {
            Session s = c.createSession(true, Session.SESSION_TRANSACTED);
            MessageProducer p = s.createProducer(s.createQueue(QUEUE));
            for (int i = 0; i < count; i++) {
                p.send(s.createTextMessage(i + ":" + filler));
            }
            s.commit();
            assertTrue(broker.server().getPagingManager().getPageStore(SimpleString.of(QUEUE)).isPaging(),
                    "the backlog beyond 1 MB should be paged, not held in memory");
            assertTrue(broker.server().getPagingManager().getPageStore(SimpleString.of(QUEUE)).getAddressSize()
                    <= 2 * BrokerSettings.MIN_QUEUE_MEMORY);
        }
        try (EmbeddedBroker again = EmbeddedBroker.start(small);
                Connection c = Jms.core(again).createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue(QUEUE));
            for (int i = 0; i < count; i++) {
                TextMessage m = (TextMessage) consumer.receive(Jms.RECEIVE_TIMEOUT_MS);
                assertNotNull(m, "message " + i + " of " + count);
                assertEquals(i + ":" + filler, m.getText(), "in order, none lost");
            }
            assertNull(consumer.receiveNoWait());
        }
    }

    @Test
    void queueMemoryBelowOneMegabyteIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new BrokerSettings(dir,
                "127.0.0.1", 0, null, null, List.of(QUEUE), DLQ, BrokerSettings.DEFAULT_MAX_DELIVERY_ATTEMPTS, 1000));
        assertTrue(e.getMessage().contains("kefu.broker.queue-memory"), e.getMessage());
    }

    @Test
    void twoBrokersInParallelDoNotClashOverTcpOrInVm() throws Exception {
        Path a = Files.createDirectory(dir.resolve("a"));
        Path b = Files.createDirectory(dir.resolve("b"));
        try (EmbeddedBroker one = EmbeddedBroker.start(BrokerSettings.loopback(a, 0));
             EmbeddedBroker two = EmbeddedBroker.start(BrokerSettings.loopback(b, 0))) {
            assertNotEquals(one.port(), two.port());
            assertNotEquals(one.inVmUrl(), two.inVmUrl());
            Jms.send(Jms.core(one), QUEUE, "for one");
            Jms.send(Jms.core(two), QUEUE, "for two");
            assertEquals("for one", Jms.receiveText(Jms.core(one), QUEUE));
            assertEquals("for two", Jms.receiveText(Jms.core(two), QUEUE));
            // this JVM's clients reach each one in-VM as well: in-VM in, TCP out, the same broker and queue
            Jms.send(new ActiveMQConnectionFactory(one.inVmUrl()), QUEUE, "in-VM to one");
            Jms.send(new ActiveMQConnectionFactory(two.inVmUrl()), QUEUE, "in-VM to two");
            assertEquals("in-VM to one", Jms.receiveText(Jms.core(one), QUEUE));
            assertEquals("in-VM to two", Jms.receiveText(Jms.core(two), QUEUE));
            assertEquals(0, one.messageCount(QUEUE));
            assertEquals(0, two.messageCount(QUEUE));
        }
    }

    @Test
    void secondBrokerOnSameDataDirFailsInsteadOfWaitingForever() {
        try (EmbeddedBroker running = EmbeddedBroker.start(BrokerSettings.loopback(dir, 0))) {
            IllegalStateException e = assertTimeoutPreemptively(Duration.ofSeconds(20), () ->
                    assertThrows(IllegalStateException.class, () -> EmbeddedBroker.start(BrokerSettings.loopback(dir, 0))));
            assertTrue(e.getMessage().contains("data dir"), e.getMessage());
            assertTrue(running.isRunning());
        }
    }

    @Test
    void connectHostForWildcardAndIpv6Binds() {
        assertEquals("127.0.0.1", EmbeddedBroker.connectHost("0.0.0.0"));
        assertEquals("127.0.0.1", EmbeddedBroker.connectHost("::"));
        assertEquals("[::1]", EmbeddedBroker.connectHost("::1"));
        assertEquals("localhost", EmbeddedBroker.connectHost("localhost"));
    }

    @Test
    void portAlreadyInUseFailsStart() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            BrokerSettings settings = BrokerSettings.loopback(dir, taken.getLocalPort());
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> EmbeddedBroker.start(settings));
            assertTrue(e.getMessage().contains(":" + taken.getLocalPort()), e.getMessage());
        }
        // The failed start released the data dir: a new broker can use it.
        try (EmbeddedBroker broker = EmbeddedBroker.start(BrokerSettings.loopback(dir, 0))) {
            assertTrue(broker.isRunning());
        }
    }
}
