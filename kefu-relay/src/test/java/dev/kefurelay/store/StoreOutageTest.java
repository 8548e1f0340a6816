package dev.kefurelay.store;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.kefurelay.KefuRelay;
import dev.kefurelay.LogCapture;
import dev.kefurelay.Samples;
import dev.kefurelay.sandbox.WeChatSandbox;
import dev.kefurelay.testkit.Http;
import dev.kefurelay.testkit.JmsTestClient;
import dev.kefurelay.testkit.TestRelays;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.server.Queue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The relay on a PostgreSQL store whose server freezes (SIGSTOP of every server process) for a few seconds while
 * messages arrive over JMS and in the inbox: readiness keeps answering at once and says the store is away, no message
 * is dead-lettered, the relay takes no more (the messages wait on the queue and in the inbox; those already taken
 * wait for the store), and
 * once the server is thawed every one is delivered exactly once, with nobody restarting anything. A server of its
 * own, since a frozen one would stop every other test's database.
 */
class StoreOutageTest {

    private static final String DLQ = "kefu.outbound.dlq";

    @TempDir
    static Path dir;
    static EmbeddedPostgres server;
    static WeChatSandbox sandbox;

    @BeforeAll
    static void start() throws Exception {
        server = EmbeddedPostgres.builder().start();
        sandbox = WeChatSandbox.start(0).account(TestRelays.APPID, TestRelays.SECRET);
    }

    @AfterAll
    static void stop() throws Exception {
        sandbox.close();
        server.close();
    }

