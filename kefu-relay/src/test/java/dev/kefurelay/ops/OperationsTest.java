package dev.kefurelay.ops;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

import dev.kefurelay.KefuRelay;
import dev.kefurelay.LogCapture;
import dev.kefurelay.Samples;
import dev.kefurelay.broker.BrokerSettings;
import dev.kefurelay.broker.EmbeddedBroker;
import dev.kefurelay.sandbox.WeChatSandbox;
import dev.kefurelay.testkit.Http;
import dev.kefurelay.testkit.JmsTestClient;
import dev.kefurelay.testkit.TestRelays;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Health as the broker and WeChat go away and come back, and the metrics of a known mix of outcomes. */
class OperationsTest {

    private static final String APPID = TestRelays.APPID;

    @TempDir
    Path dir;

    @Test
    void readinessFollowsTheBroker() throws Exception {
        BrokerSettings brokerSettings = BrokerSettings.loopback(dir.resolve("ext-broker"), 0);
        EmbeddedBroker broker = EmbeddedBroker.start(brokerSettings);
        try (WeChatSandbox sandbox = WeChatSandbox.start(0).account(APPID, TestRelays.SECRET);
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
        WeChatSandbox sandbox = WeChatSandbox.start(0).account(APPID, TestRelays.SECRET);
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

            sandbox = WeChatSandbox.start(port).account(APPID, TestRelays.SECRET);
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
        try (WeChatSandbox sandbox = WeChatSandbox.start(0).account(APPID, TestRelays.SECRET);
                KefuRelay relay = KefuRelay.start(TestRelays.properties(dir, sandbox, Map.of()));
                LogCapture log = LogCapture.open()) {
            // before any message: the meters nearly every message ends in are there at 0
            String before = Http.get(relay.httpUrl() + KefuRelay.METRICS_PATH).body();
            assertEquals(0.0, Http.sample(before, "kefu_messages_delivered_total", Map.of("appid", APPID, "channel",
                    "custom")), before);
            assertEquals(0.0, Http.sample(before, "kefu_send_latency_seconds_count", Map.of("outcome", "delivered")),
                    before);
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
                    + " touser=oUse\\*\\*\\*01 msgtype=text id=ok-1 channel=custom latency=\\d+ms.*")), String.join("", outcomes));
            assertTrue(outcomes.stream().anyMatch(l -> l.matches("(?s).*failed appid=" + APPID
                    + " touser=oUse\\*\\*\\*01 msgtype=text id=- channel=custom reason=wechat-error errcode=40003 errmsg=.* latency=\\d+ms.*")),
                    String.join("", outcomes));
            String all = log.text();
            assertTrue(!all.contains(TestRelays.SECRET), "no secret in the log");
            sandbox.issuedTokens().forEach(t -> assertTrue(!all.contains(t), "no token in the log"));
        }
    }

    @Test
    void messagesForUnconfiguredAccountsAreBadInputAndLeaveReadinessTokensAndMetricsAlone() throws Exception {
        try (WeChatSandbox sandbox = WeChatSandbox.start(0).account(APPID, TestRelays.SECRET);
                KefuRelay relay = KefuRelay.start(TestRelays.properties(dir, sandbox, Map.of()));
                LogCapture log = LogCapture.open();
                JmsTestClient client = new JmsTestClient(relay.broker().url(), "kefu.outbound")) {
            String ready = relay.httpUrl() + KefuRelay.HEALTH_PATH + "/ready";
            assertTrue(relay.send(Samples.text("a configured account")).contains("\"errcode\":0"));
            await().atMost(Duration.ofSeconds(20)).until(() -> Http.get(ready).status() == 200);

            List<String> strangers = IntStream.range(0, 30).mapToObj(i -> "wxNOPE" + (1000 + i)).toList();
            try (MessageProducer producer = client.session().createProducer(client.session().createQueue("kefu.outbound"))) {
                for (String appid : strangers) {
                    TextMessage m = client.session().createTextMessage(Samples.text("for " + appid));
                    m.setStringProperty("KefuAppId", appid);
                    producer.send(m);
                }
            }
            List<Message> dead = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                dead.addAll(client.drain("kefu.outbound.dlq"));
                return dead.size() >= strangers.size();
            });
            for (Message m : dead) {
                String appid = m.getStringProperty("KefuAppId");
                assertEquals("invalid-input", m.getStringProperty("KefuReason"));
                assertTrue(m.getStringProperty("KefuErrmsg").contains("kefu.accounts." + appid + ".secret")
                        && !m.getStringProperty("KefuErrmsg").contains("camel.component"),
                        m.getStringProperty("KefuErrmsg"));
            }

            Http.Reply health = Http.get(ready);
            assertEquals(200, health.status(), health.body());
            for (String appid : strangers) {
                assertEquals(0, sandbox.tokenFetches(appid), "token requests WeChat saw for " + appid);
                assertEquals(0, relay.tokens().fetches(appid), "token requests the relay made for " + appid);
            }
            assertEquals(Set.of(APPID), relay.tokens().accounts());
            String m = Http.get(relay.httpUrl() + KefuRelay.METRICS_PATH).body();
            List<String> appidLabels = m.lines().filter(l -> l.startsWith("kefu_") && l.contains("appid=\""))
                    .map(l -> l.replaceAll(".*appid=\"([^\"]*)\".*", "$1")).distinct().sorted().toList();
            assertEquals(List.of("unconfigured", APPID), appidLabels, "bounded appid labels");
            assertEquals(strangers.size(), Http.sample(m, "kefu_messages_failed_total",
                    Map.of("appid", "unconfigured", "reason", "invalid-input", "errcode", "none")));
            // one WARN outcome line each, no stack trace
            assertTrue(log.lines().stream().noneMatch(l -> l.contains("\tat ")), log.text());
            assertTrue(relay.send(Samples.text("still delivering")).contains("\"errcode\":0"));
        }
    }

    @Test
    void theStartLineShowsTheAddressTheHealthServerIsBoundTo() throws Exception {
        try (LogCapture log = LogCapture.open();
                WeChatSandbox sandbox = WeChatSandbox.start(0).account(APPID, TestRelays.SECRET);
                KefuRelay relay = KefuRelay.start(TestRelays.properties(dir, sandbox, Map.of()))) {
            String bound = "http://127.0.0.1:" + relay.httpPort();
            List<String> lines = log.lines();
            assertTrue(lines.stream().anyMatch(l -> l.contains("kefu-relay started")
                    && l.contains("health " + bound + KefuRelay.HEALTH_PATH)
                    && l.contains("metrics " + bound + KefuRelay.METRICS_PATH)), log.text());
            assertTrue(lines.stream().noneMatch(l -> l.contains("0.0.0.0")), log.text());
        }
    }
}
