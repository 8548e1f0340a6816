package dev.kefurelay;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.kefurelay.broker.BrokerSettings;
import dev.kefurelay.broker.EmbeddedBroker;
import dev.kefurelay.sandbox.WeChatSandbox;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Health as the broker and WeChat go away and come back, and the metrics of a known mix of outcomes. */
class OperationsTest {

    private static final String APPID = CoreDeliveryTest.APPID;

    @TempDir
    Path dir;

    @Test
    void readinessFollowsTheBroker() throws Exception {
        BrokerSettings brokerSettings = BrokerSettings.loopback(dir.resolve("ext-broker"), 0);
        EmbeddedBroker broker = EmbeddedBroker.start(brokerSettings);
        try (WeChatSandbox sandbox = WeChatSandbox.start(0).account(APPID, CoreDeliveryTest.SECRET);
                KefuRelay relay = KefuRelay.start(TestRelays.properties(dir, sandbox,
                        Map.of("kefu.broker.url", broker.url())))) {
            String ready = relay.httpUrl() + KefuRelay.HEALTH_PATH + "/ready";
            String live = relay.httpUrl() + KefuRelay.HEALTH_PATH + "/live";
            await().atMost(Duration.ofSeconds(20)).until(() -> Http.get(ready).status() == 200);

            broker.close();
            await().atMost(Duration.ofSeconds(20)).until(() -> Http.get(ready).status() == 503);
            Http.Reply down = Http.get(ready);
            assertTrue(down.body().contains("broker"), down.body());
            assertEquals(200, Http.get(live).status(), "a broker outage is no reason to restart the relay");

            broker = EmbeddedBroker.start(BrokerSettings.loopback(brokerSettings.dataDir(), broker.port()));
            await().atMost(Duration.ofSeconds(45)).until(() -> Http.get(ready).status() == 200);
            // and the JMS input works again
            try (JmsTestClient client = new JmsTestClient(broker.url(), "kefu.outbound")) {
                client.sendText(Samples.text("after the broker came back"));
            }
            // the listener container reconnects on its own schedule (recovery every 5 s after its client's retries)
            await().atMost(Duration.ofSeconds(90)).until(() -> sandbox.deliveredCount() == 1);
        } finally {
            broker.close();
        }
    }

    @Test
    void readinessFollowsWeChatTokens() throws Exception {
        WeChatSandbox sandbox = WeChatSandbox.start(0).account(APPID, CoreDeliveryTest.SECRET);
        int port = sandbox.port();
        try (KefuRelay relay = KefuRelay.start(TestRelays.properties(dir, sandbox, Map.of()))) {
            String ready = relay.httpUrl() + KefuRelay.HEALTH_PATH + "/ready";
            await().atMost(Duration.ofSeconds(20)).until(() -> Http.get(ready).status() == 200);

            sandbox.close();
            String outcome = relay.send(Samples.text("while WeChat is away"));
            assertTrue(outcome.contains("retries-exhausted"), outcome);
            Http.Reply down = Http.get(ready);
            assertEquals(503, down.status(), down.body());
            assertTrue(down.body().contains("tokens") && down.body().contains(APPID), down.body());

            sandbox = WeChatSandbox.start(port).account(APPID, CoreDeliveryTest.SECRET);
            // no message needed: the check asks for a token again by itself
            await().atMost(Duration.ofSeconds(20)).until(() -> Http.get(ready).status() == 200);
            assertTrue(relay.tokens().hasValidToken(APPID));
            assertTrue(relay.send(Samples.text("WeChat is back")).contains("\"errcode\":0"));
        } finally {
            sandbox.close();
        }
    }

