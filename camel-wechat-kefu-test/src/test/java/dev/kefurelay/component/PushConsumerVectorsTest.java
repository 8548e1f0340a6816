package dev.kefurelay.component;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import dev.kefurelay.LogCapture;
import dev.kefurelay.push.PushBody;
import dev.kefurelay.push.PushXml;
import dev.kefurelay.sandbox.Pushes;
import dev.kefurelay.sandbox.WeChatSandbox;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The WXBizMsgCrypt vectors of Tencent's samples and the SDKs (../shared/fixtures/wxbizmsgcrypt-vectors.json,
 * skipped when absent) POSTed over real HTTP to {@code from("wechat-kefu:push")} in a camel-main application that
 * has each vector's account (its Token, EncodingAESKey and appid as account-push-tokens / account-push-secret-keys):
 * every positive one that is a message becomes an exchange with the vector's sender and type; every negative one is
 * refused (401) and becomes none. The vectors are from 2014-2016, so the replay window is off (push-max-age=0), as
 * for replaying recorded pushes.
 */
class PushConsumerVectorsTest {

    /** An appid no vector decrypts to, holding the keys of the one whose receive id is no appid ("invalid appid"). */
    static final String OTHER_APPID = "wxnotthisaccount1";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static Path fixture() {
        // the module's folder when Maven runs it per module, the repository's root otherwise
        for (String base : List.of("../shared", "../../shared")) {
            Path p = Path.of(base, "fixtures", "wxbizmsgcrypt-vectors.json");
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    private static String account(JsonNode v) {
        String id = v.path("receive_id").asText();
        return id.matches("[A-Za-z0-9_-]+") ? id : OTHER_APPID;
    }

    @Test
    void positiveVectorsBecomeExchangesAndNegativeOnesAreRefusedWithNone() throws Exception {
        Path fixture = fixture();
        assumeTrue(fixture != null, "../shared/fixtures/wxbizmsgcrypt-vectors.json is absent: vectors skipped");
        List<JsonNode> vectors = new ArrayList<>();
        JSON.readTree(fixture.toFile()).forEach(v -> {
            if (v.has("encrypt")) {
                vectors.add(v);
            }
        });
        Map<String, String> options = new LinkedHashMap<>(Map.of("push-max-age", "0"));
        List<String> keys = new ArrayList<>();
        for (JsonNode v : vectors) {
            options.put("account-push-tokens[" + account(v) + "]", v.path("token").asText());
            options.put("account-push-secret-keys[" + account(v) + "]", v.path("encoding_aes_key").asText());
            keys.add(v.path("encoding_aes_key").asText());
        }
        try (LogCapture logs = LogCapture.everyLevel(); WeChatSandbox sandbox = WeChatSandbox.start(0);
                PushApp app = new PushApp(sandbox.baseUrl(), dir, options).start()) {
            Pushes http = sandbox.pushes(app.url(), "unused", null, "unused");
            List<String> routed = new ArrayList<>();
            for (JsonNode v : vectors) {
                String id = v.path("id").asText();
                int before = app.bodies.size();
                String body = v.has("post_xml") ? v.path("post_xml").asText() : "<xml><ToUserName><![CDATA[gh]]>"
                        + "</ToUserName><Encrypt><![CDATA[" + v.path("encrypt").asText() + "]]></Encrypt></xml>";
                Pushes.Result r = http.post(Pushes.ACCOUNTS_PATH + account(v), "timestamp=" + v.path("timestamp")
                        .asText() + "&nonce=" + v.path("nonce").asText() + "&encrypt_type=aes&msg_signature="
                        + Pushes.q(v.path("msg_signature").asText()), body);
                String plain = v.path("expected_plaintext").asText();
                if (!v.path("expect").asText().equals("ok")) {
                    assertEquals(401, r.status(), id + ": " + r);
                    assertEquals(before, app.bodies.size(), id + " reached the route");
                } else if (!plain.startsWith("<xml>")) {
                    // decrypts, but is no message (Tencent's sample encrypts a bare string)
                    assertEquals(400, r.status(), id + ": " + r);
                    assertEquals(before, app.bodies.size(), id + " reached the route");
                } else {
                    assertTrue(r.success(), id + ": " + r);
                    assertEquals(before + 1, app.bodies.size(), id + " did not reach the route");
                    Map<String, Object> fields = PushBody.parse(plain, PushXml.DEFAULT_MAX_BYTES);
                    Map<String, Object> headers = app.headers.get(before);
                    assertEquals(account(v), headers.get("KefuAppId"), id);
                    assertEquals(PushXml.text(fields, "FromUserName"), headers.get("KefuOpenId"), id);
                    assertEquals(PushXml.text(fields, "MsgType"), headers.get("KefuMsgType"), id);
                    assertEquals(JSON.valueToTree(fields), JSON.readTree(app.bodies.get(before)).path("fields"), id);
                    routed.add(id);
                }
            }
            assertEquals(List.of("oa-java-2", "oa-python-1", "official-csharp-1", "easywechat-1",
                    "wechatpy-work-encrypt", "wechatpy-work-decrypt"), routed);
            PushConsumerTest.assertNoSecretLogged(logs, new java.util.HashSet<>(keys));
        }
    }
}
