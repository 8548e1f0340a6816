package dev.kefurelay.broker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import dev.kefurelay.Samples;
import dev.kefurelay.message.StrictJson;
import dev.kefurelay.testkit.JmsTestClient;
import dev.kefurelay.testkit.KefuSandboxExtension;
import jakarta.jms.BytesMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Hostile bodies on the JMS queue, end to end: the embedded broker over its socket, the sandbox over
 * HTTP. Each must be dead-lettered as invalid-input, with its own reason, before WeChat is called.
 */
class StrictJmsInputTest {

    @RegisterExtension
    static KefuSandboxExtension wechat = new KefuSandboxExtension();

    private JmsTestClient client;
    private Session session;

    @BeforeEach
    void connect() throws Exception {
        client = new JmsTestClient(wechat.brokerUrl(), "kefu.outbound");
        session = client.session();
    }

    @AfterEach
    void disconnect() throws Exception {
        client.close();
    }

    private Message deadLetterOf(Message m) throws Exception {
        try (MessageProducer p = session.createProducer(session.createQueue("kefu.outbound"))) {
            p.send(m);
        }
        try (MessageConsumer c = session.createConsumer(session.createQueue("kefu.outbound.dlq"))) {
            Message dead = c.receive(Duration.ofSeconds(20).toMillis());
            assertNotNull(dead, "dead letter");
            return dead;
        }
    }

    private BytesMessage bytes(byte[] body) throws Exception {
        BytesMessage m = session.createBytesMessage();
        m.writeBytes(body);
        return m;
    }

    private static void assertInvalidInput(Message dead, String errmsgPart) throws Exception {
        assertEquals("invalid-input", dead.getStringProperty("KefuReason"), dead.getStringProperty("KefuErrmsg"));
        assertTrue(dead.getStringProperty("KefuErrmsg").contains(errmsgPart), dead.getStringProperty("KefuErrmsg"));
        assertEquals(0, wechat.sandbox().sendCalls(), "WeChat is never called");
    }

    private static String deep() {
        return "[".repeat(100_000) + "]".repeat(100_000);
    }

    @Test
    void aDeeplyNestedTextMessageIsInvalidInputNamingTheLimit() throws Exception {
        Message dead = deadLetterOf(session.createTextMessage(deep()));
        assertInvalidInput(dead, "nested more than " + StrictJson.MAX_DEPTH + " levels deep");
        assertEquals(deep(), ((TextMessage) dead).getText(), "the input is kept");
    }

    @Test
    void aDeeplyNestedBytesMessageIsInvalidInputNamingTheLimit() throws Exception {
        Message dead = deadLetterOf(bytes(deep().getBytes(StandardCharsets.US_ASCII)));
        assertInvalidInput(dead, "StrictJson.MAX_DEPTH");
    }

    @Test
    void malformedUtf8InABytesMessageIsRefusedNotReplaced() throws Exception {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        byte[] before = Samples.text("订单").getBytes(StandardCharsets.UTF_8);
        int cut = before.length - 3; // in the content, right after 订单 (the body ends with "}})
        body.write(before, 0, cut);
        body.write(0xC3); // a lead byte followed by '"', not by a continuation byte
        body.write(before, cut, before.length - cut);
        byte[] sent = body.toByteArray();
        Message dead = deadLetterOf(bytes(sent));
        assertInvalidInput(dead, "the message is not valid UTF-8 at byte " + cut);
        byte[] kept = new byte[(int) ((BytesMessage) dead).getBodyLength()];
        ((BytesMessage) dead).readBytes(kept);
        assertArrayEquals(sent, kept, "the original bytes are kept in the dead letter");
    }

    @Test
    void aDuplicateKeyIsInvalidInputInsteadOfTheLastOneWinning() throws Exception {
        String body = "{\"touser\":\"oFirstUser000001\",\"msgtype\":\"text\",\"text\":{\"content\":\"x\"},"
                + "\"touser\":\"oSecondUser00002\"}";
        assertInvalidInput(deadLetterOf(session.createTextMessage(body)), "key \"touser\" appears twice");
    }

    @Test
    void aNumericTouserIsInvalidInputNotCoerced() throws Exception {
        String body = "{\"touser\":123,\"msgtype\":\"text\",\"text\":{\"content\":\"x\"}}";
        Message dead = deadLetterOf(bytes(body.getBytes(StandardCharsets.UTF_8)));
        assertInvalidInput(dead, "field 'touser' must be a string, not a number");
    }

    @Test
    void theErrorQuotesNoMoreThanAShortExcerptOfTheBody() throws Exception {
        String secretish = "A".repeat(500);
        Message dead = deadLetterOf(session.createTextMessage("{\"touser\":" + secretish + "}"));
        assertInvalidInput(dead, "not valid JSON at line 1");
        assertFalse(dead.getStringProperty("KefuErrmsg").contains("A".repeat(StrictJson.EXCERPT_CHARS + 1)));
    }
}
