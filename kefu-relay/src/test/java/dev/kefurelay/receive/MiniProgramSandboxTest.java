package dev.kefurelay.receive;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kefurelay.KefuRelay;
import dev.kefurelay.Samples;
import dev.kefurelay.config.SandboxDefaults;
import dev.kefurelay.testkit.JmsTestClient;
import dev.kefurelay.testkit.TestRelays;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Mini Program tried on one machine (kefu.sandbox=true, mode component): the relay tells its sandbox the
 * authorizer's kind, so the sandbox judges its messages as WeChat would, and the sandbox's
 * /sandbox/push/miniprogram button pushes the Mini Program's user in JSON to the relay.
 */
class MiniProgramSandboxTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MINI = SandboxDefaults.AUTHORIZER_APPID;

    @TempDir
    Path dir;

    @Test
    void anAuthorizerThatIsAMiniProgramOnTheSandbox() throws Exception {
        int sandboxPort = TestRelays.freePort();
        Map<String, String> p = TestRelays.sandboxMode(dir, sandboxPort);
        p.put("kefu.token.mode", "component");
        p.put("kefu.accounts." + MINI + ".kind", "miniprogram");
        try (KefuRelay relay = KefuRelay.start(p);
                JmsTestClient jms = new JmsTestClient(relay.broker().url(), "kefu.unused")) {
            JsonNode link = JSON.readTree(relay.send("{\"appid\":\"" + MINI + "\","
                    + Samples.miniProgramBody("link").substring(1)));
            assertEquals(0, link.path("errcode").asInt(-1), link.toString());
            JsonNode news = JSON.readTree(relay.send("{\"appid\":\"" + MINI + "\","
                    + Samples.wechatBody("news").substring(1)));
            assertEquals("invalid-input", news.path("reason").asText(), news.toString());

            JsonNode pushed = post("http://127.0.0.1:" + sandboxPort + "/sandbox/push/miniprogram?appid=" + MINI
                    + "&openid=oSandboxMini&content=hi&format=json");
            assertEquals(200, pushed.path("relay_status").asInt(), pushed.toString());
            List<Message> inbound = jms.drain("kefu.inbound");
            assertEquals(1, inbound.size());
            JsonNode message = JSON.readTree(((TextMessage) inbound.get(0)).getText());
            assertEquals("miniprogram", message.path("kind").asText());
            assertEquals("hi", message.path("fields").path("Content").asText());
        }
    }

    /**
     * Mode stable with a second account, a Mini Program with push keys of its own (here the sandbox's): the
     * sandbox's button pushes as WeChat does, with that account's appid as receive id, not the default account's.
     */
    @Test
    void aSecondAccountThatIsAMiniProgramGetsItsOwnPushesFromTheSandbox() throws Exception {
        int sandboxPort = TestRelays.freePort();
        String mini = "wxminisandbox00001";
        Map<String, String> p = TestRelays.sandboxMode(dir, sandboxPort);
        p.put("kefu.accounts." + mini + ".secret", "mini-sandbox-secret");
        p.put("kefu.accounts." + mini + ".kind", "miniprogram");
        p.put("kefu.accounts." + mini + ".push-token", SandboxDefaults.PUSH_TOKEN);
        p.put("kefu.accounts." + mini + ".push-aes-key", SandboxDefaults.PUSH_AES_KEY);
        try (KefuRelay relay = KefuRelay.start(p);
                JmsTestClient jms = new JmsTestClient(relay.broker().url(), "kefu.unused")) {
            for (String format : List.of("json", "xml")) {
                JsonNode pushed = post("http://127.0.0.1:" + sandboxPort + "/sandbox/push/miniprogram?appid=" + mini
                        + "&openid=oMini-" + format + "&content=hi&format=" + format);
                assertEquals(200, pushed.path("relay_status").asInt(), pushed.toString());
            }
            List<Message> inbound = jms.drain("kefu.inbound");
            assertEquals(2, inbound.size());
            for (Message m : inbound) {
                JsonNode message = JSON.readTree(((TextMessage) m).getText());
                assertEquals(mini, message.path("appid").asText());
                assertEquals("miniprogram", message.path("kind").asText());
            }
        }
    }

    private static JsonNode post(String url) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body());
    }
}
