package dev.kefurelay.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Enumeration;
import java.util.Set;
import java.util.TreeSet;

import dev.kefurelay.Samples;
import dev.kefurelay.testkit.TestRelays;
import jakarta.jms.BytesMessage;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The JMS edge end to end, what it dead-letters: the embedded broker over a real socket, the sandbox over real HTTP.
 * Bad input and WeChat's refusals go to kefu.outbound.dlq with their body as sent (text or bytes), exactly their
 * own properties and the relay's Kefu* ones, and no token or secret. What it delivers: {@link JmsInputTest}.
 */
class JmsDeadLetterTest {

    @RegisterExtension
    static final JmsEdge edge = new JmsEdge();

    @Test
    void badInputIsDeadLetteredWithItsBodyPropertiesAndReason() throws Exception {
        String bad = "{\"touser\":\"o1\",\"msgtype\":\"image\",\"image\":{}}";
        TextMessage m = edge.session().createTextMessage(bad);
        m.setStringProperty("OrderNo", "A-1001");
        edge.put(m);
        Message dead = edge.fromDlq();
        assertNotNull(dead, "dead letter");
        assertEquals(bad, ((TextMessage) dead).getText());
        assertEquals("A-1001", dead.getStringProperty("OrderNo"));
        assertEquals("invalid-input", dead.getStringProperty("KefuReason"));
        assertTrue(dead.getStringProperty("KefuErrmsg").contains("image.media_id"));
        assertNull(dead.getObjectProperty("KefuErrcode"));
        assertNotNull(dead.getStringProperty("KefuFailedAt"));
        assertEquals(0, edge.sandbox().sendCalls());
    }

    @Test
    void aWeChatRefusalIsDeadLetteredWithWeChatsErrcode() throws Exception {
        edge.sandbox().failNext(43004, 1);
        edge.put(edge.session().createTextMessage(Samples.text("not subscribed")));
        Message dead = edge.fromDlq();
        assertEquals("wechat-error", dead.getStringProperty("KefuReason"));
        assertEquals(43004, dead.getIntProperty("KefuErrcode"));
        assertFalse(dead.getStringProperty("KefuErrmsg").isBlank());
        // the token that was used for the refused call is nowhere in the dead letter
        Enumeration<?> names = dead.getPropertyNames();
        while (names.hasMoreElements()) {
            String value = String.valueOf(dead.getObjectProperty((String) names.nextElement()));
            for (String token : edge.sandbox().issuedTokens()) {
                assertFalse(value.contains(token), "a token in a dead-letter property");
            }
            assertFalse(value.contains(TestRelays.SECRET));
        }
        assertEquals(Samples.text("not subscribed"), ((TextMessage) dead).getText());
    }

    @Test
    void aBytesDeadLetterKeepsItsBytes() throws Exception {
        BytesMessage m = edge.session().createBytesMessage();
        byte[] body = "not json at all".getBytes(StandardCharsets.UTF_8);
        m.writeBytes(body);
        edge.put(m);
        Message dead = edge.fromDlq();
        assertTrue(dead instanceof BytesMessage, dead.getClass().getName());
        byte[] got = new byte[(int) ((BytesMessage) dead).getBodyLength()];
        ((BytesMessage) dead).readBytes(got);
        assertEquals("not json at all", new String(got, StandardCharsets.UTF_8));
        assertEquals("invalid-input", dead.getStringProperty("KefuReason"));
    }

    @Test
    void aBodyOverOneMegabyteIsInvalidInput() throws Exception {
        edge.put(edge.session().createTextMessage(Samples.text("x".repeat(1024 * 1024 + 10))));
        Message dead = edge.fromDlq();
        assertEquals("invalid-input", dead.getStringProperty("KefuReason"));
        assertTrue(dead.getStringProperty("KefuErrmsg").contains("larger than"));
    }

    @Test
    void aDeadLetterCarriesExactlyTheOriginalPropertiesPlusTheFiveKefuOnes() throws Exception {
        edge.sandbox().failNext(43004, 1);
        TextMessage m = edge.session().createTextMessage(Samples.text("to the DLQ"));
        m.setStringProperty("OrderNo", "A-2002");
        m.setIntProperty("Attempt", 3);
        m.setBooleanProperty("Urgent", true);
        m.setStringProperty("KefuAppId", TestRelays.APPID);
        m.setJMSCorrelationID("corr-dlq");
        edge.put(m);
        Message dead = edge.fromDlq();
        assertNotNull(dead, "dead letter");
        Set<String> names = new TreeSet<>();
        for (Enumeration<?> e = dead.getPropertyNames(); e.hasMoreElements(); ) {
            names.add((String) e.nextElement());
        }
        // JMSX* are the broker's own (delivery count of this receive), not copied by the relay
        names.removeIf(n -> n.startsWith("JMSX"));
        assertEquals(new TreeSet<>(Set.of("OrderNo", "Attempt", "Urgent", "KefuAppId",
                "KefuReason", "KefuErrcode", "KefuErrmsg", "KefuFailedAt", "KefuChannel")), names);
        assertEquals("A-2002", dead.getStringProperty("OrderNo"));
        assertEquals(3, dead.getIntProperty("Attempt"));
        assertTrue(dead.getBooleanProperty("Urgent"));
        assertEquals("corr-dlq", dead.getJMSCorrelationID());
        assertEquals(43004, dead.getIntProperty("KefuErrcode"));
    }
}
