package dev.kefurelay.receive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kefurelay.KefuRelay;
import dev.kefurelay.LogCapture;
import dev.kefurelay.sandbox.Pushes;
import dev.kefurelay.sandbox.WeChatSandbox;
import dev.kefurelay.testkit.JmsTestClient;
import dev.kefurelay.testkit.TestRelays;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The WXBizMsgCrypt vectors of Tencent's samples and the SDKs (../shared/fixtures/wxbizmsgcrypt-vectors.json)
 * POSTed to a relay's account endpoint over real HTTP: those of the relay's account (token pamtest, its key and
 * appid) land on kefu.inbound; every negative one is refused and nothing is queued. The vectors are from 2014-2016,
 * so the replay window is off (kefu.push.max-age=0), as for replaying recorded pushes.
 */
class PushVectorsEndToEndTest {

    static final Path FIXTURE = Path.of("../shared/fixtures/wxbizmsgcrypt-vectors.json");
    static final String APPID = "wxb11529c136998cb6";
    static final String TOKEN = "pamtest";
    static final String KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void positiveVectorsArriveOnTheInboundQueueAndNegativeOnesQueueNothing() throws Exception {
        assumeTrue(Files.isRegularFile(FIXTURE), FIXTURE + " is absent: vectors skipped");
        List<JsonNode> vectors = new ArrayList<>();
        JSON.readTree(FIXTURE.toFile()).forEach(vectors::add);
        try (LogCapture logs = LogCapture.open(); WeChatSandbox sandbox = WeChatSandbox.start(0)) {
            List<String> expectedOnQueue = new ArrayList<>();
            List<Message> queued;
            try (Relay ours = relay(sandbox, TOKEN, KEY, APPID)) {
                for (JsonNode v : vectors) {
                    boolean mine = v.path("token").asText().equals(TOKEN) && v.path("encoding_aes_key").asText().equals(KEY)
                            && v.path("receive_id").asText().equals(APPID) && v.has("encrypt");
                    if (!mine) {
                        continue;
                    }
                    Pushes.Result r = post(ours, v);
                    String plain = v.path("expected_plaintext").asText();
                    if (!v.path("expect").asText().equals("ok")) {
                        assertEquals(401, r.status(), v.path("id").asText() + ": " + r);
                    } else if (plain.startsWith("<xml>")) {
                        assertTrue(r.success(), v.path("id").asText() + ": " + r);
                        expectedOnQueue.add(v.path("id").asText());
                    } else {
                        // decrypts, but the plaintext is no message XML (Tencent's sample encrypts a bare string)
                        assertEquals(400, r.status(), v.path("id").asText() + ": " + r);
                    }
                }
                queued = ours.jms.drain("kefu.inbound");
            }
            assertEquals(List.of("oa-java-2", "easywechat-1"), expectedOnQueue);
            assertEquals(2, queued.size());
            JsonNode video = JSON.readTree(((TextMessage) queued.get(0)).getText());
            assertEquals("video", video.path("type").asText());
            assertEquals("testCallBackReplyVideo", video.path("fields").path("Video").path("Title").asText());
            JsonNode text = JSON.readTree(((TextMessage) queued.get(1)).getText());
            assertEquals("asdasdasdsadasd", text.path("openid").asText());
            assertEquals("12345", text.path("msgid").asText());
            assertEquals("hello", text.path("fields").path("Content").asText());

            // the other negative vectors, each to a relay set up with its token, key and receive id
            for (JsonNode v : vectors) {
                if (v.path("expect").asText().equals("ok") || v.path("receive_id").asText().equals(APPID)
                        && v.path("token").asText().equals(TOKEN)) {
                    continue;
                }
                // "invalid appid" cannot be a path: an appid of the same meaning, not the one the push decrypts to
                String receiveId = v.path("receive_id").asText().matches("[A-Za-z0-9_-]+") ? v.path("receive_id").asText()
                        : "wxnotthisaccount1";
                try (Relay other = relay(sandbox, v.path("token").asText(), v.path("encoding_aes_key").asText(), receiveId)) {
                    Pushes.Result r = post(other, v);
                    assertEquals(401, r.status(), v.path("id").asText() + ": " + r);
                    assertEquals(0, other.jms.drain("kefu.inbound").size(), v.path("id").asText());
                }
            }
            assertFalse(logs.text().contains(KEY));
        }
    }

    private record Relay(KefuRelay relay, JmsTestClient jms, Pushes pushes, String appid) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            jms.close();
            relay.close();
        }
    }

    private Relay relay(WeChatSandbox sandbox, String token, String key, String appid) throws Exception {
        sandbox.account(appid, "vector-account-secret");
        int port = TestRelays.freePort();
        Map<String, String> p = new LinkedHashMap<>(dev.kefurelay.testkit.KefuSandboxExtension.sandboxProperties(
                dir.resolve(appid), sandbox.baseUrl(), appid, "vector-account-secret"));
        p.put("kefu.push.port", String.valueOf(port));
        p.put("kefu.push.token", token);
        p.put("kefu.push.aes-key", key);
        p.put("kefu.push.max-age", "0");
        KefuRelay relay = KefuRelay.start(p);
        return new Relay(relay, new JmsTestClient(relay.broker().url(), "unused"),
                sandbox.pushes("http://127.0.0.1:" + port, token, key, appid), appid);
    }

    private static Pushes.Result post(Relay relay, JsonNode v) {
        String body = v.has("post_xml") ? v.path("post_xml").asText() : "<xml><ToUserName><![CDATA[gh]]>"
                + "</ToUserName><Encrypt><![CDATA[" + v.path("encrypt").asText() + "]]></Encrypt></xml>";
        return relay.pushes().post(Pushes.ACCOUNTS_PATH + relay.appid(), "timestamp=" + v.path("timestamp").asText()
                + "&nonce=" + v.path("nonce").asText() + "&encrypt_type=aes&msg_signature="
                + Pushes.q(v.path("msg_signature").asText()), body);
    }
}
