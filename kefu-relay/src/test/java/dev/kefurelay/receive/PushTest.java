package dev.kefurelay.receive;

import static dev.kefurelay.receive.PushPlatform.AES_KEY;
import static dev.kefurelay.receive.PushPlatform.AUTHORIZERS;
import static dev.kefurelay.receive.PushPlatform.COMPONENT;
import static dev.kefurelay.receive.PushPlatform.PUSH_TOKEN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kefurelay.KefuRelay;
import dev.kefurelay.push.PushCrypto;
import dev.kefurelay.sandbox.Pushes;
import dev.kefurelay.testkit.ComponentRelay;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * WeChat's pushes of users' messages end to end in mode component, and the push port's guard: the sandbox encrypts
 * and POSTs them over real HTTP to the relay's push server, the relay queues each message once on its embedded
 * broker; replayed, badly signed and malformed pushes change nothing, and health and metrics stay off the push port.
 * Tickets and authorization events: {@link PlatformPushTest}; a hostile client: {@link HostilePushTest}.
 */
class PushTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    final ComponentRelay wechat = PushPlatform.relay();

    private List<Message> inbound() throws Exception {
        return wechat.jms().drain("kefu.inbound");
    }

    @Test
    void aUserMessagePushedThreeTimesArrivesOnTheInboundQueueOnce() throws Exception {
        String appid = AUTHORIZERS.get(1);
        Pushes.Result first = wechat.pushes().userText(appid, "o-user-1", "你好, is anyone there?");
        assertTrue(first.success(), first.toString());
        // WeChat's retries: the same message, signed again
        assertTrue(wechat.pushes().push(first.path(), first.xml()).success());
        assertTrue(wechat.pushes().push(first.path(), first.xml()).success());
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
        assertFalse(wechat.logs().text().contains("o-user-1"), "the user's openid reached the log");
    }

    @Test
    void aReplayedPushIsRefusedAndQueuesNothing() throws Exception {
        Pushes.Result first = wechat.pushes().userText(AUTHORIZERS.get(0), "o-user-2", "once");
        assertTrue(first.success());
        Pushes.Result replay = wechat.pushes().again(first);
        assertEquals(409, replay.status(), replay.toString());
        assertEquals(1, inbound().size());
        // a recorded push with an old timestamp: signed right, yet refused
        String old = String.valueOf(System.currentTimeMillis() / 1000 - 3600);
        assertEquals(409, wechat.pushes().push(first.path(), first.xml().replace("once", "late"), old,
                "nonce-old").status());
        assertEquals(0, inbound().size());
    }

    @Test
    void aPushWithABadSignatureChangesNothing() throws Exception {
        String before = wechat.stored("component-verify-ticket").orElseThrow();
        PushCrypto crypto = new PushCrypto(PUSH_TOKEN, AES_KEY, null, COMPONENT, "test");
        String ts = String.valueOf(System.currentTimeMillis() / 1000);
        PushCrypto.Encrypted e = crypto.encrypt("<xml><AppId>" + COMPONENT + "</AppId><CreateTime>" + ts
                + "</CreateTime><InfoType>component_verify_ticket</InfoType><ComponentVerifyTicket>forged"
                + "</ComponentVerifyTicket></xml>", ts, "n1");
        String wrong = PushCrypto.signature("not-the-token", ts, "n1", e.encrypt());
        Pushes.Result r = wechat.pushes().post(Pushes.COMPONENT_PATH,
                "timestamp=" + ts + "&nonce=n1&encrypt_type=aes&msg_signature=" + wrong, e.pushXml(COMPONENT));
        assertEquals(401, r.status());
        assertEquals(before, wechat.stored("component-verify-ticket").orElseThrow());
        assertTrue(wechat.logs().text().contains("push to component refused (401 BAD_SIGNATURE)"),
                "one log line says why");
    }

    @Test
    void anXxePushReadsNoFileAndOversizedOrMalformedXmlGetsA4xx() throws Exception {
        Path secret = wechat.dir().resolve("host-secret.txt");
        Files.writeString(secret, "HOST-FILE-CONTENT-1");
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE xml [<!ENTITY x SYSTEM \"" + secret.toUri() + "\">]>"
                + "<xml><ToUserName>gh</ToUserName><Encrypt>&x;</Encrypt></xml>";
        String ts = String.valueOf(System.currentTimeMillis() / 1000);
        Pushes.Result r = wechat.pushes().post(Pushes.ACCOUNTS_PATH + AUTHORIZERS.get(0),
                "timestamp=" + ts + "&nonce=x1&msg_signature=00", xxe);
        assertEquals(400, r.status());
        assertFalse(r.body().contains("HOST-FILE"));
        assertFalse(wechat.logs().text().contains("HOST-FILE"));
        Pushes.Result big = wechat.pushes().post(Pushes.ACCOUNTS_PATH + AUTHORIZERS.get(0),
                "timestamp=" + ts + "&nonce=x2", "<xml><Encrypt>" + "A".repeat(100_000) + "</Encrypt></xml>");
        assertEquals(413, big.status());
        assertEquals(400, wechat.pushes().post(Pushes.ACCOUNTS_PATH + AUTHORIZERS.get(0),
                "timestamp=" + ts + "&nonce=x3", "<xml><Encrypt>").status());
        assertEquals(0, inbound().size());
    }

    @Test
    void wechatsUrlVerificationIsAnswered() throws Exception {
        String ts = String.valueOf(System.currentTimeMillis() / 1000);
        String sig = PushCrypto.signature(PUSH_TOKEN, ts, "v1");
        HttpResponse<String> ok = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(pushUrl() + Pushes.ACCOUNTS_PATH + AUTHORIZERS.get(0)
                        + "?signature=" + sig + "&timestamp=" + ts + "&nonce=v1&echostr=1234567890")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, ok.statusCode());
        assertEquals("1234567890", ok.body());
    }

    @Test
    void healthAndMetricsStayOffThePushPort() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        int health = http.send(HttpRequest.newBuilder(URI.create(wechat.relay().httpUrl()
                + KefuRelay.HEALTH_PATH)).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
        assertTrue(health == 200 || health == 503, "health on kefu.http.port: " + health);
        assertFalse(wechat.relay().httpUrl().equals(pushUrl()));
        assertEquals(404, http.send(HttpRequest.newBuilder(URI.create(pushUrl()
                + KefuRelay.METRICS_PATH)).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
        assertTrue(wechat.pushes().userText(AUTHORIZERS.get(0), "o-user-3", "counted").success());
        String metrics = http.send(HttpRequest.newBuilder(URI.create(wechat.relay().httpUrl()
                + KefuRelay.METRICS_PATH)).build(), HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(metrics.contains("kefu_pushes_total{endpoint=\"account\",result=\"success\"} 1.0"), metrics);
    }

    private String pushUrl() {
        return "http://127.0.0.1:"
                + wechat.relay().camel().getPropertiesComponent().resolveProperty("camel.server.port").orElseThrow();
    }
}
