package dev.kefurelay.broker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.kefurelay.testkit.JmsTestClient;
import dev.kefurelay.testkit.KefuSandboxExtension;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A producer's view of the relay's queue kefu.outbound and its dead letters, over the embedded broker's socket: a
 * client connected before each test (with the dead letters an earlier test left drained) and closed after it.
 * Register it on an instance field after the class's sandbox:
 * <pre>
 * &#64;RegisterExtension
 * static KefuSandboxExtension wechat = new KefuSandboxExtension();
 * &#64;RegisterExtension
 * final OutboundQueue queue = new OutboundQueue(wechat);
 * </pre>
 */
final class OutboundQueue implements BeforeEachCallback, AfterEachCallback {

    static final String QUEUE = "kefu.outbound";
    static final String DLQ = "kefu.outbound.dlq";

    private final KefuSandboxExtension wechat;
    private JmsTestClient client;

    OutboundQueue(KefuSandboxExtension wechat) {
        this.wechat = wechat;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        client = new JmsTestClient(wechat.brokerUrl(), QUEUE);
        // what an earlier test left there
        drainDlq();
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        client.close();
    }

    /** The client's session, to make messages with. */
    Session session() {
        return client.session();
    }

    /** All in one commit, so that the relay's consumers find a backlog and commit in batches. */
    void putAll(List<Message> messages) throws Exception {
        try (Session tx = client.connection().createSession(true, Session.SESSION_TRANSACTED);
                MessageProducer p = tx.createProducer(tx.createQueue(QUEUE))) {
            for (Message m : messages) {
                p.send(m);
            }
            tx.commit();
        }
    }

    /** Waits until the queue is empty (nothing in flight either) and the DLQ holds {@code dead} messages. */
    void awaitSettled(int dead) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).until(() ->
                wechat.relay().broker().messageCount(QUEUE) == 0
                        && wechat.relay().broker().messageCount(DLQ) == dead);
    }

    List<Message> drainDlq() throws Exception {
        List<Message> out = new ArrayList<>();
        Session session = client.session();
        try (MessageConsumer c = session.createConsumer(session.createQueue(DLQ))) {
            for (Message m = c.receive(500); m != null; m = c.receive(500)) {
                out.add(m);
            }
        }
        return out;
    }

    /** A dead letter of the relay's own: invalid input, its errmsg naming each part, no WeChat errcode. */
    static void assertInvalidInput(Message dead, String... errmsgParts) throws JMSException {
        String errmsg = dead.getStringProperty("KefuErrmsg");
        assertEquals("invalid-input", dead.getStringProperty("KefuReason"), errmsg);
        for (String part : errmsgParts) {
            assertTrue(errmsg.contains(part), "'" + part + "' in: " + errmsg);
        }
        assertNotNull(dead.getStringProperty("KefuFailedAt"));
        assertFalse(dead.propertyExists("KefuErrcode"), "no WeChat errcode");
    }
}
