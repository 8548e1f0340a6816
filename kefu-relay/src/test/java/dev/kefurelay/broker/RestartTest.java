package dev.kefurelay.broker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

import dev.kefurelay.KefuRelay;
import dev.kefurelay.Samples;
import dev.kefurelay.sandbox.WeChatSandbox;
import dev.kefurelay.testkit.JmsTestClient;
import dev.kefurelay.testkit.TestRelays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A relay stopped in the middle of a run delivers the rest after it starts again, nothing twice. */
class RestartTest {

    private static final int N = 600;

    @TempDir
    Path dir;

    @Test
    void whatWasLeftOnTheQueueIsDeliveredAfterARestart() throws Exception {
        try (WeChatSandbox sandbox = WeChatSandbox.start(0).account(TestRelays.APPID, TestRelays.SECRET)) {
            // slow enough that 8 consumers (40 msg/s) cannot keep up with the sender: the stop must come mid-run
            sandbox.latency(Duration.ofMillis(200));
            Map<String, String> props = TestRelays.properties(dir, sandbox, Map.of("kefu.shutdown.timeout", "10s"));
            int deliveredAtStop;
            try (KefuRelay first = KefuRelay.start(props);
                    JmsTestClient client = new JmsTestClient(first.broker().url(), "kefu.outbound")) {
                for (int i = 0; i < N; i++) {
                    client.sendText(Samples.text("r-" + i));
                }
                await().atMost(Duration.ofSeconds(30)).until(() -> sandbox.deliveredCount() >= 50);
                client.close();
                first.close();
                deliveredAtStop = sandbox.deliveredCount();
            }
            assertTrue(deliveredAtStop < N, "stopped mid-run (" + deliveredAtStop + " delivered)");

            try (KefuRelay second = KefuRelay.start(props)) {
                await().atMost(Duration.ofSeconds(60)).until(() -> sandbox.deliveredCount() >= N);
                List<String> contents = sandbox.delivered().stream()
                        .map(d -> d.body().path("text").path("content").asText()).toList();
                assertEquals(N, new HashSet<>(contents).size(), "every message delivered");
                assertEquals(N, contents.size(), "none delivered twice");
                assertEquals(0, second.broker().messageCount("kefu.outbound.dlq"));
            }
        }
    }
}
