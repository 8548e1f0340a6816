package dev.kefurelay.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

/** The store contract against a real PostgreSQL, plus what only a database shared by several relays shows. */
class JdbcStoreTest extends KefuStoreContract {

    private final String database = TestPostgres.newDatabase();
    private final DataSource dataSource = TestPostgres.dataSource(database);

    @Override
    protected KefuStore open(StoreSettings settings) {
        return JdbcStore.open(dataSource, settings);
    }

    @Override
    protected boolean sharedAtOnce() {
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
