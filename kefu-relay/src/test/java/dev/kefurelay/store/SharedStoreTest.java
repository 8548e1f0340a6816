package dev.kefurelay.store;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.kefurelay.KefuRelay;
import dev.kefurelay.Samples;
import dev.kefurelay.sandbox.WeChatSandbox;
import dev.kefurelay.send.SendRoutes;
import dev.kefurelay.testkit.Http;
import dev.kefurelay.testkit.TestRelays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The relay on a PostgreSQL store (kefu.store.url), in this JVM: readiness, metrics, restarts. */
class SharedStoreTest {

    static final String APPID = TestRelays.APPID;
    /** A JPEG by its first bytes, which is what WeChat (and the sandbox) looks at. */
    private static final byte[] JPEG = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 0x10, 'J', 'F', 'I', 'F',
        0, 1, 1, 0, 0, 1, 0, 1, 0, 0, (byte) 0xFF, (byte) 0xD9};

    @TempDir
    static Path dir;
    static WeChatSandbox sandbox;

    @BeforeAll
    static void start() {
        sandbox = WeChatSandbox.start(0).account(APPID, TestRelays.SECRET);
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    private static Map<String, String> properties(String db, String name) {
        return TestRelays.properties(dir.resolve(name), sandbox, Map.of("kefu.store.url", TestPostgres.url(db),
                "kefu.store.user", "postgres", "kefu.store.lock-timeout", "2s"));
    }

    @Test
    void readinessFollowsTheStoreAndItsCallsAreMeasured() throws Exception {
        String db = TestPostgres.newDatabase();
        try (KefuRelay relay = KefuRelay.start(properties(db, "ready"))) {
            String ready = relay.httpUrl() + KefuRelay.HEALTH_PATH + "/ready";
            await().atMost(Duration.ofSeconds(20)).until(() -> Http.get(ready).status() == 200);
            assertTrue(relay.send(Samples.textWithId("m-1", "with an id")).contains("\"errcode\":0"));
            String metrics = Http.get(relay.httpUrl() + KefuRelay.METRICS_PATH).body();
            assertEquals(1.0, Http.sample(metrics, "kefu_store_latency_seconds_count",
                    Map.of("operation", "claim-id", "outcome", "ok")), metrics);
            assertEquals(1.0, Http.sample(metrics, "kefu_store_lock_wait_seconds_count", Map.of("acquired", "true")),
                    metrics);

            // the database refuses the relay: readiness goes DOWN naming the store, and comes back with it; a message
            // sent meanwhile waits for it (no outcome while the store is away), then goes out once
            CompletableFuture<String> waiting;
            try (Connection c = TestPostgres.dataSource("postgres").getConnection(); Statement s = c.createStatement()) {
                s.execute("ALTER DATABASE " + db + " WITH ALLOW_CONNECTIONS false");
                s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + db + "'");
                await().atMost(Duration.ofSeconds(30)).until(() -> Http.get(ready).status() == 503);
                Http.Reply down = Http.get(ready);
                assertTrue(down.body().contains("store"), down.body());
                int delivered = sandbox.deliveredCount();
                waiting = relay.template().asyncRequestBody(SendRoutes.SEND,
                        Samples.textWithId("m-2", "while the store is away"), String.class);
                await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10))
                        .until(() -> !waiting.isDone() && sandbox.deliveredCount() == delivered);
                s.execute("ALTER DATABASE " + db + " WITH ALLOW_CONNECTIONS true");
            }
            assertTrue(waiting.get(30, TimeUnit.SECONDS).contains("\"errcode\":0"));
            await().atMost(Duration.ofSeconds(30)).until(() -> Http.get(ready).status() == 200);
            assertTrue(relay.send(Samples.textWithId("m-2", "sent again")).contains("duplicate"));
        }
    }

    /** Two relays at once on one database and one media folder: the second sends the first one's upload. */
    @Test
    void aPictureUploadedByOneRelayIsSentByAnotherWithoutAnUpload() throws Exception {
        String db = TestPostgres.newDatabase();
        Path media = Files.createDirectories(dir.resolve("shared-media"));
        Files.write(media.resolve("promo.jpg"), JPEG);
        sandbox.requireUploadedMedia(true);
        int uploads = sandbox.uploads().size();
        Map<String, String> shared = Map.of("kefu.media.dir", media.toString());
        try (KefuRelay first = KefuRelay.start(with(properties(db, "media-1"), shared));
                KefuRelay second = KefuRelay.start(with(properties(db, "media-2"), shared))) {
            assertTrue(first.send(image("oPromo1")).contains("\"errcode\":0"));
            assertEquals(uploads + 1, sandbox.uploads().size());
            String mediaId = sandbox.uploads().get(uploads).mediaId();
            int delivered = sandbox.deliveredCount();
            String reply = second.send(image("oPromo2"));
            assertTrue(reply.contains("\"errcode\":0"), reply);
            assertEquals(uploads + 1, sandbox.uploads().size(), "no upload by the second relay");
            assertEquals(delivered + 1, sandbox.deliveredCount());
            assertEquals(mediaId, sandbox.delivered().get(delivered).body().path("image").path("media_id").asText());
            String metrics = Http.get(second.httpUrl() + KefuRelay.METRICS_PATH).body();
            assertEquals(1.0, Http.sample(metrics, "kefu_media_cache_hits_total", Map.of("appid", APPID,
                    "type", "image")), metrics);
        } finally {
            sandbox.requireUploadedMedia(false);
        }
    }

    private static Map<String, String> with(Map<String, String> properties, Map<String, String> more) {
        Map<String, String> all = new java.util.HashMap<>(properties);
        all.putAll(more);
        return all;
    }

    private static String image(String user) {
        return "{\"touser\":\"" + user + "\",\"msgtype\":\"image\",\"image\":{\"file\":\"promo.jpg\"}}";
    }

    @Test
    void aDeliveredIdIsADuplicateAfterARestartAndTheTokenIsTheStoredOne() throws Exception {
        String db = TestPostgres.newDatabase();
        int fetches;
        try (KefuRelay relay = KefuRelay.start(properties(db, "first"))) {
            assertTrue(relay.send(Samples.textWithId("order-1", "once")).contains("\"errcode\":0"));
            fetches = sandbox.tokenFetches(APPID);
        }
        int delivered = sandbox.deliveredCount();
        // a relay with a folder of its own (nothing local to remember) on the same database
        try (KefuRelay relay = KefuRelay.start(properties(db, "second"))) {
            String again = relay.send(Samples.textWithId("order-1", "once"));
            assertTrue(again.contains("duplicate"), again);
            assertTrue(relay.send(Samples.textWithId("order-2", "new")).contains("\"errcode\":0"));
            assertEquals(fetches, sandbox.tokenFetches(APPID), "the stored token was used, none fetched");
        }
        assertEquals(delivered + 1, sandbox.deliveredCount());
    }
}
