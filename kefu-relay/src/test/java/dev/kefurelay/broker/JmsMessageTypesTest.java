package dev.kefurelay.broker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import dev.kefurelay.LogCapture;
import dev.kefurelay.Samples;
import dev.kefurelay.testkit.JmsTestClient;
import dev.kefurelay.testkit.KefuSandboxExtension;
import jakarta.jms.BytesMessage;
import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.ObjectMessage;
import jakarta.jms.Session;
import jakarta.jms.StreamMessage;
import jakarta.jms.TextMessage;
import org.apache.activemq.artemis.api.core.ActiveMQBuffer;
import org.apache.activemq.artemis.jms.client.ActiveMQMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every kind of JMS message a producer can put on the relay's queue, end to end (the embedded broker over its
 * socket, the sandbox over HTTP). One the relay cannot read is an invalid-input outcome of its own, dead-lettered
 * with the reason and its original body, and nothing else in its consumer's batch is rolled back and sent again.
 */
class JmsMessageTypesTest {

    private static final String QUEUE = "kefu.outbound";
    private static final String DLQ = "kefu.outbound.dlq";

    @RegisterExtension
    static KefuSandboxExtension wechat = new KefuSandboxExtension();

    private JmsTestClient client;
    private Session session;

    @BeforeEach
    void connect() throws Exception {
        client = new JmsTestClient(wechat.brokerUrl(), "kefu.outbound");
        session = client.session();
        Gadget.READ.set(0);
        // what an earlier test left there
        drainDlq();
    }

    @AfterEach
    void disconnect() throws Exception {
        client.close();
    }

    /** All in one commit, so that the relay's consumers find a backlog and commit in batches. */
    private void putAll(List<Message> messages) throws Exception {
        try (Session tx = client.connection().createSession(true, Session.SESSION_TRANSACTED);
                MessageProducer p = tx.createProducer(tx.createQueue(QUEUE))) {
            for (Message m : messages) {
                p.send(m);
            }
            tx.commit();
        }
    }

