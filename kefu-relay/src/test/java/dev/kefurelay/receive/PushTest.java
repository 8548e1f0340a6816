package dev.kefurelay.receive;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kefurelay.KefuRelay;
import dev.kefurelay.LogCapture;
import dev.kefurelay.Samples;
import dev.kefurelay.push.PushCrypto;
import dev.kefurelay.sandbox.Pushes;
import dev.kefurelay.sandbox.WeChatSandbox;
import dev.kefurelay.store.SecretStore;
import dev.kefurelay.testkit.JmsTestClient;
import dev.kefurelay.testkit.RelayFixture;
import dev.kefurelay.testkit.TestRelays;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * WeChat's pushes end to end in mode component: the sandbox encrypts and POSTs them over real HTTP to the
 * relay's push server, the relay stores and queues on its embedded broker, and sends through the sandbox.
 */
class PushTest {

    static final String COMPONENT = "wxcomponentpush01";
    static final String COMPONENT_SECRET = "component-secret-push-1";
    static final String TICKET = "ticket@@@initial-push-ticket";
    static final String PUSH_TOKEN = "push-token-value-1";
    static final String AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
    static final List<String> AUTHORIZERS = List.of("wxpushauthorizer01", "wxpushauthorizer02");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    @RegisterExtension
    final RelayFixture fixture = new RelayFixture();
    WeChatSandbox sandbox;
    KefuRelay relay;
    LogCapture logs;
    Pushes pushes;
    JmsTestClient jms;
    final Set<String> secrets = new LinkedHashSet<>();

    @BeforeEach
    void start() throws Exception {
        logs = fixture.logs();
        sandbox = platform(fixture, secrets);
        int pushPort = freePort();
        relay = fixture.start(properties(dir, sandbox, pushPort));
        pushes = sandbox.pushes("http://127.0.0.1:" + pushPort, PUSH_TOKEN, AES_KEY, COMPONENT);
        jms = fixture.jms("kefu.unused");
    }

    /**
     * The sandbox as the platform's WeChat: the platform with its ticket, the authorizers with their first refresh
     * tokens. None of its keys, nothing the test adds to {@code secrets}, and no authorizer's last refresh token may
     * reach the log.
     */
    static WeChatSandbox platform(RelayFixture fixture, Set<String> secrets) {
        WeChatSandbox sandbox = fixture.sandbox(WeChatSandbox.start(0).component(COMPONENT, COMPONENT_SECRET));
        sandbox.verifyTicket(TICKET);
        secrets.addAll(List.of(COMPONENT_SECRET, TICKET, PUSH_TOKEN, AES_KEY));
        for (String appid : AUTHORIZERS) {
            sandbox.authorizer(appid, "seed-" + appid);
            secrets.add("seed-" + appid);
        }
        fixture.secrets(() -> secrets)
                .secrets(() -> AUTHORIZERS.stream().map(sandbox::currentRefreshToken).toList());
        return sandbox;
    }

    /** A relay in mode component with the authorizers above, its push endpoints on pushPort, safe mode. */
    static Map<String, String> properties(Path dir, WeChatSandbox sandbox, int pushPort) {
        Map<String, String> p = new LinkedHashMap<>(TestRelays.properties(dir, sandbox, Map.of()));
        p.remove("kefu.appid");
        p.remove("kefu.secret");
        p.put("kefu.token.mode", "component");
        p.put("kefu.component.appid", COMPONENT);
        p.put("kefu.component.secret", COMPONENT_SECRET);
        p.put("kefu.component.ticket", TICKET);
        for (String appid : AUTHORIZERS) {
            p.put("kefu.authorizers." + appid + ".refresh-token", "seed-" + appid);
        }
        p.put("kefu.push.port", String.valueOf(pushPort));
        p.put("kefu.push.token", PUSH_TOKEN);
        p.put("kefu.push.aes-key", AES_KEY);
        return p;
    }

    static int freePort() {
        return TestRelays.freePort();
    }

    private Optional<String> stored(String key) {
        return SecretStore.peek(dir.resolve("store"), key);
    }

    private JsonNode send(String appid, String text) throws Exception {
        return JSON.readTree(relay.send("{\"appid\":\"" + appid + "\"," + Samples.text(text).substring(1)));
    }

    private List<Message> inbound() throws Exception {
        return jms.drain("kefu.inbound");
    }

