package dev.kefurelay.receive;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kefurelay.KefuRelay;
import dev.kefurelay.sandbox.SandboxWeCom;
import dev.kefurelay.testkit.Http;
import dev.kefurelay.testkit.JmsTestClient;
import dev.kefurelay.testkit.TestRelays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What docs/wecom.md's "Trying it on this machine" shows: the relay run as the README runs it (kefu.sandbox=true, no
 * kefu.push.port) has WeCom's side of the sandbox too. A customer writing through the sandbox's button ends on
 * kefu.inbound (the sandbox calls the relay back, encrypted, on push endpoints the relay opened for it), and a WeCom
 * message dropped in the inbox reaches the customer.
 */
class WeComSandboxTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void aCustomerWritingEndsOnKefuInboundAndADroppedAnswerReachesThem() throws Exception {
        int sandboxPort = TestRelays.freePort();
        Map<String, String> p = TestRelays.sandboxMode(dir, sandboxPort);
        p.remove("kefu.push.port");
        try (KefuRelay relay = KefuRelay.start(p);
                JmsTestClient jms = new JmsTestClient(relay.broker().url(), "kefu.unused")) {
            String sandbox = "http://127.0.0.1:" + sandboxPort;
            String customer = "open_kfid=" + SandboxWeCom.DEMO_OPEN_KFID + "&external_userid=wmDemoCustomer01";
            Http.Reply wrote = Http.get(sandbox + "/sandbox/wecom/customer/write?" + customer + "&text=hello");
            assertEquals(200, wrote.status(), wrote.body());

            JsonNode inbound = WeComCallbackTest.receive(jms, 1).get(0);
            assertEquals(JSON.readTree(wrote.body()).get("msgid").asText(), inbound.get("msgid").asText());
            assertEquals(SandboxWeCom.DEMO_CORPID, inbound.get("corpid").asText());
            assertEquals("hello", inbound.path("text").path("content").asText());

            Path inbox = dir.resolve("inbox");
            Files.writeString(inbox.resolve("answer.json.tmp"), "{\"id\":\"answer-1\",\"touser\":"
                    + "\"wmDemoCustomer01\",\"open_kfid\":\"" + SandboxWeCom.DEMO_OPEN_KFID + "\",\"msgtype\":\"text\","
                    + "\"text\":{\"content\":\"您好，已收到\"}}");
            Files.move(inbox.resolve("answer.json.tmp"), inbox.resolve("answer.json"));
            await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(inbox.resolve(".done/answer.json")));
            JsonNode sent = JSON.readTree(Http.get(sandbox + "/sandbox/wecom/sent?" + customer).body()).get("sent");
            assertEquals(1, sent.size(), sent.toString());
            assertEquals("answer-1", sent.get(0).get("msgid").asText());
            assertEquals("您好，已收到", sent.get(0).path("body").path("text").path("content").asText());
        }
    }

    /**
     * The store keeps the sync_msg cursor of the earlier run, and the sandbox starts empty: the first message after a
     * restart is not taken for one the relay read before.
     */
    @Test
    void aRestartedRelayGetsWhatCustomersWriteToItsFreshSandbox() throws Exception {
        int sandboxPort = TestRelays.freePort();
        Map<String, String> p = TestRelays.sandboxMode(dir, sandboxPort);
        String write = "http://127.0.0.1:" + sandboxPort + "/sandbox/wecom/customer/write?open_kfid="
                + SandboxWeCom.DEMO_OPEN_KFID + "&external_userid=wmDemoCustomer02&text=";
        for (String text : new String[] {"before", "after"}) {
            try (KefuRelay relay = KefuRelay.start(p);
                    JmsTestClient jms = new JmsTestClient(relay.broker().url(), "kefu.unused")) {
                assertEquals(200, Http.get(write + text).status());
                JsonNode inbound = WeComCallbackTest.receive(jms, 1).get(0);
                assertEquals(text, inbound.path("text").path("content").asText());
            }
        }
    }
}
