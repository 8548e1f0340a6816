package dev.kefurelay.receive;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kefurelay.KefuRelay;
import dev.kefurelay.LogCapture;
import dev.kefurelay.config.SandboxDefaults;
import dev.kefurelay.testkit.TestRelays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What docs/pushes.md's "The whole flow on this machine" shows: the relay with kefu.sandbox=true in mode
 * component; the sandbox's /sandbox/push URLs make it push as WeChat would. An account authorizes the platform, a
 * message is sent for it with no property set by hand, its user writes, and examples/answer-inbound answers.
 */
class PushSandboxTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void authorizePushAndSendOnOneMachine() throws Exception {
        int sandboxPort = TestRelays.freePort();
        Map<String, String> p = TestRelays.sandboxMode(dir, sandboxPort);
        p.put("kefu.token.mode", "component");
        p.put("camel.main.routes-include-pattern", "file:routes/*.camel.yaml,file:examples/answer-inbound/*.camel.yaml");
        try (LogCapture logs = LogCapture.open(); KefuRelay relay = KefuRelay.start(p)) {
            String sandbox = "http://127.0.0.1:" + sandboxPort;
            String shop = "wxnewshop00000001";
            JsonNode authorized = post(sandbox + "/sandbox/push/authorized?appid=" + shop);
            assertEquals(200, authorized.path("relay_status").asInt(), authorized.toString());
            assertEquals("success", authorized.path("relay_answer").asText());
            await().atMost(Duration.ofSeconds(20)).until(() -> JSON.readTree(relay.send("{\"appid\":\"" + shop
                    + "\",\"touser\":\"oShopUser1\",\"msgtype\":\"text\",\"text\":{\"content\":\"welcome\"}}"))
                    .path("errcode").asInt(-1) == 0);

            JsonNode text = post(sandbox + "/sandbox/push/text?appid=" + shop + "&openid=oShopUser1&content=hi");
            assertEquals(200, text.path("relay_status").asInt(), text.toString());
            // the example route answers from the account the user wrote to
            await().atMost(Duration.ofSeconds(20)).until(() -> logs.text().contains("answered a user of " + shop));
            assertTrue(JSON.readTree(post(sandbox + "/sandbox/push/ticket").toString()).path("relay_status").asInt() == 200);
            assertTrue(logs.text().contains(SandboxDefaults.COMPONENT_APPID));
        }
    }

    private JsonNode post(String url) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body());
    }
}
