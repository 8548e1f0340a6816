package dev.kefurelay.receive;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kefurelay.KefuRelay;
import dev.kefurelay.LogCapture;
import dev.kefurelay.sandbox.KfDelivery;
import dev.kefurelay.sandbox.SandboxWeCom;
import dev.kefurelay.sandbox.WeChatSandbox;
import dev.kefurelay.sandbox.WeComPushes;
import dev.kefurelay.store.SecretStore;
import dev.kefurelay.testkit.JmsTestClient;
import dev.kefurelay.testkit.RelayFixture;
import dev.kefurelay.testkit.TestRelays;
import dev.kefurelay.wecom.WeComMsgid;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * WeCom 微信客服's callbacks end to end: the sandbox's WeCom pushes encrypted kf_msg_or_event callbacks over real
 * HTTP to the relay's /wecom/kf, the relay pulls kf/sync_msg from the sandbox and queues each entry on its embedded
 * broker's kefu.inbound; the store is the local one.
 */
class WeComCallbackTest {

    static final String CORPID = "wwcallbacktest0001";
    static final String CORP_SECRET = "wecom-callback-test-secret";
    static final String PUSH_TOKEN = "wecom-push-token-1";
    static final String AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
    static final List<String> KF = List.of("wkCallbackKf000001", "wkCallbackKf000002", "wkCallbackKf000003");
    static final String WELCOME = "您好，请问有什么可以帮您？";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    @RegisterExtension
    final RelayFixture fixture = new RelayFixture().secrets(CORP_SECRET, PUSH_TOKEN, AES_KEY);
    WeChatSandbox sandbox;
    SandboxWeCom wecom;
    KefuRelay relay;
    LogCapture logs;
    JmsTestClient jms;
    int pushPort;

    @BeforeEach
    void start() throws Exception {
        logs = fixture.logs();
        sandbox = fixture.sandbox(WeChatSandbox.start(0).account(TestRelays.APPID, TestRelays.SECRET));
        wecom = sandbox.wecom().corp(CORPID, CORP_SECRET);
        KF.forEach(kf -> wecom.kfAccount(CORPID, kf));
        pushPort = TestRelays.freePort();
        startRelay();
    }

    private void startRelay() throws Exception {
        relay = fixture.start(properties(dir, sandbox, pushPort));
        jms = fixture.jms("kefu.unused");
        wecom.pushTo("http://127.0.0.1:" + pushPort, CORPID, PUSH_TOKEN, AES_KEY);
    }

    static Map<String, String> properties(Path dir, WeChatSandbox sandbox, int pushPort) {
        Map<String, String> p = new LinkedHashMap<>(TestRelays.properties(dir, sandbox, Map.of()));
        p.put("kefu.push.port", String.valueOf(pushPort));
        p.put("kefu.wecom.corpid", CORPID);
        p.put("kefu.wecom.secret", CORP_SECRET);
        p.put("kefu.wecom.base-url", sandbox.baseUrl());
        p.put("kefu.wecom.push-token", PUSH_TOKEN);
        p.put("kefu.wecom.push-aes-key", AES_KEY);
        p.put("kefu.wecom.welcome-text", WELCOME);
        return p;
    }

    @Test
    void theCallbackUrlIsVerifiedWithTheEchostrDecrypted() {
        WeComPushes pushes = wecom.pushes("http://127.0.0.1:" + pushPort, CORPID, PUSH_TOKEN, AES_KEY);
        WeComPushes.Result verified = pushes.verifyUrl("8473629154");
        assertEquals(200, verified.status());
        assertEquals("8473629154", verified.body());

        WeComPushes wrongKey = wecom.pushes("http://127.0.0.1:" + pushPort, CORPID, PUSH_TOKEN,
                "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdefg");
        assertEquals(403, wrongKey.verifyUrl("8473629154").status());
        WeComPushes otherCorp = wecom.pushes("http://127.0.0.1:" + pushPort, "wwsomeoneelse0001", PUSH_TOKEN,
                AES_KEY);
        assertEquals(401, otherCorp.kfMsgOrEvent(KF.get(0)).status(), "the corp id is the receive id");
    }

    @Test
    void everyCustomerMessageReachesKefuInboundOnceWhateverTheCallbacksDo() throws Exception {
        WeComPushes again = wecom.pushes("http://127.0.0.1:" + pushPort, CORPID, PUSH_TOKEN, AES_KEY);
        Set<String> written = new HashSet<>();
        for (int i = 0; i < 40; i++) {
            for (String kf : KF) {
                written.add(wecom.customerWrites(kf, "wmCustomer" + (i % 7), "message " + i + " to " + kf));
            }
            if (i % 10 == 0) {
                // WeCom calling twice, and once with nothing new
                KF.forEach(kf -> assertTrue(again.kfMsgOrEvent(kf).success()));
            }
        }

        List<JsonNode> inbound = receive(written.size());

        assertEquals(written, ids(inbound));
        JsonNode one = inbound.stream().filter(m -> m.path("text").path("content").asText().equals("message 0 to "
                + KF.get(1))).findFirst().orElseThrow();
        assertEquals("wecom", one.get("channel").asText());
        assertEquals(CORPID, one.get("corpid").asText());
        assertEquals(KF.get(1), one.get("open_kfid").asText());
        assertEquals("wmCustomer0", one.get("external_userid").asText());
        assertEquals("text", one.get("msgtype").asText());
        assertEquals(3, one.get("origin").asInt());
        // stored after each page, just after its entries were queued
        KF.forEach(kf -> await().atMost(Duration.ofSeconds(10)).until(() -> SecretStore.peek(dir.resolve("store"),
                "wecom.cursor." + kf).isPresent()));
        assertEquals(List.of(), drain(), "nothing twice");
    }