    /** Waits until the queue is empty (nothing in flight either) and the DLQ holds {@code dead} messages. */
    private void awaitSettled(int dead) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).until(() ->
                wechat.relay().broker().messageCount(QUEUE) == 0
                        && wechat.relay().broker().messageCount(DLQ) == dead);
    }

    private List<Message> drainDlq() throws Exception {
        List<Message> out = new ArrayList<>();
        try (MessageConsumer c = session.createConsumer(session.createQueue(DLQ))) {
            for (Message m = c.receive(500); m != null; m = c.receive(500)) {
                out.add(m);
            }
        }
        return out;
    }

    private static void assertInvalidInput(Message dead, String... errmsgParts) throws JMSException {
        String errmsg = dead.getStringProperty("KefuErrmsg");
        assertEquals("invalid-input", dead.getStringProperty("KefuReason"), errmsg);
        for (String part : errmsgParts) {
            assertTrue(errmsg.contains(part), "'" + part + "' in: " + errmsg);
        }
        assertNotNull(dead.getStringProperty("KefuFailedAt"));
        assertFalse(dead.propertyExists("KefuErrcode"), "no WeChat errcode");
    }

    private StreamMessage stream(int n) throws JMSException {
        StreamMessage m = session.createStreamMessage();
        m.writeString(Samples.text("stream " + n));
        m.writeInt(n);
        m.setIntProperty("Poison", n);
        return m;
    }

    @Test
    void aStreamMessageAmongTextMessagesIsDeadLetteredAndNoTextMessageIsSentTwice() throws Exception {
        List<Message> messages = new ArrayList<>();
        int texts = 200;
        for (int i = 0; i < texts; i++) {
            // no id: only the relay's own bookkeeping keeps these from being sent twice
            messages.add(session.createTextMessage(Samples.text("m-" + i)));
            if (i % 20 == 19) {
                messages.add(stream(i / 20));
            }
        }
        putAll(messages);
        awaitSettled(texts / 20);

        List<String> delivered = wechat.delivered().stream()
                .map(d -> d.body().path("text").path("content").asText()).toList();
        assertEquals(texts, new HashSet<>(delivered).size(), "every text message delivered");
        assertEquals(texts, delivered.size(), "deliveries at WeChat: none sent twice");

        List<Message> dead = drainDlq();
        assertEquals(texts / 20, dead.size());
        for (Message m : dead) {
            StreamMessage s = assertInstanceOf(StreamMessage.class, m, "the dead letter is the original StreamMessage");
            assertInvalidInput(s, "StreamMessage", "TextMessage", "BytesMessage");
            int n = s.getIntProperty("Poison");
            assertEquals(Samples.text("stream " + n), s.readString(), "its body is kept");
            assertEquals(n, s.readInt());
        }
    }

    @Test
    void everyJmsMessageTypeEndsWithAnOutcomeOfItsOwn() throws Exception {
        TextMessage text = session.createTextMessage(Samples.text("as text"));
        BytesMessage bytes = session.createBytesMessage();
        bytes.writeBytes(Samples.text("as bytes").getBytes(StandardCharsets.UTF_8));
        MapMessage map = session.createMapMessage();
        map.setString("touser", "oMapUser0000001");
        map.setString("msgtype", "text");
        map.setInt("count", 3);
        StreamMessage stream = stream(7);
        ObjectMessage object = session.createObjectMessage(Samples.text("as object"));
        Message empty = session.createMessage();
        List<Message> all = List.of(text, bytes, map, stream, object, empty);
        for (Message m : all) {
            m.setStringProperty("Kind", m.getClass().getSimpleName());
            m.setJMSCorrelationID("corr-" + m.getClass().getSimpleName());
        }
        putAll(all);
        awaitSettled(4);

        assertEquals(2, wechat.delivered().size());
        Map<String, Message> dead = new HashMap<>();
        for (Message m : drainDlq()) {
            dead.put(m.getStringProperty("Kind"), m);
        }
        assertEquals(4, dead.size(), dead.keySet().toString());

        MapMessage deadMap = assertInstanceOf(MapMessage.class, dead.get(map.getClass().getSimpleName()));
        assertInvalidInput(deadMap, "MapMessage", "TextMessage or BytesMessage");
        assertEquals("oMapUser0000001", deadMap.getString("touser"));
        assertEquals(3, deadMap.getInt("count"));
        assertEquals("corr-" + map.getClass().getSimpleName(), deadMap.getJMSCorrelationID());

        StreamMessage deadStream = assertInstanceOf(StreamMessage.class, dead.get(stream.getClass().getSimpleName()));
        assertInvalidInput(deadStream, "StreamMessage");
        assertEquals(7, deadStream.getIntProperty("Poison"));

        Message deadObject = dead.get(object.getClass().getSimpleName());
        assertInstanceOf(ObjectMessage.class, deadObject);
        assertInvalidInput(deadObject, "ObjectMessage", "never deserializes");

        Message deadEmpty = dead.get(empty.getClass().getSimpleName());
        assertInvalidInput(deadEmpty, "no body");
        assertFalse(deadEmpty instanceof TextMessage || deadEmpty instanceof BytesMessage);
    }

    @Test
    void anObjectMessageIsRefusedWithoutBeingDeserialized() throws Exception {
        ObjectMessage m = session.createObjectMessage(new Gadget("payload"));
        m.setStringProperty("OrderNo", "A-3003");
        putAll(List.of(m));
        awaitSettled(1);

        assertEquals(0, Gadget.READ.get(), "the relay deserialized the ObjectMessage");
        assertEquals(0, wechat.sandbox().sendCalls(), "WeChat is never called");
        Message dead = drainDlq().get(0);
        assertInvalidInput(dead, "ObjectMessage");
        assertEquals("A-3003", dead.getStringProperty("OrderNo"));
        assertEquals(0, Gadget.READ.get(), "dead-lettering it deserialized it");
        // the relay's own clients refuse to deserialize anything, whoever asks them to
        JMSException refused = assertThrows(JMSException.class, () -> ((ObjectMessage) dead).getObject());
        assertNotNull(refused.getMessage());
        assertEquals(0, Gadget.READ.get());

        // the body is kept as sent: the same serialized bytes, which the test reads itself
        byte[] sent = serialized(new Gadget("payload"));
        ActiveMQBuffer body = ((ActiveMQMessage) dead).getCoreMessage().getReadOnlyBodyBuffer();
        byte[] kept = new byte[body.readInt()];
        body.readBytes(kept);
        assertArrayEquals(sent, kept);
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(kept))) {
            assertEquals(new Gadget("payload"), in.readObject());
        }
        // and this is what the flag would have shown: the test can see a deserialization
        assertEquals(1, Gadget.READ.get());
    }

    @Test
    void aKefuPropertyOfTheWrongTypeIsInvalidInputNamingIt() throws Exception {
        // over Artemis' large-message size too: its dead letter is the message as received, streamed body and all
        String large = Samples.text("int appid " + "长".repeat(100_000));
        TextMessage intAppid = session.createTextMessage(large);
        intAppid.setIntProperty("KefuAppId", 12345);
        intAppid.setStringProperty("Case", "int-appid");
        TextMessage boolUser = session.createTextMessage("plain text");
        boolUser.setBooleanProperty("KefuToUser", true);
        boolUser.setStringProperty("Case", "bool-touser");
        TextMessage media = session.createTextMessage(
                "{\"touser\":\"oMediaUser00001\",\"msgtype\":\"image\",\"image\":{}}");
        media.setStringProperty("KefuMedia", "not bytes");
        media.setStringProperty("Case", "media");
        putAll(List.of(intAppid, boolUser, media));
        awaitSettled(3);

        Map<String, Message> dead = new HashMap<>();
        for (Message m : drainDlq()) {
            dead.put(m.getStringProperty("Case"), m);
        }
        assertInvalidInput(dead.get("int-appid"), "KefuAppId", "string", "int");
        assertEquals(12345, dead.get("int-appid").getIntProperty("KefuAppId"), "the property is kept as sent");
        assertEquals(large, ((TextMessage) dead.get("int-appid")).getText(), "the body is kept");
        assertInvalidInput(dead.get("bool-touser"), "KefuToUser", "string", "boolean");
        assertInvalidInput(dead.get("media"), "KefuMedia");
        assertEquals(0, wechat.sandbox().sendCalls(), "WeChat is never called");
    }

    @Test
    void aPropertyNamedLikeCamelsOwnHeadersCannotRedirectTheDeadLetter() throws Exception {
        TextMessage m = session.createTextMessage("{\"touser\":\"o1\",\"msgtype\":\"text\"}");
        m.setStringProperty("CAMELJmsDestinationName", "kefu.elsewhere");
        putAll(List.of(m));
        awaitSettled(1);
        Message dead = drainDlq().get(0);
        assertInvalidInput(dead, "CAMELJmsDestinationName");
        assertEquals(-1, wechat.relay().broker().messageCount("kefu.elsewhere"));
    }

    @Test
    void anAppidWithANewlineKeepsTheOutcomeLineOnOneLine() throws Exception {
        TextMessage m = session.createTextMessage(Samples.text("forged"));
        m.setStringProperty("KefuAppId", "wxforged\nfailed appid=wxother reason=delivered\r\u001b[2J");
        try (LogCapture logs = LogCapture.open()) {
            putAll(List.of(m));
            awaitSettled(1);
            List<String> outcome = logs.lines().stream().filter(l -> l.startsWith("dev.kefurelay.outcome ")).toList();
            assertEquals(1, outcome.size(), outcome.toString());
            String line = outcome.get(0).stripTrailing();
            assertFalse(line.contains("\n") || line.contains("\r") || line.contains("\u001b"), line);
            assertTrue(line.contains("wxforged\\nfailed appid=wxother reason=delivered\\r\\u001b[2J"), line);
        }
    }

    private static byte[] serialized(Serializable object) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ObjectOutputStream o = new ObjectOutputStream(out)) {
            o.writeObject(object);
        }
        return out.toByteArray();
    }

    /** Serializable, and counts every time Java serialization reads one: a stand-in for a gadget chain. */
    static final class Gadget implements Serializable {
        private static final long serialVersionUID = 1L;
        static final AtomicInteger READ = new AtomicInteger();
        private final String value;

        Gadget(String value) {
            this.value = value;
        }

        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            in.defaultReadObject();
            READ.incrementAndGet();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Gadget g && g.value.equals(value);
        }

        @Override
        public int hashCode() {
            return value.hashCode();
        }
    }
}