    @Test
    void aTicketPushedBySandboxIsStoredAndUsedForTheNextComponentToken() throws Exception {
        String ticket = "ticket@@@pushed-" + System.nanoTime();
        secrets.add(ticket);
        Pushes.Result r = pushes.verifyTicket(ticket);
        assertTrue(r.success(), r.toString());
        assertTrue(stored("component-verify-ticket").orElseThrow().endsWith(" " + ticket), "ticket in the store");
        // the sandbox takes only the pushed ticket now: a delivery proves the component token was fetched with it
        assertEquals(0, send(AUTHORIZERS.get(0), "after the push").path("errcode").asInt());
        assertEquals(1, sandbox.tokenFetches(COMPONENT));
    }

    @Test
    void anAuthorizationPushedMakesTheNewAuthorizerUsableWithNoPropertySet() throws Exception {
        String fresh = "wxfreshauthorizer1";
        Pushes.Result r = keepCode(pushes.authorized(fresh));
        assertTrue(r.success(), r.toString());
        // api_query_auth runs on the kefu.authorizers consumer; the refresh token is stored before it is used
        await().atMost(Duration.ofSeconds(20)).until(() -> stored("authorizer-" + fresh + ".refresh-token").isPresent());
        secrets.add(stored("authorizer-" + fresh + ".refresh-token").orElseThrow());
        assertEquals(0, send(fresh, "welcome").path("errcode").asInt());
        assertTrue(sandbox.delivered().stream().anyMatch(d -> d.appid().equals(fresh)));
        secrets.add(sandbox.currentRefreshToken(fresh));
    }