    @Test
    void aCustomerEnteringIsWelcomedWithinTheCodesTwentySecondsAndTheEventQueued() throws Exception {
        String code = wecom.customerEnters(KF.get(0), "wmNewCustomer01", "qr-shop-1");

        JsonNode event = receive(1).get(0);
        assertEquals("enter_session", event.path("event").path("event_type").asText());
        assertEquals(code, event.path("event").path("welcome_code").asText());
        assertEquals("wmNewCustomer01", event.get("external_userid").asText());
        await().atMost(Duration.ofSeconds(10)).until(() -> !wecom.sent().isEmpty());
        KfDelivery welcome = wecom.sent().get(0);
        assertTrue(welcome.onEvent());
        assertEquals("wmNewCustomer01", welcome.externalUserid());
        assertEquals(WELCOME, welcome.body().path("text").path("content").asText());
        assertEquals(WeComMsgid.of("welcome-" + event.get("msgid").asText()), welcome.msgid());
    }

    @Test
    void aFailedSendIsReportedWithTheRelaysIdJoinedFromItsMsgid() throws Exception {
        wecom.customerWrites(KF.get(0), "wmCustomerF1", "hi");
        receive(1);
        String mappedId = "order/2026/0001";
        for (String id : List.of("order-42", mappedId)) {
            assertEquals(0, JSON.readTree(relay.send("{\"id\":\"" + id + "\",\"touser\":\"wmCustomerF1\",\"open_kfid\":\""
                    + KF.get(0) + "\",\"msgtype\":\"text\",\"text\":{\"content\":\"shipped\"}}")).path("errcode")
                    .asInt(-1));
        }
        List<String> msgids = wecom.sent().stream().map(KfDelivery::msgid).toList();
        wecom.sendFailed(KF.get(0), "wmCustomerF1", msgids.get(0), 10);
        wecom.sendFailed(KF.get(0), "wmCustomerF1", msgids.get(1), 4);

        List<JsonNode> failures = receive(2);

        assertEquals(List.of("order-42", mappedId), failures.stream().map(f -> f.get("id").asText()).toList());
        assertEquals("msg_send_fail", failures.get(0).path("event").path("event_type").asText());
        assertEquals(msgids.get(1), failures.get(1).path("event").path("fail_msgid").asText());
    }

    @Test
    void theCursorSurvivesARestart() throws Exception {
        Set<String> before = new HashSet<>();
        for (int i = 0; i < 12; i++) {
            before.add(wecom.customerWrites(KF.get(0), "wmCustomerR1", "before " + i));
        }
        assertEquals(before, ids(receive(12)));
        // the pulls ended (their cursor stored): 12 in all, in one pull or several as the callbacks came
        await().atMost(Duration.ofSeconds(10)).until(() -> pulledSince(0) == 12);
        fixture.stopRelay();

        int mark = logs.lines().size();
        startRelay();
        Set<String> after = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            after.add(wecom.customerWrites(KF.get(0), "wmCustomerR1", "after " + i));
        }

        assertEquals(after, ids(receive(3)));
        // the pulls after the restart read 3 entries in all: they started at the stored cursor, not at the start
        await().atMost(Duration.ofSeconds(10)).until(() -> pulledSince(mark) == 3);
        assertEquals(List.of(), drain());
    }

    /** Waits until this many entries are on kefu.inbound and takes them. */
    private List<JsonNode> receive(int count) throws Exception {
        return receive(jms, count);
    }

    /** Waits until this many entries are on kefu.inbound and takes them: WeCom's, as JSON. */
    static List<JsonNode> receive(JmsTestClient jms, int count) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (Message m : jms.receive("kefu.inbound", count, Duration.ofSeconds(30))) {
            assertEquals("wecom", m.getStringProperty("KefuChannel"));
            out.add(JSON.readTree(((TextMessage) m).getText()));
        }
        return out;
    }

    /** The entries the relay's pulls logged since this many log lines. */
    private int pulledSince(int mark) {
        java.util.regex.Pattern pulled = java.util.regex.Pattern.compile("pulled (\\d+) message\\(s\\)");
        int sum = 0;
        List<String> lines = logs.lines();
        for (String line : lines.subList(mark, lines.size())) {
            java.util.regex.Matcher m = pulled.matcher(line);
            if (m.find()) {
                sum += Integer.parseInt(m.group(1));
            }
        }
        return sum;
    }

    private List<Message> drain() throws Exception {
        return jms.drain("kefu.inbound");
    }

    private static Set<String> ids(List<JsonNode> entries) {
        Set<String> ids = new HashSet<>();
        entries.forEach(e -> assertTrue(ids.add(e.get("msgid").asText()), "twice: " + e));
        return ids;
    }
}