    private static Map<String, String> properties(String database, String name) throws Exception {
        try (Connection c = server.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + database);
        }
        Map<String, String> p = new HashMap<>(TestRelays.properties(dir.resolve(name), sandbox, Map.of(
                "kefu.store.url", "jdbc:postgresql://127.0.0.1:" + server.getPort() + "/" + database,
                "kefu.store.user", "postgres", "kefu.store.lock-timeout", "2s", "kefu.shutdown.timeout", "10s")));
        // kept by the second relay of a test (the queue's messages are in its journal)
        p.put("kefu.broker.data-dir", dir.resolve(name + "-broker").toString());
        return p;
    }

    @Test
    void whileTheServerIsFrozenReadinessAnswersAtOnceNothingIsDeadLetteredAndAllGoOnceAfter() throws Exception {
        Map<String, String> props = properties("kefu_frozen", "frozen");
        Path inbox = Path.of(props.get("kefu.inbox.dir"));
        int before = sandbox.deliveredCount();
        try (LogCapture log = LogCapture.open();
                KefuRelay relay = KefuRelay.start(props);
                JmsTestClient client = new JmsTestClient(relay.broker().url(), "kefu.outbound")) {
            String ready = relay.httpUrl() + KefuRelay.HEALTH_PATH + "/ready";
            await().atMost(Duration.ofSeconds(20)).until(() -> Http.get(ready).status() == 200);
            // a token cached and the pool in use, as in a relay that has been running
            assertTrue(relay.send(Samples.textWithId("warm-up", "frozen warm-up")).contains("\"errcode\":0"));
            Queue queue = relay.broker().server().locateQueue(SimpleString.of("kefu.outbound"));

            try (FrozenPostgres frozen = FrozenPostgres.freeze(server)) {
                // taken at once by the consumers: these meet the frozen store in flight
                for (int i = 0; i < 20; i++) {
                    client.sendText(Samples.textWithId("jms-" + i, "frozen jms " + i));
                }
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    Http.Reply r = readyAtOnce(ready);
                    return r.status() == 503 && r.body().contains("store") && r.body().contains("unreachable");
                });
                await().atMost(Duration.ofSeconds(10)).until(() -> log.text().contains("the relay takes no message"));
                // these arrive while the relay takes none: they stay on the queue and in the inbox
                for (int i = 20; i < 25; i++) {
                    client.sendText(Samples.textWithId("jms-" + i, "frozen jms " + i));
                }
                Path tmp = inbox.resolve("during.jsonl.tmp");
                Files.writeString(tmp, Samples.textWithId("file-0", "frozen file 0") + "\n"
                        + Samples.textWithId("file-1", "frozen file 1") + "\n");
                Files.move(tmp, inbox.resolve("during.jsonl"));

                // a few seconds of the freeze: readiness keeps answering at once and saying so, nothing is taken
                await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() ->
                        readyAtOnce(ready).status() == 503 && queue.getMessageCount() - queue.getDeliveringCount() >= 5);
                assertFalse(log.text().contains("inbox file during.jsonl"), "the file was not taken");
                assertTrue(Files.exists(inbox.resolve("during.jsonl")), "the file stays in the inbox");
                assertEquals(0, relay.broker().messageCount(DLQ), "no dead letter while the store is away");
                assertFalse(Files.exists(inbox.resolve(".error")), "no failed message record");
            }

            await().atMost(Duration.ofSeconds(60)).until(() -> sandbox.deliveredCount() - before >= 28);
            await().atMost(Duration.ofSeconds(30)).until(() -> Http.get(ready).status() == 200);
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(inbox.resolve(".done/during.jsonl")));
            Map<String, Long> counts = deliveredSince(before);
            for (int i = 0; i < 25; i++) {
                assertEquals(1L, counts.getOrDefault("frozen jms " + i, 0L), "jms-" + i + " once: " + counts);
            }
            assertEquals(1L, counts.getOrDefault("frozen file 0", 0L), counts.toString());
            assertEquals(1L, counts.getOrDefault("frozen file 1", 0L), counts.toString());
            assertEquals(28, counts.values().stream().mapToLong(Long::longValue).sum(), counts.toString());
            assertEquals(0, relay.broker().messageCount(DLQ));
            assertEquals(0, relay.broker().messageCount("kefu.outbound"));
            assertFalse(Files.exists(inbox.resolve(".error")));
            assertEquals(1, log.lines().stream().filter(l -> l.contains("the relay takes no message")).count());
            assertTrue(log.text().contains("take messages again"), "the inputs went on by themselves");
            // the freeze did reach messages in flight: their claims failed, and they waited instead of failing
            String metrics = Http.get(relay.httpUrl() + KefuRelay.METRICS_PATH).body();
            assertTrue(Http.sample(metrics, "kefu_store_latency_seconds_count",
                    Map.of("operation", "claim-id", "outcome", "error")) >= 1, metrics);
            assertTrue(Double.isNaN(Http.sample(metrics, "kefu_messages_failed_total", Map.of())), "none failed");
        }
    }

    /**
     * Stopped while the server is frozen: the messages it had taken are not dead-lettered but stay on the queue (the
     * stop does not wait for the store), and the next relay delivers each once when the server is back.
     */
    @Test
    void aRelayStoppedWhileTheServerIsFrozenLeavesItsMessagesOnTheQueue() throws Exception {
        Map<String, String> props = properties("kefu_stopped", "stopped");
        int before = sandbox.deliveredCount();
        try (ThawAll frozen = new ThawAll()) {
            KefuRelay relay = KefuRelay.start(props);
            try {
                try (JmsTestClient client = new JmsTestClient(relay.broker().url(), "kefu.outbound")) {
                    String ready = relay.httpUrl() + KefuRelay.HEALTH_PATH + "/ready";
                    await().atMost(Duration.ofSeconds(20)).until(() -> Http.get(ready).status() == 200);
                    assertTrue(relay.send(Samples.textWithId("warm-up-2", "stopped warm-up"))
                            .contains("\"errcode\":0"));
                    frozen.add(FrozenPostgres.freeze(server));
                    for (int i = 0; i < 5; i++) {
                        client.sendText(Samples.textWithId("stop-" + i, "stopped " + i));
                    }
                    await().atMost(Duration.ofSeconds(30)).until(() -> Http.get(ready).status() == 503);
                }
                // on another thread: a stop that waited for the store would otherwise never let this test thaw it
                long start = System.nanoTime();
                CompletableFuture.runAsync(relay::close).get(30, TimeUnit.SECONDS);
                long ms = (System.nanoTime() - start) / 1_000_000;
                assertTrue(ms < 20_000, "the stop took " + ms + " ms: it must not wait for the store");
            } finally {
                // thawed first: a relay that did wait for the store stops then
                frozen.close();
                relay.close();
            }
            assertEquals(1, sandbox.deliveredCount() - before, "only the warm-up went out");
            try (KefuRelay second = KefuRelay.start(props)) {
                await().atMost(Duration.ofSeconds(60)).until(() -> sandbox.deliveredCount() - before >= 6);
                Map<String, Long> counts = deliveredSince(before);
                for (int i = 0; i < 5; i++) {
                    assertEquals(1L, counts.getOrDefault("stopped " + i, 0L), "stop-" + i + " once: " + counts);
                }
                assertEquals(0, second.broker().messageCount(DLQ), "nothing dead-lettered at the stop");
            }
        }
    }

    /** A readiness answer, asserting that it came within a second. */
    private static Http.Reply readyAtOnce(String url) {
        long start = System.nanoTime();
        Http.Reply r = Http.get(url);
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertTrue(ms < 1_000, "readiness took " + ms + " ms: " + r);
        return r;
    }

    private static Map<String, Long> deliveredSince(int before) {
        List<String> texts = sandbox.delivered().subList(before, sandbox.deliveredCount()).stream()
                .map(d -> d.body().path("text").path("content").asText()).toList();
        return texts.stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    }

    /** The freezes of a test, thawed whatever it did. */
    private static final class ThawAll implements AutoCloseable {
        private final java.util.List<FrozenPostgres> frozen = new java.util.ArrayList<>();

        void add(FrozenPostgres f) {
            frozen.add(f);
        }

        @Override
        public void close() throws Exception {
            for (FrozenPostgres f : frozen) {
                f.close();
            }
            frozen.clear();
        }
    }
}
