package dev.kefurelay.receive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kefurelay.KefuRelay;
import dev.kefurelay.LogCapture;
import dev.kefurelay.Samples;
import dev.kefurelay.message.AccountKind;
import dev.kefurelay.message.KefuMessage;
import dev.kefurelay.sandbox.MiniProgramPushes;
import dev.kefurelay.sandbox.Pushes;
import dev.kefurelay.sandbox.WeChatSandbox;
import dev.kefurelay.send.TypingRoutes;
import dev.kefurelay.testkit.JmsTestClient;
import dev.kefurelay.testkit.TestRelays;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One relay serving an Official Account (the default one) and two Mini Programs at once, end to end over real HTTP
 * and its embedded broker: each account's messages checked by its kind before any call, each account's typing on its
 * path, and the Mini Programs' pushes (JSON and XML, encrypted and plaintext) on kefu.inbound once each, with their
 * kind.
 */
class MiniProgramRelayTest {

    static final String OFFICIAL_PUSH_TOKEN = "official-push-token-1";
    static final String OFFICIAL_AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
    static final String MINI = "wxminirelay000001";
    static final String MINI_SECRET = "mini-relay-secret-1";
    static final String MINI_PUSH_TOKEN = "mini-push-token-1";
    static final String MINI_AES_KEY = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdefg";
    /** A second Mini Program whose message URL is in plaintext mode: signed, not encrypted. */
    static final String PLAIN_MINI = "wxminirelay000002";
    static final String PLAIN_MINI_SECRET = "mini-relay-secret-2";
    static final String PLAIN_PUSH_TOKEN = "mini-push-token-2";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static WeChatSandbox sandbox;
    static KefuRelay relay;
    static LogCapture logs;
    static JmsTestClient jms;
    static String pushUrl;
    static final Set<String> secrets = new LinkedHashSet<>(List.of(TestRelays.SECRET, MINI_SECRET, PLAIN_MINI_SECRET,
            OFFICIAL_PUSH_TOKEN, OFFICIAL_AES_KEY, MINI_PUSH_TOKEN, MINI_AES_KEY, PLAIN_PUSH_TOKEN));

    @BeforeAll
    static void start() throws Exception {
        logs = LogCapture.open();
        sandbox = WeChatSandbox.start(0).account(TestRelays.APPID, TestRelays.SECRET).account(MINI, MINI_SECRET)
                .account(PLAIN_MINI, PLAIN_MINI_SECRET);
        int pushPort = TestRelays.freePort();
        Map<String, String> p = new LinkedHashMap<>();
        p.put("kefu.accounts." + MINI + ".secret", MINI_SECRET);
        p.put("kefu.accounts." + MINI + ".kind", "miniprogram");
        p.put("kefu.accounts." + MINI + ".push-token", MINI_PUSH_TOKEN);
        p.put("kefu.accounts." + MINI + ".push-aes-key", MINI_AES_KEY);
        p.put("kefu.accounts." + PLAIN_MINI + ".secret", PLAIN_MINI_SECRET);
        p.put("kefu.accounts." + PLAIN_MINI + ".kind", "miniprogram");
        p.put("kefu.accounts." + PLAIN_MINI + ".push-token", PLAIN_PUSH_TOKEN);
        p.put("kefu.push.port", String.valueOf(pushPort));
        p.put("kefu.push.token", OFFICIAL_PUSH_TOKEN);
        p.put("kefu.push.aes-key", OFFICIAL_AES_KEY);
        relay = KefuRelay.start(TestRelays.properties(dir, sandbox, p));
        // the relay tells the sandbox nothing: the sandbox knows the kinds as WeChat does
        sandbox.kind(MINI, AccountKind.MINIPROGRAM).kind(PLAIN_MINI, AccountKind.MINIPROGRAM);
        pushUrl = "http://127.0.0.1:" + pushPort;
        jms = new JmsTestClient(relay.broker().url(), "kefu.unused");
    }

    /** Each test starts with a clean sandbox and an empty inbound queue. */
    @BeforeEach
    void clean() throws Exception {
        sandbox.reset();
        jms.drain("kefu.inbound");
    }

    @AfterAll
    static void stop() throws Exception {
        if (jms != null) {
            jms.close();
        }
        if (relay != null) {
            relay.close();
        }
        if (sandbox == null) {
            return;
        }
        sandbox.close();
        logs.close();
        secrets.addAll(sandbox.issuedTokens());
        logs.assertNoneOf(secrets, "a secret, token or key");
    }