    /** The one-time code inside a pushed authorization: a secret the log must not hold. */
    private Pushes.Result keepCode(Pushes.Result r) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("<AuthorizationCode><!\\[CDATA\\[([^\\]]+)")
                .matcher(r.xml());
        assertTrue(m.find(), "an authorization push carries a code");
        secrets.add(m.group(1));
        return r;
    }

    @Test
    void wechatsRetryOfAnAuthorizationIsDroppedAndARefusedCodeIsDeadLettered() throws Exception {
        String fresh = "wxretriedauthorizer";
        Pushes.Result first = keepCode(pushes.authorized(fresh));
        assertTrue(first.success());
        // the same event signed anew, as WeChat retries it: a second api_query_auth with the used code would fail
        assertTrue(pushes.push(first.path(), first.xml()).success());
        await().atMost(Duration.ofSeconds(20)).until(() -> stored("authorizer-" + fresh + ".refresh-token").isPresent());
        secrets.add(stored("authorizer-" + fresh + ".refresh-token").orElseThrow());
        assertEquals(0, send(fresh, "hello").path("errcode").asInt());
        secrets.add(sandbox.currentRefreshToken(fresh));
        assertEquals(0, jms.drain("kefu.outbound.dlq").size(), "the retry never reached api_query_auth");

        try (JmsTestClient authorizers = new JmsTestClient(relay.broker().url(), "kefu.authorizers")) {
            authorizers.sendText("{\"authorizer_appid\":\"wxbogusauthorizer\",\"authorization_code\":\"queryauthcode@@@bogus\"}");
        }
        Message dead = jms.deadLetter();
        assertEquals("wechat-error", dead.getStringProperty("KefuReason"));
        assertEquals(61009, dead.getIntProperty("KefuErrcode"));
        assertFalse(dead.getStringProperty("KefuErrmsg").contains("bogus"));
    }

    @Test
    void unauthorizedStopsThatAuthorizerOnly() throws Exception {
        String gone = AUTHORIZERS.get(0);
        assertEquals(0, send(gone, "before").path("errcode").asInt());
        assertTrue(pushes.unauthorized(gone).success());
        await().atMost(Duration.ofSeconds(20)).until(() -> stored("authorizer-" + gone + ".authorization")
                .map(s -> s.startsWith("withdrawn")).orElse(false));
        int calls = sandbox.sendCalls();
        JsonNode refused = send(gone, "after");
        assertEquals("unauthorized", refused.path("reason").asText(), refused.toString());
        assertTrue(refused.path("errmsg").asText().contains("withdrew its authorization"), refused.toString());
        assertEquals(calls, sandbox.sendCalls(), "nothing sent to WeChat for it");
        assertEquals(0, send(AUTHORIZERS.get(1), "still here").path("errcode").asInt());
        // authorizing again lifts it
        assertTrue(keepCode(pushes.authorized(gone)).success());
        await().atMost(Duration.ofSeconds(20)).until(() -> send(gone, "back").path("errcode").asInt() == 0);
        secrets.add(sandbox.currentRefreshToken(gone));
    }

    @Test
    void aUserMessagePushedThreeTimesArrivesOnTheInboundQueueOnce() throws Exception {
        String appid = AUTHORIZERS.get(1);
        Pushes.Result first = pushes.userText(appid, "o-user-1", "你好, is anyone there?");
        assertTrue(first.success(), first.toString());
        // WeChat's retries: the same message, signed again
        assertTrue(pushes.push(first.path(), first.xml()).success());
        assertTrue(pushes.push(first.path(), first.xml()).success());
        List<Message> messages = inbound();
        assertEquals(1, messages.size());
        JsonNode json = JSON.readTree(((TextMessage) messages.get(0)).getText());
        assertEquals(appid, json.path("appid").asText());
        assertEquals("o-user-1", json.path("openid").asText());
        assertEquals("text", json.path("type").asText());
        assertEquals("你好, is anyone there?", json.path("fields").path("Content").asText());
        assertFalse(json.path("msgid").asText().isEmpty());
        assertEquals(appid, messages.get(0).getStringProperty("KefuAppId"));
        assertEquals("o-user-1", messages.get(0).getStringProperty("KefuOpenId"));
        // the broker drops the two retries as duplicates; its warning would print their properties
        assertFalse(logs.text().contains("o-user-1"), "the user's openid reached the log");
    }

    @Test
    void aReplayedPushIsRefusedAndQueuesNothing() throws Exception {
        Pushes.Result first = pushes.userText(AUTHORIZERS.get(0), "o-user-2", "once");
        assertTrue(first.success());
        Pushes.Result replay = pushes.again(first);
        assertEquals(409, replay.status(), replay.toString());
        assertEquals(1, inbound().size());
        // a recorded push with an old timestamp: signed right, yet refused
        String old = String.valueOf(System.currentTimeMillis() / 1000 - 3600);
        assertEquals(409, pushes.push(first.path(), first.xml().replace("once", "late"), old, "nonce-old").status());
        assertEquals(0, inbound().size());
    }

    /**
     * Two relays may handle WeChat's pushes in either order: the stored ticket is the one WeChat made last (its
     * CreateTime), not the one handled last.
     */
    @Test
    void anOlderTicketPushHandledLastDoesNotReplaceTheNewerOne() throws Exception {
        String newer = "ticket@@@newer-" + System.nanoTime();
        String older = "ticket@@@older-" + System.nanoTime();
        secrets.addAll(List.of(newer, older));
        long now = System.currentTimeMillis() / 1000;
        assertTrue(pushes.push(Pushes.COMPONENT_PATH, ticketXml(newer, now)).success());
        assertEquals((now * 1000) + " " + newer, stored("component-verify-ticket").orElseThrow(),
                "stored with WeChat's CreateTime");
        // made ten minutes earlier, handled after it (a retry, or another relay that was slower)
        assertTrue(pushes.push(Pushes.COMPONENT_PATH, ticketXml(older, now - 600)).success(),
                "answered success: WeChat must not retry it");
        assertEquals((now * 1000) + " " + newer, stored("component-verify-ticket").orElseThrow());
        assertTrue(logs.text().contains("older than the stored one: kept the stored one"), "a log line says why");

        String newest = "ticket@@@newest-" + System.nanoTime();
        secrets.add(newest);
        assertTrue(pushes.push(Pushes.COMPONENT_PATH, ticketXml(newest, now + 600)).success());
        assertTrue(stored("component-verify-ticket").orElseThrow().endsWith(" " + newest));
    }

    private static String ticketXml(String ticket, long createTime) {
        return "<xml><AppId><![CDATA[" + COMPONENT + "]]></AppId><CreateTime>" + createTime + "</CreateTime><InfoType>"
                + "<![CDATA[component_verify_ticket]]></InfoType><ComponentVerifyTicket><![CDATA[" + ticket
                + "]]></ComponentVerifyTicket></xml>";
    }

    @Test
    void aPushWithABadSignatureChangesNothing() throws Exception {
        String before = stored("component-verify-ticket").orElseThrow();
        PushCrypto crypto = new PushCrypto(PUSH_TOKEN, AES_KEY, null, COMPONENT, "test");
        String ts = String.valueOf(System.currentTimeMillis() / 1000);
        PushCrypto.Encrypted e = crypto.encrypt("<xml><AppId>" + COMPONENT + "</AppId><CreateTime>" + ts
                + "</CreateTime><InfoType>component_verify_ticket</InfoType><ComponentVerifyTicket>forged"
                + "</ComponentVerifyTicket></xml>", ts, "n1");
        String wrong = PushCrypto.signature("not-the-token", ts, "n1", e.encrypt());
        Pushes.Result r = pushes.post(Pushes.COMPONENT_PATH, "timestamp=" + ts + "&nonce=n1&encrypt_type=aes&msg_signature="
                + wrong, e.pushXml(COMPONENT));
        assertEquals(401, r.status());
        assertEquals(before, stored("component-verify-ticket").orElseThrow());
        assertTrue(logs.text().contains("push to component refused (401 BAD_SIGNATURE)"), "one log line says why");
    }

    @Test
    void anXxePushReadsNoFileAndOversizedOrMalformedXmlGetsA4xx() throws Exception {
        Path secret = dir.resolve("host-secret.txt");
        Files.writeString(secret, "HOST-FILE-CONTENT-1");
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE xml [<!ENTITY x SYSTEM \"" + secret.toUri() + "\">]>"
                + "<xml><ToUserName>gh</ToUserName><Encrypt>&x;</Encrypt></xml>";
        String ts = String.valueOf(System.currentTimeMillis() / 1000);
        Pushes.Result r = pushes.post(Pushes.ACCOUNTS_PATH + AUTHORIZERS.get(0), "timestamp=" + ts + "&nonce=x1&msg_signature=00",
                xxe);
        assertEquals(400, r.status());
        assertFalse(r.body().contains("HOST-FILE"));
        assertFalse(logs.text().contains("HOST-FILE"));
        Pushes.Result big = pushes.post(Pushes.ACCOUNTS_PATH + AUTHORIZERS.get(0), "timestamp=" + ts + "&nonce=x2",
                "<xml><Encrypt>" + "A".repeat(100_000) + "</Encrypt></xml>");
        assertEquals(413, big.status());
        assertEquals(400, pushes.post(Pushes.ACCOUNTS_PATH + AUTHORIZERS.get(0), "timestamp=" + ts + "&nonce=x3",
                "<xml><Encrypt>").status());
        assertEquals(0, inbound().size());
    }

    @Test
    void wechatsUrlVerificationIsAnswered() throws Exception {
        String ts = String.valueOf(System.currentTimeMillis() / 1000);
        String sig = PushCrypto.signature(PUSH_TOKEN, ts, "v1");
        java.net.http.HttpResponse<String> ok = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(pushUrl() + Pushes.ACCOUNTS_PATH + AUTHORIZERS.get(0)
                        + "?signature=" + sig + "&timestamp=" + ts + "&nonce=v1&echostr=1234567890")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(200, ok.statusCode());
        assertEquals("1234567890", ok.body());
    }

    @Test
    void healthAndMetricsStayOffThePushPort() throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        int health = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(relay.httpUrl()
                + KefuRelay.HEALTH_PATH)).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode();
        assertTrue(health == 200 || health == 503, "health on kefu.http.port: " + health);
        assertFalse(relay.httpUrl().equals(pushUrl()));
        assertEquals(404, http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(pushUrl()
                + KefuRelay.METRICS_PATH)).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode());
        assertTrue(pushes.userText(AUTHORIZERS.get(0), "o-user-3", "counted").success());
        String metrics = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(relay.httpUrl()
                + KefuRelay.METRICS_PATH)).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(metrics.contains("kefu_pushes_total{endpoint=\"account\",result=\"success\"} 1.0"), metrics);
    }

    private String pushUrl() {
        return "http://127.0.0.1:" + relay.camel().getPropertiesComponent().resolveProperty("camel.server.port").orElseThrow();
    }

    @Test
    void everyPlatformEventIsPublishedWithoutItsSecrets() throws Exception {
        MessageConsumer events = jms.session().createConsumer(jms.session().createTopic("kefu.component.events"));
        String ticket = "ticket@@@published-" + System.nanoTime();
        secrets.add(ticket);
        assertTrue(pushes.verifyTicket(ticket).success());
        TextMessage m = (TextMessage) events.receive(10_000);
        JsonNode json = JSON.readTree(m.getText());
        assertEquals("component_verify_ticket", json.path("info_type").asText());
        assertFalse(m.getText().contains(ticket));
        events.close();
    }
}
