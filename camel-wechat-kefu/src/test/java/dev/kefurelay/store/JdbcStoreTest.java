package dev.kefurelay.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.kefurelay.media.LocalMediaIds;
import dev.kefurelay.media.MediaIds;
import dev.kefurelay.media.MediaKey;
import dev.kefurelay.media.SharedMediaIds;
import dev.kefurelay.window.Interaction;
import dev.kefurelay.window.WindowPlace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The store contract against a real PostgreSQL, plus what only a database shared by several relays shows. */
class JdbcStoreTest extends KefuStoreContract {

    private final String database = TestPostgres.newDatabase();
    private final DataSource dataSource = TestPostgres.dataSource(database);

    @Override
    protected KefuStore open(StoreSettings settings) {
        return JdbcStore.open(dataSource, settings);
    }

    @Override
    public boolean sharedAtOnce() {
        return true;
    }

    @Test
    void theSchemaIsVersionedMigratedOnceAndANewerOneIsRefused() throws Exception {
        store();
        store(); // a second relay finds it done
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            try (ResultSet r = s.executeQuery("SELECT count(*), max(version) FROM kefu_schema_version")) {
                r.next();
                assertEquals(Schema.MIGRATIONS.size(), r.getInt(1));
                assertEquals(Schema.MIGRATIONS.size(), r.getInt(2));
            }
            s.execute("INSERT INTO kefu_schema_version (version) VALUES (" + (Schema.MIGRATIONS.size() + 1) + ")");
        }
        StoreException newer = assertThrows(StoreException.class, this::store);
        assertTrue(newer.getMessage().contains("newer than this relay knows"), newer.getMessage());
    }

    /** Each relay's memory in front of the shared rows: the second relay uses the first one's upload, not longer. */
    @Test
    void sharedMediaIdsReuseAnotherRelaysUploadOnlyWhileItIsUsable() {
        AtomicLong nanos = new AtomicLong();
        Ticker ticker = nanos::get;
        MediaIds first = new SharedMediaIds(new LocalMediaIds(100, ticker), store(), clock);
        MediaKey key = MediaKey.of("wx1", "image", new byte[] {1, 2, 3});
        first.put(key, "media-1");
        Duration later = Duration.ofHours(60);
        clock.advance(later);
        nanos.addAndGet(later.toNanos());
        MediaIds second = new SharedMediaIds(new LocalMediaIds(100, ticker), store(), clock);
        assertEquals("media-1", second.get(key));
        // the second relay's memory keeps it for the 11 h left of the first one's upload, not for 71 h of its own
        Duration rest = LocalMediaIds.KEEP_FOR.minus(later);
        clock.advance(rest);
        nanos.addAndGet(rest.toNanos());
        assertNull(second.get(key));
        assertNull(first.get(key));

        // a refused id is forgotten by the relay that met the refusal and in the store; the other one meets it too
        MediaIds third = new SharedMediaIds(new LocalMediaIds(100, ticker), store(), clock);
        first.put(key, "media-2");
        assertEquals("media-2", second.get(key));
        second.remove(key, "media-2");
        assertNull(third.get(key));
        assertEquals("media-2", first.get(key), "in the first relay's memory until WeChat refuses it there");
    }

    /** The database away: a picture costs an upload, never its message (a failed read is a miss, a write logged). */
    @Test
    void sharedMediaIdsGoOnWithoutTheDatabase() throws Exception {
        List<String> failed = new CopyOnWriteArrayList<>();
        KefuStore store = JdbcStore.open(dataSource, new StoreSettings(Duration.ofSeconds(5), Duration.ofSeconds(5),
                10, clock, new StoreListener() {
                    @Override
                    public void call(String operation, long nanos, boolean ok) {
                        if (!ok) {
                            failed.add(operation);
                        }
                    }
                }));
        MediaIds ids = new SharedMediaIds(new LocalMediaIds(100, Ticker.systemTicker()), store, clock);
        MediaKey known = MediaKey.of("wx1", "image", new byte[] {1});
        ids.put(known, "media-1");
        try (Connection c = TestPostgres.dataSource("postgres").getConnection(); Statement s = c.createStatement()) {
            s.execute("ALTER DATABASE " + database + " WITH ALLOW_CONNECTIONS false");
            try {
                MediaKey other = MediaKey.of("wx1", "image", new byte[] {2});
                assertNull(ids.get(other));
                ids.put(other, "media-2");
                assertEquals("media-2", ids.get(other), "used here from memory");
                assertEquals("media-1", ids.get(known));
                ids.remove(known, "media-1");
                assertNull(ids.get(known));
                assertEquals(List.of("media-id", "put-media-id", "drop-media-id", "media-id"), failed,
                        "the database was asked and failed");
            } finally {
                s.execute("ALTER DATABASE " + database + " WITH ALLOW_CONNECTIONS true");
            }
        }
    }

    /**
     * A database of an earlier version (1: before media ids; 2: before the window book) keeps its state and gains the
     * tables it lacks.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void aStoreOfAnEarlierVersionIsMigratedKeepingItsState(int version) throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE kefu_schema_version (version int PRIMARY KEY, "
                    + "applied_at timestamptz NOT NULL DEFAULT now())");
            for (int v = 1; v <= version; v++) {
                for (String sql : Schema.MIGRATIONS.get(v - 1)) {
                    s.execute(sql);
                }
                s.execute("INSERT INTO kefu_schema_version (version) VALUES (" + v + ")");
            }
            s.execute("INSERT INTO kefu_secret (key, value) VALUES ('authorizer-wx1.refresh-token', 'refresh-1')");
        }
        KefuStore migrated = store();
        assertEquals(Optional.of("refresh-1"), migrated.get("authorizer-wx1.refresh-token"));
        assertEquals(Schema.MIGRATIONS.size(), rows("kefu_schema_version"));
        migrated.putMediaId("wx1", "image", "abc", new SharedMedia("media-1", clock.instant().plusSeconds(60)));
        assertEquals("media-1", migrated.mediaId("wx1", "image", "abc").orElseThrow().mediaId());
        migrated.recordInteraction("wx1", "o1", Interaction.MESSAGE, clock.instant());
        assertEquals(WindowPlace.taken(clock.instant()), migrated.takeWindowPlace("wx1", "o1", clock.instant()));
        migrated.rememberChannelMsgId("wx1", "200228332", "order-1");
        assertEquals(Optional.of("order-1"), migrated.messageIdOf("wx1", "200228332"));
    }

    /**
     * The database away: every call of the window book fails as the store's other calls do (the caller then takes
     * the book as knowing nothing), naming the store, never the user.
     */
    @Test
    void theWindowBookFailsAsTheStoreWhileTheDatabaseIsAwayNamingNoUser() throws Exception {
        KefuStore store = store();
        String openid = "oUser-7f3a9c";
        try (Connection c = TestPostgres.dataSource("postgres").getConnection(); Statement s = c.createStatement()) {
            s.execute("ALTER DATABASE " + database + " WITH ALLOW_CONNECTIONS false");
            try {
                Instant now = clock.instant();
                List<Executable> calls = List.of(
                        () -> store.recordInteraction("wx1", openid, Interaction.MESSAGE, now),
                        () -> store.takeWindowPlace("wx1", openid, now),
                        () -> store.returnWindowPlace("wx1", openid, now),
                        () -> store.closeWindow("wx1", openid, now),
                        () -> store.openWindows("wx1", now),
                        () -> store.purgeWindows(now),
                        () -> store.rememberChannelMsgId("wx1", "200228332", "order-1"),
                        () -> store.messageIdOf("wx1", "200228332"));
                for (Executable call : calls) {
                    StoreUnavailableException e = assertThrows(StoreUnavailableException.class, call);
                    assertTrue(e.getMessage().contains(database), e.getMessage());
                    assertFalse(e.getMessage().contains(openid), e.getMessage());
                }
            } finally {
                s.execute("ALTER DATABASE " + database + " WITH ALLOW_CONNECTIONS true");
            }
        }
    }

    private int rows(String from) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT count(*) FROM " + from)) {
            r.next();
            return r.getInt(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A relay killed while renewing: its connection ends, PostgreSQL frees the lock, the waiter goes on at once. */
    @Test
    void theLockOfARelayWhoseConnectionDiedIsFreed() throws Exception {
        KefuStore dying = store(Duration.ofSeconds(20), Duration.ofSeconds(5));
        KefuStore waiting = store(Duration.ofSeconds(20), Duration.ofSeconds(5));
        ExecutorService threads = Executors.newCachedThreadPool();
        try {
            CountDownLatch holding = new CountDownLatch(1);
            threads.submit(() -> dying.renewToken("access.wx1", current -> {
                holding.countDown();
                try {
                    Thread.currentThread().join(); // holds the lock until its connection is killed
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new IllegalStateException("never");
            }));
            assertTrue(holding.await(10, TimeUnit.SECONDS));
            Future<SharedToken> waiter = threads.submit(() -> waiting.renewToken("access.wx1", current ->
                    new SharedToken("fresh", clock.instant().plusSeconds(7200))));
            // the holder's backend: the one idle in its transaction with the FOR UPDATE
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
                    try (ResultSet r = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE state = "
                            + "'idle in transaction' AND query LIKE '%FOR UPDATE%'")) {
                        r.next();
                        return r.getInt(1) == 1;
                    }
                });
                long start = System.nanoTime();
                s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE state = "
                        + "'idle in transaction' AND query LIKE '%FOR UPDATE%'");
                assertEquals("fresh", waiter.get(10, TimeUnit.SECONDS).value());
                long ms = (System.nanoTime() - start) / 1_000_000;
                assertTrue(ms < 5_000, "went on " + ms + " ms after the holder died, well within the 20 s timeout");
            }
        } finally {
            threads.shutdownNow();
        }
    }
}