    private JsonNode send(String appid, String body) throws Exception {
        ObjectNode message = (ObjectNode) JSON.readTree(body);
        ObjectNode withAppid = JSON.createObjectNode().put("appid", appid);
        withAppid.setAll(message);
        return JSON.readTree(relay.send(withAppid.toString()));
    }

    private List<JsonNode> inbound() throws Exception {
        List<JsonNode> out = new java.util.ArrayList<>();
        for (Message m : jms.drain("kefu.inbound")) {
            JsonNode json = JSON.readTree(((TextMessage) m).getText());
            assertEquals(json.path("kind").asText(), m.getStringProperty("KefuAccountKind"));
            assertEquals(json.path("appid").asText(), m.getStringProperty("KefuAppId"));
            out.add(json);
        }
        return out;
    }

    @Test
    void eachAccountsMessagesAreCheckedByItsKind() throws Exception {
        for (String type : Samples.miniProgramContents().keySet()) {
            assertEquals(0, send(MINI, Samples.miniProgramBody(type)).path("errcode").asInt(-1), type);
        }
        List<WeChatSandbox.Delivered> delivered = sandbox.delivered();
        int i = 0;
        for (String type : Samples.miniProgramContents().keySet()) {
            assertEquals(MINI, delivered.get(i).appid());
            assertEquals(JSON.readTree(Samples.miniProgramBody(type)), delivered.get(i++).body(), type);
        }
        int calls = sandbox.sendCalls();
        for (String type : KefuMessage.TYPES) {
            if (!AccountKind.MINIPROGRAM.fields().types().contains(type)) {
                JsonNode refused = send(MINI, Samples.wechatBody(type));
                assertEquals("invalid-input", refused.path("reason").asText(), refused.toString());
                assertEquals("msgtype '" + type + "' is not taken by a miniprogram account: a miniprogram account "
                        + "takes text, image, link, miniprogrampage", refused.path("errmsg").asText());
            }
        }
        assertEquals(calls, sandbox.sendCalls(), "no Official-only type reached WeChat");

        // the Official Account beside them, by its own rules
        assertEquals(0, send(TestRelays.APPID, Samples.wechatBody("news")).path("errcode").asInt(-1));
        assertEquals("invalid-input", send(TestRelays.APPID, Samples.miniProgramBody("link")).path("reason").asText());
        // and a Mini Program's message with its sub-merchant
        String withBusiness = "{\"touser\":\"oMiniUser\",\"msgtype\":\"text\",\"text\":{\"content\":\"hi\"},"
                + "\"businessid\":\"shop-7\"}";
        assertEquals(0, send(MINI, withBusiness).path("errcode").asInt(-1));
        assertEquals(JSON.readTree(withBusiness), sandbox.delivered().get(sandbox.delivered().size() - 1).body());
    }

    private Exchange typing(String appid, String body) {
        return relay.template().request(TypingRoutes.TYPING, e -> {
            e.getMessage().setBody(body);
            e.getMessage().setHeader("KefuAppId", appid);
        });
    }

    @Test
    void typingGoesToEachKindsPath() {
        Exchange mini = typing(MINI, "{\"touser\":\"oMiniUser\",\"command\":\"Typing\"}");
        assertEquals("delivered", mini.getMessage().getHeader("KefuOutcome"), mini.getMessage().getBody(String.class));
        Exchange official = typing(TestRelays.APPID, "{\"touser\":\"oOfficialUser\",\"command\":\"Typing\"}");
        assertEquals("delivered", official.getMessage().getHeader("KefuOutcome"));
        assertEquals(List.of("oMiniUser:Typing", "oOfficialUser:Typing"), sandbox.typing());
        Exchange again = typing(MINI, "{\"touser\":\"oMiniUser\",\"command\":\"Typing\"}");
        assertEquals("failed", again.getMessage().getHeader("KefuOutcome"));
        assertEquals(45081, again.getMessage().getHeader("KefuErrcode", Integer.class));
        assertEquals("wechat-error", again.getMessage().getHeader("KefuReason"));
    }

