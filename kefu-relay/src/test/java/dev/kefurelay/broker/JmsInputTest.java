package dev.kefurelay.broker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kefurelay.KefuRelay;
import dev.kefurelay.Samples;
import dev.kefurelay.sandbox.WeChatSandbox;
import dev.kefurelay.testkit.TestRelays;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JMS edge end to end: the embedded broker over a real socket, the sandbox over real HTTP. */
class JmsInputTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final String OTHER = "wxjmstest000000002";
    private static final JsonNode DELIVERED = JSON.createObjectNode().put("errcode", 0).put("errmsg", "ok")
            .put("channel", "custom");

    @TempDir
    static java.nio.file.Path dir;
    static WeChatSandbox sandbox;
    static KefuRelay relay;
    static Connection connection;
    Session session;

    @BeforeAll
    static void start() throws Exception {
        sandbox = WeChatSandbox.start(0).account(TestRelays.APPID, TestRelays.SECRET)
                .account(OTHER, "other-secret");
        relay = KefuRelay.start(TestRelays.properties(dir, sandbox, Map.of("kefu.accounts." + OTHER + ".secret",
                "other-secret")));
        ConnectionFactory cf = JmsConnections.plain(relay.broker().url(), null, null);
        connection = cf.createConnection();
        connection.start();
    }

    @AfterAll
    static void stop() throws Exception {
        connection.close();
        relay.close();
        sandbox.close();
    }

    @BeforeEach
    void fresh() throws Exception {
        sandbox.reset();
        session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
    }

    @AfterEach
    void closeSession() throws Exception {
        session.close();
    }

    private void put(Message m) throws Exception {
        try (MessageProducer p = session.createProducer(session.createQueue("kefu.outbound"))) {
            p.send(m);
        }
    }

    private Message fromDlq() throws Exception {
        try (MessageConsumer c = session.createConsumer(session.createQueue("kefu.outbound.dlq"))) {
            return c.receive(Duration.ofSeconds(20).toMillis());
        }
    }

    @Test
    void aTextMessageIsDelivered() throws Exception {
        put(session.createTextMessage(Samples.text("经 JMS 送达")));
        await().atMost(Duration.ofSeconds(20)).until(() -> sandbox.deliveredCount() == 1);
        assertEquals("经 JMS 送达", sandbox.delivered().get(0).body().path("text").path("content").asText());
    }

    @Test
    void aBytesMessageIsDelivered() throws Exception {
        BytesMessage m = session.createBytesMessage();
        m.writeBytes(Samples.text("bytes 字节").getBytes(StandardCharsets.UTF_8));
        put(m);
        await().atMost(Duration.ofSeconds(20)).until(() -> sandbox.deliveredCount() == 1);
        assertEquals("bytes 字节", sandbox.delivered().get(0).body().path("text").path("content").asText());
    }

    @Test
    void thePropertyKefuAppIdPicksTheAccount() throws Exception {
        TextMessage m = session.createTextMessage(Samples.text("from other"));
        m.setStringProperty("KefuAppId", OTHER);
        put(m);
        await().atMost(Duration.ofSeconds(20)).until(() -> sandbox.deliveredCount() == 1);
        assertEquals(OTHER, sandbox.delivered().get(0).appid());
    }

    @Test
    void plainTextWithKefuToUserIsSentAsText() throws Exception {
        TextMessage m = session.createTextMessage("Your ticket #12 was answered");
        m.setStringProperty("KefuToUser", "oPlainTextUser0001");
        put(m);
        await().atMost(Duration.ofSeconds(20)).until(() -> sandbox.deliveredCount() == 1);
        WeChatSandbox.Delivered d = sandbox.delivered().get(0);
        assertEquals("oPlainTextUser0001", d.touser());
        assertEquals("Your ticket #12 was answered", d.body().path("text").path("content").asText());
    }

    @Test
    void badInputIsDeadLetteredWithItsBodyPropertiesAndReason() throws Exception {
        String bad = "{\"touser\":\"o1\",\"msgtype\":\"image\",\"image\":{}}";
        TextMessage m = session.createTextMessage(bad);
        m.setStringProperty("OrderNo", "A-1001");
        put(m);
        Message dead = fromDlq();
        assertNotNull(dead, "dead letter");
        assertEquals(bad, ((TextMessage) dead).getText());
        assertEquals("A-1001", dead.getStringProperty("OrderNo"));
        assertEquals("invalid-input", dead.getStringProperty("KefuReason"));
        assertTrue(dead.getStringProperty("KefuErrmsg").contains("image.media_id"));
        assertNull(dead.getObjectProperty("KefuErrcode"));
        assertNotNull(dead.getStringProperty("KefuFailedAt"));
        assertEquals(0, sandbox.sendCalls());
    }

    @Test
    void aWeChatRefusalIsDeadLetteredWithWeChatsErrcode() throws Exception {
        sandbox.failNext(43004, 1);
        put(session.createTextMessage(Samples.text("not subscribed")));
        Message dead = fromDlq();
        assertEquals("wechat-error", dead.getStringProperty("KefuReason"));
        assertEquals(43004, dead.getIntProperty("KefuErrcode"));
        assertFalse(dead.getStringProperty("KefuErrmsg").isBlank());
        // the token that was used for the refused call is nowhere in the dead letter
        java.util.Enumeration<?> names = dead.getPropertyNames();
        while (names.hasMoreElements()) {
            String value = String.valueOf(dead.getObjectProperty((String) names.nextElement()));
            for (String token : sandbox.issuedTokens()) {
                assertFalse(value.contains(token), "a token in a dead-letter property");
            }
            assertFalse(value.contains(TestRelays.SECRET));
        }
        assertEquals(Samples.text("not subscribed"), ((TextMessage) dead).getText());
    }

    @Test
    void aBytesDeadLetterKeepsItsBytes() throws Exception {
        BytesMessage m = session.createBytesMessage();
        byte[] body = "not json at all".getBytes(StandardCharsets.UTF_8);
        m.writeBytes(body);
        put(m);
        Message dead = fromDlq();
        assertTrue(dead instanceof BytesMessage, dead.getClass().getName());
        byte[] got = new byte[(int) ((BytesMessage) dead).getBodyLength()];
        ((BytesMessage) dead).readBytes(got);
        assertEquals("not json at all", new String(got, StandardCharsets.UTF_8));
        assertEquals("invalid-input", dead.getStringProperty("KefuReason"));
    }

    @Test
    void aBodyOverOneMegabyteIsInvalidInput() throws Exception {
        put(session.createTextMessage(Samples.text("x".repeat(1024 * 1024 + 10))));
        Message dead = fromDlq();
        assertEquals("invalid-input", dead.getStringProperty("KefuReason"));
        assertTrue(dead.getStringProperty("KefuErrmsg").contains("larger than"));
    }

    @Test
    void replyToGetsTheOutcome() throws Exception {
        TemporaryQueue replies = session.createTemporaryQueue();
        TextMessage ok = session.createTextMessage(Samples.text("with reply"));
        ok.setJMSReplyTo(replies);
        ok.setJMSCorrelationID("corr-ok");
        put(ok);
        TextMessage bad = session.createTextMessage("{\"touser\":\"o1\",\"msgtype\":\"text\"}");
        bad.setJMSReplyTo(replies);
        bad.setJMSCorrelationID("corr-bad");
        put(bad);
        Map<String, JsonNode> byCorrelation = new java.util.HashMap<>();
        try (MessageConsumer c = session.createConsumer(replies)) {
            for (int i = 0; i < 2; i++) {
                TextMessage reply = (TextMessage) c.receive(20_000);
                assertNotNull(reply, "reply " + i);
                byCorrelation.put(reply.getJMSCorrelationID(), JSON.readTree(reply.getText()));
            }
        }
        assertEquals(JSON.readTree("{\"errcode\":0,\"errmsg\":\"ok\",\"channel\":\"custom\"}"), byCorrelation.get("corr-ok"));
        assertEquals("invalid-input", byCorrelation.get("corr-bad").path("reason").asText());
        // the failed one is in the DLQ too
        assertEquals("invalid-input", fromDlq().getStringProperty("KefuReason"));
    }

    @Test
    void aReplayedDeadLetterThatIsDeliveredNowRepliesWithoutItsOldFailure() throws Exception {
        TemporaryQueue replies = session.createTemporaryQueue();
        // moved back from kefu.outbound.dlq as docs/relay.md says: its failure properties come along
        TextMessage replayed = session.createTextMessage(Samples.text("replayed"));
        replayed.setStringProperty("KefuReason", "wechat-error");
        replayed.setIntProperty("KefuErrcode", 45047);
        replayed.setStringProperty("KefuErrmsg", "out of response count limit");
        replayed.setStringProperty("KefuFailedAt", "2026-12-01T00:00:00Z");
        replayed.setJMSReplyTo(replies);
        put(replayed);
        try (MessageConsumer c = session.createConsumer(replies)) {
            Message reply = c.receive(20_000);
            assertNotNull(reply, "reply");
            assertEquals("delivered", reply.getStringProperty("KefuOutcome"));
            for (String old : List.of("KefuReason", "KefuErrcode", "KefuErrmsg", "KefuFailedAt")) {
                assertFalse(reply.propertyExists(old), old + " of the old failure on the reply of a delivery");
            }
        }
    }

    @Test
    void aDeadLetterCarriesExactlyTheOriginalPropertiesPlusTheFiveKefuOnes() throws Exception {
        sandbox.failNext(43004, 1);
        TextMessage m = session.createTextMessage(Samples.text("to the DLQ"));
        m.setStringProperty("OrderNo", "A-2002");
        m.setIntProperty("Attempt", 3);
        m.setBooleanProperty("Urgent", true);
        m.setStringProperty("KefuAppId", TestRelays.APPID);
        m.setJMSCorrelationID("corr-dlq");
        put(m);
        Message dead = fromDlq();
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

    @Test
    void theSameIdOnTwoAccountsIsDeliveredByBoth() throws Exception {
        TemporaryQueue replies = session.createTemporaryQueue();
        // one after the other: the second is taken only once the first was delivered and its id recorded
        for (String appid : List.of(TestRelays.APPID, OTHER)) {
            TextMessage m = session.createTextMessage(Samples.textWithId("order-1-two-accounts", "from " + appid));
            m.setStringProperty("KefuAppId", appid);
            m.setJMSReplyTo(replies);
            put(m);
            JsonNode outcome = receive(replies, 1).get(0);
            assertEquals(DELIVERED, outcome, appid);
        }
        assertEquals(2, sandbox.deliveredCount());
        assertEquals(Set.of(TestRelays.APPID, OTHER),
                sandbox.delivered().stream().map(WeChatSandbox.Delivered::appid).collect(Collectors.toSet()));
    }

    @Test
    void fiftyBackToBackPairsOfOneIdAreDeliveredOnceEach() throws Exception {
        // each copy stays in flight long enough for its twin to be taken by another consumer meanwhile
        sandbox.latency(Duration.ofMillis(50));
        TemporaryQueue replies = session.createTemporaryQueue();
        try (MessageProducer p = session.createProducer(session.createQueue("kefu.outbound"))) {
            for (int i = 0; i < 50; i++) {
                for (int copy = 0; copy < 2; copy++) {
                    TextMessage m = session.createTextMessage(Samples.textWithId("pair-" + i, "pair " + i));
                    m.setJMSReplyTo(replies);
                    p.send(m);
                }
            }
        }
        List<JsonNode> outcomes = receive(replies, 100);
        assertEquals(50, sandbox.deliveredCount(), "messages WeChat received");
        assertEquals(50, outcomes.stream().filter(o -> o.path("duplicate").asBoolean()).count(), "duplicate outcomes");
        assertEquals(50, outcomes.stream().filter(o -> o.equals(DELIVERED)).count(), "delivered outcomes");
        assertEquals(50, sandbox.delivered().stream().map(d -> d.body().path("text").path("content").asText())
                .distinct().count());
    }

    private List<JsonNode> receive(TemporaryQueue replies, int n) throws Exception {
        List<JsonNode> out = new java.util.ArrayList<>();
        try (MessageConsumer c = session.createConsumer(replies)) {
            for (int i = 0; i < n; i++) {
                TextMessage reply = (TextMessage) c.receive(30_000);
                assertNotNull(reply, "reply " + i + " of " + n);
                out.add(JSON.readTree(reply.getText()));
            }
        }
        return out;
    }
}
