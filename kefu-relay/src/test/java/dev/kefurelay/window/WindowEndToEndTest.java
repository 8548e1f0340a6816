package dev.kefurelay.window;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kefurelay.KefuRelay;
import dev.kefurelay.sandbox.Delivery;
import dev.kefurelay.sandbox.Pushes;
import dev.kefurelay.sandbox.WeChatSandbox;
import dev.kefurelay.testkit.Http;
import dev.kefurelay.testkit.JmsTestClient;
import dev.kefurelay.testkit.RelayFixture;
import dev.kefurelay.testkit.TestRelays;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * WeChat's customer-service window, end to end: the relay with its embedded broker and push endpoint, the sandbox
 * enforcing the window as WeChat does and pushing users' messages and clicks as real encrypted pushes. The window
 * book learns from the pushes and from WeChat's 45015/45047, and each message goes by customer service, by its
 * template fallback, or fails window-closed, with no call WeChat would refuse.
 */
class WindowEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String APPID = TestRelays.APPID;
    private static final String PUSH_TOKEN = "windowPushToken";
    private static final String AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
    private static final String TEMPLATE_ID = "TPL-shipped";

    @TempDir
    Path dir;
    @RegisterExtension
    final RelayFixture fixture = new RelayFixture().secrets(TestRelays.SECRET, AES_KEY);

    private WeChatSandbox sandbox;
    private KefuRelay relay;
    private Pushes pushes;

    @BeforeEach
    void start() throws Exception {
        sandbox = fixture.sandbox(WeChatSandbox.start(0).account(APPID, TestRelays.SECRET).enforceWindow(true));
        sandbox.templates().template(APPID, TEMPLATE_ID, "order");
        int pushPort = TestRelays.freePort();
        Map<String, String> p = new LinkedHashMap<>(TestRelays.properties(dir, sandbox, Map.of()));
        p.put("kefu.push.port", String.valueOf(pushPort));
        p.put("kefu.push.token", PUSH_TOKEN);
        p.put("kefu.push.aes-key", AES_KEY);
        relay = fixture.start(p);
        pushes = sandbox.pushTo("http://127.0.0.1:" + pushPort, PUSH_TOKEN, AES_KEY, APPID);
    }

    private static String notice(String openid, String id, boolean withFallback) {
        return "{\"id\":\"" + id + "\",\"touser\":\"" + openid + "\",\"msgtype\":\"text\",\"text\":{\"content\":\"Order "
                + id + " has shipped\"}" + (withFallback ? ",\"fallback\":{\"msgtype\":\"template\",\"template\":"
                + "{\"template_id\":\"" + TEMPLATE_ID + "\",\"data\":{\"order\":{\"value\":\"" + id + "\"}}}}" : "")
                + "}";
    }

    private JsonNode send(String openid, String id, boolean withFallback) throws Exception {
        return JSON.readTree(relay.send(notice(openid, id, withFallback)));
    }

    @Test
    void aUserWhoWroteGetsFiveByCustomerServiceThenTemplatesOrWindowClosedWithNoSixthCall() throws Exception {
        assertTrue(pushes.userText(APPID, "oWrote", "where is my parcel?").success());

        for (int i = 1; i <= 5; i++) {
            assertEquals("custom", send("oWrote", "A-" + i, true).path("channel").asText(), "A-" + i);
        }
        JsonNode sixth = send("oWrote", "A-6", true);
        JsonNode seventh = send("oWrote", "A-7", true);
        JsonNode eighth = send("oWrote", "A-8", false);

        assertEquals("template", sixth.path("channel").asText(), sixth.toString());
        assertEquals("template", seventh.path("channel").asText());
        assertEquals("window-closed", eighth.path("reason").asText(), eighth.toString());
        assertEquals("custom", eighth.path("channel").asText());
        assertEquals(5, sandbox.sendCalls(), "no custom/send beyond the window's five");
        assertEquals(7, sandbox.deliveriesTo(APPID, "oWrote").size());

        String metrics = Http.get(relay.httpUrl() + KefuRelay.METRICS_PATH).body();
        assertEquals(5.0, Http.sample(metrics, "kefu_messages_delivered_total",
                Map.of("appid", APPID, "channel", "custom")), metrics);
        assertEquals(2.0, Http.sample(metrics, "kefu_messages_delivered_total",
                Map.of("appid", APPID, "channel", "template")), metrics);
        assertEquals(2.0, Http.sample(metrics, "kefu_fallbacks_total",
                Map.of("appid", APPID, "channel", "template", "outcome", "delivered")), metrics);
        assertEquals(1.0, Http.sample(metrics, "kefu_messages_failed_total",
                Map.of("appid", APPID, "reason", "window-closed", "errcode", "none", "channel", "custom")), metrics);
        assertEquals(1.0, Http.sample(metrics, "kefu_windows_open", Map.of("appid", APPID)), metrics);
    }

    @Test
    void aUserWhoNeverWroteMeets45015OnceThenTheTemplateGoesStraightAway() throws Exception {
        JsonNode first = send("oNeverWrote", "B-1", true);
        JsonNode second = send("oNeverWrote", "B-2", true);

        assertEquals("template", first.path("channel").asText(), first.toString());
        assertEquals("template", second.path("channel").asText());
        assertEquals(1, sandbox.sendCalls(), "the 45015 closed the book's window: B-2 skipped custom/send");
        List<Delivery> reached = sandbox.deliveriesTo(APPID, "oNeverWrote");
        assertEquals(List.of("B-1", "B-2"), reached.stream().map(d -> d.body().path("client_msg_id").asText()).toList());
    }

    /**
     * The user wrote ten seconds ago, as a push that arrives now. A refusal within a second of a window's opening does
     * not close it (a push's CreateTime has whole seconds: the book cannot order the two), so this test's user, whose
     * world moves 48 hours in a moment, wrote a little before.
     */
    private void wroteTenSecondsAgo(String openid) {
        sandbox.users().wrote(APPID, openid);
        long createTime = System.currentTimeMillis() / 1000 - 10;
        assertTrue(pushes.push(Pushes.ACCOUNTS_PATH + APPID, "<xml><ToUserName><![CDATA[gh_shop]]></ToUserName>"
                + "<FromUserName><![CDATA[" + openid + "]]></FromUserName><CreateTime>" + createTime + "</CreateTime>"
                + "<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[hello]]></Content><MsgId>" + createTime
                + "</MsgId></xml>").success());
    }

    @Test
    void twoDaysLaterTheWindowIsClosedANewMessageOpensFiveAndAClickThreeForAMinute() throws Exception {
        wroteTenSecondsAgo("oReturning");
        assertEquals("custom", send("oReturning", "C-1", true).path("channel").asText());

        sandbox.advance(Duration.ofHours(48));
        assertEquals("template", send("oReturning", "C-2", true).path("channel").asText());
        assertEquals("template", send("oReturning", "C-3", true).path("channel").asText());
        int calls = sandbox.sendCalls();
        assertEquals("template", send("oReturning", "C-4", true).path("channel").asText());
        assertEquals(calls, sandbox.sendCalls(), "C-4 knew the window closed");

        assertTrue(pushes.userText(APPID, "oReturning", "me again").success());
        for (int i = 1; i <= 5; i++) {
            assertEquals("custom", send("oReturning", "D-" + i, true).path("channel").asText(), "D-" + i);
        }
        assertEquals("template", send("oReturning", "D-6", true).path("channel").asText());

        assertTrue(pushes.userClicked(APPID, "oReturning", "MY_ORDERS").success());
        for (int i = 1; i <= 3; i++) {
            assertEquals("custom", send("oReturning", "E-" + i, true).path("channel").asText(), "E-" + i);
        }
        assertEquals("template", send("oReturning", "E-4", true).path("channel").asText());
        assertEquals(calls + 5 + 3, sandbox.sendCalls());
    }

    @Test
    void theTemplatesDeliveryReportReachesTheOperatorWithTheMessagesId() throws Exception {
        sandbox.templates().autoFinishJobs(true);
        try (JmsTestClient jms = new JmsTestClient(relay.broker().url(), "kefu.unused")) {
            JsonNode sent = send("oReport", "order-4711", true);
            assertEquals("template", sent.path("channel").asText(), sent.toString());

            List<JsonNode> reports = new ArrayList<>();
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                for (Message m : jms.drain("kefu.inbound")) {
                    reports.add(JSON.readTree(((TextMessage) m).getText()));
                    assertEquals("order-4711", m.getStringProperty("KefuMessageId"));
                }
                return !reports.isEmpty();
            });
            JsonNode report = reports.get(0);
            assertEquals("TEMPLATESENDJOBFINISH", report.path("event").asText());
            assertEquals("order-4711", report.path("id").asText());
            assertEquals(sent.path("msgid").asText(), report.path("fields").path("MsgID").asText());
        }
    }

    @Test
    void aFallbackNamingAnUnknownTemplateIsADeadLetterWith40037OnTheTemplateChannel() throws Exception {
        try (JmsTestClient jms = new JmsTestClient(relay.broker().url(), "kefu.outbound")) {
            jms.sendText(notice("oNeverWrote", "F-1", true).replace(TEMPLATE_ID, "TPL-gone"));

            Message letter = jms.deadLetter();
            assertEquals("wechat-error", letter.getStringProperty("KefuReason"));
            assertEquals(40037, letter.getIntProperty("KefuErrcode"));
            assertEquals("template", letter.getStringProperty("KefuChannel"));
            assertNull(letter.getStringProperty("KefuMsgId"));
        }
        await().atMost(Duration.ofSeconds(5))
                .until(() -> fixture.logs().text().contains("channel=template reason=wechat-error"));
    }
}
