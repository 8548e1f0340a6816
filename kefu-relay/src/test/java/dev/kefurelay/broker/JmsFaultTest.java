package dev.kefurelay.broker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kefurelay.KefuRelay;
import dev.kefurelay.Samples;
import dev.kefurelay.sandbox.WeChatSandbox;
import dev.kefurelay.testkit.JmsTestClient;
import dev.kefurelay.testkit.TestRelays;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 1,000 JMS messages through the relay while WeChat misbehaves: busy bursts, HTTP 500s, revoked tokens,
 * permanent refusals, and malformed bodies among the input. Every message must end delivered exactly once
 * or in the DLQ with the right reason; none may be missing.
 */
class JmsFaultTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int N = 1000;

    @TempDir
    Path dir;

    @Test
    void everyMessageIsDeliveredOnceOrDeadLetteredWithItsReason() throws Exception {
        try (WeChatSandbox sandbox = WeChatSandbox.start(0).account(TestRelays.APPID, TestRelays.SECRET);
                KefuRelay relay = KefuRelay.start(TestRelays.properties(dir, sandbox, Map.of("kefu.retry.max", "4")));
                JmsTestClient client = new JmsTestClient(relay.broker().url(), "kefu.outbound")) {
            Set<String> malformed = new HashSet<>();
            int permanent = 0;
            int revokes = 0;
            for (int i = 0; i < N; i++) {
                String key = "m-" + i;
                if (i % 25 == 7) {
                    malformed.add(key);
                    client.sendText("{\"id\":\"" + key + "\", broken");
                } else {
                    client.sendText(Samples.textWithId(key, key));
                }
                // faults go in while the first 800 are being consumed, so later calls are certain to meet them
                if (i < 800 && i % 100 == 50) {
                    sandbox.failNext(-1, 3);
                    sandbox.failNextHttp(500, 2);
                    sandbox.failNext(40003, 2);
                    permanent += 2;
                }
                if (i < 800 && i % 200 == 120) {
                    sandbox.revokeTokens();
                    revokes++;
                }
            }
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(250)).until(() ->
                    sandbox.deliveredCount() + relay.broker().messageCount("kefu.outbound.dlq") >= N);

            List<String> delivered = sandbox.delivered().stream()
                    .map(d -> d.body().path("text").path("content").asText()).toList();
            Set<String> deliveredOnce = new HashSet<>(delivered);
            assertEquals(delivered.size(), deliveredOnce.size(), "a message was delivered twice");

            Map<String, String> deadReasons = new HashMap<>();
            Map<String, Integer> deadErrcodes = new HashMap<>();
            for (Message m : client.drain("kefu.outbound.dlq")) {
                String body = ((TextMessage) m).getText();
                String key = body.replaceAll(".*\"id\":\"(m-\\d+)\".*", "$1");
                deadReasons.put(key, m.getStringProperty("KefuReason"));
                if (m.propertyExists("KefuErrcode")) {
                    deadErrcodes.put(key, m.getIntProperty("KefuErrcode"));
                }
            }
            assertEquals(N, deliveredOnce.size() + deadReasons.size(), "every message is accounted for");
            for (int i = 0; i < N; i++) {
                String key = "m-" + i;
                assertTrue(deliveredOnce.contains(key) ^ deadReasons.containsKey(key), key + " delivered xor dead");
            }
            for (String key : malformed) {
                assertEquals("invalid-input", deadReasons.get(key), key);
            }
            long refused = deadReasons.entrySet().stream().filter(e -> "wechat-error".equals(e.getValue())).count();
            assertEquals(permanent, refused, "each permanent refusal dead-letters exactly one message");
            deadReasons.forEach((key, reason) -> {
                switch (reason) {
                    case "invalid-input" -> assertTrue(malformed.contains(key), key);
                    case "wechat-error" -> assertEquals(40003, deadErrcodes.get(key), key);
                    case "retries-exhausted" -> assertTrue(!deadErrcodes.containsKey(key)
                            || deadErrcodes.get(key) == -1, key + " " + deadErrcodes.get(key));
                    default -> throw new AssertionError(key + " has unexpected reason " + reason);
                }
            });
            int fetches = sandbox.tokenFetches(TestRelays.APPID);
            assertTrue(fetches >= 2 && fetches <= 1 + revokes, "token fetches " + fetches + " for " + revokes + " revocations");
        }
    }
}
