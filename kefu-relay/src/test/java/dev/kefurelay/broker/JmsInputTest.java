package dev.kefurelay.broker;

import static dev.kefurelay.broker.JmsEdge.OTHER;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.charset.StandardCharsets;
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
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The JMS edge end to end, what it delivers and answers: the embedded broker over a real socket, the sandbox over
 * real HTTP. Text, bytes and plain text with its properties are delivered, the reply-to queue gets each outcome, and
 * an id is delivered once per account. What it dead-letters: {@link JmsDeadLetterTest}.
 */
class JmsInputTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNode DELIVERED = JSON.createObjectNode().put("errcode", 0).put("errmsg", "ok")
            .put("channel", "custom");

    @RegisterExtension
    static final JmsEdge edge = new JmsEdge();

    @Test
    void aTextMessageIsDelivered() throws Exception {
        edge.put(edge.session().createTextMessage(Samples.text("经 JMS 送达")));
        await().atMost(Duration.ofSeconds(20)).until(() -> edge.sandbox().deliveredCount() == 1);
        assertEquals("经 JMS 送达", edge.sandbox().delivered().get(0).body().path("text").path("content").asText());
    }

    @Test
    void aBytesMessageIsDelivered() throws Exception {
        BytesMessage m = edge.session().createBytesMessage();
        m.writeBytes(Samples.text("bytes 字节").getBytes(StandardCharsets.UTF_8));
        edge.put(m);
        await().atMost(Duration.ofSeconds(20)).until(() -> edge.sandbox().deliveredCount() == 1);
        assertEquals("bytes 字节", edge.sandbox().delivered().get(0).body().path("text").path("content").asText());
    }

    @Test
    void thePropertyKefuAppIdPicksTheAccount() throws Exception {
        TextMessage m = edge.session().createTextMessage(Samples.text("from other"));
        m.setStringProperty("KefuAppId", OTHER);
        edge.put(m);
        await().atMost(Duration.ofSeconds(20)).until(() -> edge.sandbox().deliveredCount() == 1);
        assertEquals(OTHER, edge.sandbox().delivered().get(0).appid());
    }

    @Test
    void plainTextWithKefuToUserIsSentAsText() throws Exception {
        TextMessage m = edge.session().createTextMessage("Your ticket #12 was answered");
        m.setStringProperty("KefuToUser", "oPlainTextUser0001");
        edge.put(m);
        await().atMost(Duration.ofSeconds(20)).until(() -> edge.sandbox().deliveredCount() == 1);
        WeChatSandbox.Delivered d = edge.sandbox().delivered().get(0);
        assertEquals("oPlainTextUser0001", d.touser());
        assertEquals("Your ticket #12 was answered", d.body().path("text").path("content").asText());
    }

    @Test
    void replyToGetsTheOutcome() throws Exception {
        TemporaryQueue replies = edge.session().createTemporaryQueue();
        TextMessage ok = edge.session().createTextMessage(Samples.text("with reply"));
        ok.setJMSReplyTo(replies);
        ok.setJMSCorrelationID("corr-ok");
        edge.put(ok);
        TextMessage bad = edge.session().createTextMessage("{\"touser\":\"o1\",\"msgtype\":\"text\"}");
        bad.setJMSReplyTo(replies);
        bad.setJMSCorrelationID("corr-bad");
        edge.put(bad);
        Map<String, JsonNode> byCorrelation = new HashMap<>();
        try (MessageConsumer c = edge.session().createConsumer(replies)) {
            for (int i = 0; i < 2; i++) {
                TextMessage reply = (TextMessage) c.receive(20_000);
                assertNotNull(reply, "reply " + i);
                byCorrelation.put(reply.getJMSCorrelationID(), JSON.readTree(reply.getText()));
            }
        }
        assertEquals(JSON.readTree("{\"errcode\":0,\"errmsg\":\"ok\",\"channel\":\"custom\"}"),
                byCorrelation.get("corr-ok"));
        assertEquals("invalid-input", byCorrelation.get("corr-bad").path("reason").asText());
        // the failed one is in the DLQ too
        assertEquals("invalid-input", edge.fromDlq().getStringProperty("KefuReason"));
    }

    @Test
    void aReplayedDeadLetterThatIsDeliveredNowRepliesWithoutItsOldFailure() throws Exception {
        TemporaryQueue replies = edge.session().createTemporaryQueue();
        // moved back from kefu.outbound.dlq as docs/relay.md says: its failure properties come along
        TextMessage replayed = edge.session().createTextMessage(Samples.text("replayed"));
        replayed.setStringProperty("KefuReason", "wechat-error");
        replayed.setIntProperty("KefuErrcode", 45047);
        replayed.setStringProperty("KefuErrmsg", "out of response count limit");
        replayed.setStringProperty("KefuFailedAt", "2026-12-01T00:00:00Z");
        replayed.setJMSReplyTo(replies);
        edge.put(replayed);
        try (MessageConsumer c = edge.session().createConsumer(replies)) {
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
        TemporaryQueue replies = edge.session().createTemporaryQueue();
        // one after the other: the second is taken only once the first was delivered and its id recorded
        for (String appid : List.of(TestRelays.APPID, OTHER)) {
            TextMessage m = edge.session().createTextMessage(Samples.textWithId("order-1-two-accounts", "from "
                    + appid));
            m.setStringProperty("KefuAppId", appid);
            m.setJMSReplyTo(replies);
            edge.put(m);
            JsonNode outcome = receive(replies, 1).get(0);
            assertEquals(DELIVERED, outcome, appid);
        }
        assertEquals(2, edge.sandbox().deliveredCount());
        assertEquals(Set.of(TestRelays.APPID, OTHER),
                edge.sandbox().delivered().stream().map(WeChatSandbox.Delivered::appid).collect(Collectors.toSet()));
    }

    @Test
    void fiftyBackToBackPairsOfOneIdAreDeliveredOnceEach() throws Exception {
        // each copy stays in flight long enough for its twin to be taken by another consumer meanwhile
        edge.sandbox().latency(Duration.ofMillis(50));
        TemporaryQueue replies = edge.session().createTemporaryQueue();
        try (MessageProducer p = edge.session().createProducer(edge.session().createQueue("kefu.outbound"))) {
            for (int i = 0; i < 50; i++) {
                for (int copy = 0; copy < 2; copy++) {
                    TextMessage m = edge.session().createTextMessage(Samples.textWithId("pair-" + i, "pair " + i));
                    m.setJMSReplyTo(replies);
                    p.send(m);
                }
            }
        }
        List<JsonNode> outcomes = receive(replies, 100);
        assertEquals(50, edge.sandbox().deliveredCount(), "messages WeChat received");
        assertEquals(50, outcomes.stream().filter(o -> o.path("duplicate").asBoolean()).count(), "duplicate outcomes");
        assertEquals(50, outcomes.stream().filter(o -> o.equals(DELIVERED)).count(), "delivered outcomes");
        assertEquals(50, edge.sandbox().delivered().stream().map(d -> d.body().path("text").path("content").asText())
                .distinct().count());
    }

    private List<JsonNode> receive(TemporaryQueue replies, int n) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        try (MessageConsumer c = edge.session().createConsumer(replies)) {
            for (int i = 0; i < n; i++) {
                TextMessage reply = (TextMessage) c.receive(30_000);
                assertNotNull(reply, "reply " + i + " of " + n);
                out.add(JSON.readTree(reply.getText()));
            }
        }
        return out;
    }
}
