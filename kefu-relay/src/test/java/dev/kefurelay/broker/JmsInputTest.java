package dev.kefurelay.broker;

import static dev.kefurelay.broker.JmsEdge.OTHER;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kefurelay.Samples;
import dev.kefurelay.sandbox.WeChatSandbox;
import dev.kefurelay.testkit.TestRelays;
import jakarta.jms.BytesMessage;
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

/**
 * The JMS edge end to end, what it delivers and answers: the embedded broker over a real socket, the sandbox over
 * real HTTP. Text, bytes and plain text with its properties are delivered, the reply-to queue gets each outcome, and
 * an id is delivered once per account. What it dead-letters: {@link JmsDeadLetterTest}.
 */
class JmsInputTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNode DELIVERED = JSON.createObjectNode().put("errcode", 0).put("errmsg", "ok")
            .put("channel", "custom");

    @TempDir
    static Path dir;
    static JmsEdge edge;
    static WeChatSandbox sandbox;
    Session session;

    @BeforeAll
    static void start() throws Exception {
        edge = JmsEdge.start(dir);
        sandbox = edge.sandbox;
    }

    @AfterAll
    static void stop() throws Exception {
        if (edge != null) {
            edge.close();
        }
    }

    @BeforeEach
    void fresh() throws Exception {
        sandbox.reset();
        session = edge.connection().createSession(false, Session.AUTO_ACKNOWLEDGE);
    }

    @AfterEach
    void closeSession() throws Exception {
        session.close();
    }

    private void put(Message m) throws Exception {
        JmsEdge.put(session, m);
    }

    private Message fromDlq() throws Exception {
        return JmsEdge.fromDlq(session);
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
        Map<String, JsonNode> byCorrelation = new HashMap<>();
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
        List<JsonNode> out = new ArrayList<>();
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