    @Test
    void aJsonPushAndAnXmlPushOfAUsersMessageEachReachKefuInboundOnce() throws Exception {
        Pushes keys = sandbox.pushes(pushUrl, MINI_PUSH_TOKEN, MINI_AES_KEY, MINI);
        MiniProgramPushes json = keys.miniProgram(MiniProgramPushes.Format.JSON);
        MiniProgramPushes xml = keys.miniProgram(MiniProgramPushes.Format.XML);
        Pushes.Result first = json.userText(MINI, "oMiniUser1", "我的订单到哪了？");
        assertTrue(first.success(), first.toString());
        assertTrue(first.sent().startsWith("{"), "the body went as JSON");
        // WeChat's retries of it: signed again, the same message
        assertTrue(json.retry(first).success());
        assertTrue(json.retry(first).success());
        Pushes.Result second = xml.userText(MINI, "oMiniUser1", "在吗");
        assertTrue(second.success(), second.toString());
        assertTrue(second.sent().startsWith("<xml>"));
        assertTrue(xml.retry(second).success());

        List<JsonNode> messages = inbound();
        assertEquals(2, messages.size(), messages.toString());
        for (JsonNode m : messages) {
            assertEquals(MINI, m.path("appid").asText());
            assertEquals("miniprogram", m.path("kind").asText());
            assertEquals("oMiniUser1", m.path("openid").asText());
            assertEquals("text", m.path("type").asText());
            assertTrue(m.path("time").isNumber(), m.toString());
            assertTrue(m.path("msgid").asText().matches("\\d+"), m.toString());
        }
        assertEquals("我的订单到哪了？", messages.get(0).path("fields").path("Content").asText());
        assertEquals("在吗", messages.get(1).path("fields").path("Content").asText());
        // the two forms leave the same fields: nothing after the push endpoint can tell them apart
        assertEquals(fieldNames(messages.get(0)), fieldNames(messages.get(1)));
    }

    private static Set<String> fieldNames(JsonNode inbound) {
        Set<String> names = new java.util.TreeSet<>();
        inbound.path("fields").fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void enteringTheSessionAndPlaintextPushesArriveTooAndTheOfficialAccountsSayOfficial() throws Exception {
        MiniProgramPushes encrypted = sandbox.pushes(pushUrl, MINI_PUSH_TOKEN, MINI_AES_KEY, MINI)
                .miniProgram(MiniProgramPushes.Format.JSON);
        assertTrue(encrypted.userEnteredSession(MINI, "oMiniUser2", "goods-17").success());
        MiniProgramPushes plain = sandbox.pushes(pushUrl, PLAIN_PUSH_TOKEN, "", PLAIN_MINI)
                .miniProgram(MiniProgramPushes.Format.JSON);
        Pushes.Result image = plain.userImage(PLAIN_MINI, "oMiniUser3", "MEDIA_FROM_USER");
        assertTrue(image.success(), image.toString());
        assertTrue(image.sent().contains("MEDIA_FROM_USER"), "plaintext mode: the body is the message itself");
        Pushes official = sandbox.pushes(pushUrl, OFFICIAL_PUSH_TOKEN, OFFICIAL_AES_KEY, TestRelays.APPID);
        assertTrue(official.userText(TestRelays.APPID, "oOfficialUser", "hello").success());

        List<JsonNode> messages = inbound();
        assertEquals(3, messages.size(), messages.toString());
        assertEquals("event", messages.get(0).path("type").asText());
        assertEquals("user_enter_tempsession", messages.get(0).path("event").asText());
        assertEquals("goods-17", messages.get(0).path("fields").path("SessionFrom").asText());
        assertEquals("miniprogram", messages.get(0).path("kind").asText());
        assertEquals(PLAIN_MINI, messages.get(1).path("appid").asText());
        assertEquals("miniprogram", messages.get(1).path("kind").asText());
        assertEquals("MEDIA_FROM_USER", messages.get(1).path("fields").path("MediaId").asText());
        assertEquals("official", messages.get(2).path("kind").asText());

        // a forged plaintext push is refused like any other
        Pushes.Result forged = sandbox.pushes(pushUrl, "not-the-token", "", PLAIN_MINI)
                .miniProgram(MiniProgramPushes.Format.JSON).userText(PLAIN_MINI, "oMiniUser3", "forged");
        assertEquals(401, forged.status(), forged.toString());
        assertEquals(0, inbound().size());
    }
}
