package dev.kefurelay.broker;

import static dev.kefurelay.broker.OutboundQueue.assertInvalidInput;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import dev.kefurelay.Samples;
import dev.kefurelay.testkit.KefuSandboxExtension;
import jakarta.jms.BytesMessage;
import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.ObjectMessage;
import jakarta.jms.Session;
import jakarta.jms.StreamMessage;
import jakarta.jms.TextMessage;
import org.apache.activemq.artemis.api.core.ActiveMQBuffer;
import org.apache.activemq.artemis.jms.client.ActiveMQMessage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every kind of JMS message a producer can put on the relay's queue, end to end (the embedded broker over its
 * socket, the sandbox over HTTP). One the relay cannot read is an invalid-input outcome of its own, dead-lettered
 * with the reason and its original body, and nothing else in its consumer's batch is rolled back and sent again.
 * Properties the relay cannot take: {@link JmsKefuPropertiesTest}.
 */
class JmsMessageTypesTest {

    @RegisterExtension
    static KefuSandboxExtension wechat = new KefuSandboxExtension();
    @RegisterExtension
    final OutboundQueue queue = new OutboundQueue(wechat);

    private Session session;

    @BeforeEach
    void connect() {
        session = queue.session();
        Gadget.READ.set(0);
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
        queue.putAll(messages);
        queue.awaitSettled(texts / 20);

        List<String> delivered = wechat.delivered().stream()
                .map(d -> d.body().path("text").path("content").asText()).toList();
        assertEquals(texts, new HashSet<>(delivered).size(), "every text message delivered");
        assertEquals(texts, delivered.size(), "deliveries at WeChat: none sent twice");

        List<Message> dead = queue.drainDlq();
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
        queue.putAll(all);
        queue.awaitSettled(4);

        assertEquals(2, wechat.delivered().size());
        Map<String, Message> dead = new HashMap<>();
        for (Message m : queue.drainDlq()) {
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
        queue.putAll(List.of(m));
        queue.awaitSettled(1);

        assertEquals(0, Gadget.READ.get(), "the relay deserialized the ObjectMessage");
        assertEquals(0, wechat.sandbox().sendCalls(), "WeChat is never called");
        Message dead = queue.drainDlq().get(0);
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