    @Test
    void metricsCountAKnownMixOfOutcomes() throws Exception {
        try (WeChatSandbox sandbox = WeChatSandbox.start(0).account(APPID, CoreDeliveryTest.SECRET);
                KefuRelay relay = KefuRelay.start(TestRelays.properties(dir, sandbox, Map.of()));
                LogCapture log = LogCapture.open()) {
            for (int i = 0; i < 3; i++) {
                assertTrue(relay.send(Samples.textWithId("ok-" + i, "hello " + i)).contains("\"errcode\":0"));
            }
            relay.send(Samples.textWithId("ok-0", "hello again")); // same id: not sent again
            relay.send("{\"msgtype\":\"text\",\"text\":{\"content\":\"no touser\"}}");
            sandbox.failNext(40003, 1);
            relay.send(Samples.text("refused"));
            sandbox.failNext(-1, TestRelays.RETRIES + 1);
            relay.send(Samples.text("busy"));
            sandbox.failNext(-1, 1);
            relay.send(Samples.text("busy once, then delivered"));

            Http.Reply scrape = Http.get(relay.httpUrl() + KefuRelay.METRICS_PATH);
            assertEquals(200, scrape.status());
            String m = scrape.body();
            Map<String, String> account = Map.of("appid", APPID);
            assertEquals(4.0, Http.sample(m, "kefu_messages_delivered_total", account), m);
            assertEquals(1.0, Http.sample(m, "kefu_messages_duplicate_total", account));
            assertEquals(1.0, Http.sample(m, "kefu_messages_failed_total",
                    Map.of("appid", APPID, "reason", "wechat-error", "errcode", "40003")));
            assertEquals(1.0, Http.sample(m, "kefu_messages_failed_total",
                    Map.of("appid", APPID, "reason", "retries-exhausted", "errcode", "-1")));
            assertEquals(1.0, Http.sample(m, "kefu_messages_failed_total",
                    Map.of("reason", "invalid-input", "errcode", "none")));
            assertEquals(TestRelays.RETRIES + 1.0, Http.sample(m, "kefu_messages_retries_total", account));
            assertEquals(1.0, Http.sample(m, "kefu_token_fetches_total", Map.of("appid", APPID, "outcome", "success")));
            assertEquals(0.0, Http.sample(m, "kefu_token_fetches_total", Map.of("appid", APPID, "outcome", "failure")));
            assertEquals(4.0, Http.sample(m, "kefu_send_latency_seconds_count", Map.of("outcome", "delivered")));
            assertEquals(3.0, Http.sample(m, "kefu_send_latency_seconds_count", Map.of("outcome", "failed")));
            assertEquals(4.0, Http.sample(m, "kefu_send_latency_seconds_bucket",
                    Map.of("outcome", "delivered", "le", "+Inf")));
            assertEquals(0.0, Http.sample(m, "kefu_queue_depth", Map.of("queue", "kefu.outbound")));
            assertEquals(0.0, Http.sample(m, "kefu_queue_depth", Map.of("queue", "kefu.outbound.dlq")));
            assertTrue(m.contains("\njvm_memory_used_bytes{"), "JVM metrics too");
            assertEquals(4, sandbox.deliveredCount());

            // one outcome line per message, with what an operator needs and nothing secret
            List<String> outcomes = log.lines().stream().filter(l -> l.startsWith("dev.kefurelay.outcome ")).toList();
            assertEquals(8, outcomes.size(), String.join("", outcomes));
            assertTrue(outcomes.stream().anyMatch(l -> l.matches("(?s).*delivered appid=" + APPID
                    + " touser=oUse\\*\\*\\*01 msgtype=text id=ok-1 latency=\\d+ms.*")), String.join("", outcomes));
            assertTrue(outcomes.stream().anyMatch(l -> l.matches("(?s).*failed appid=" + APPID
                    + " touser=oUse\\*\\*\\*01 msgtype=text id=- reason=wechat-error errcode=40003 errmsg=.* latency=\\d+ms.*")),
                    String.join("", outcomes));
            String all = log.text();
            assertTrue(!all.contains(CoreDeliveryTest.SECRET), "no secret in the log");
            sandbox.issuedTokens().forEach(t -> assertTrue(!all.contains(t), "no token in the log"));
        }
    }
}
