package dev.kefurelay.store;

import dev.kefurelay.MutableClock;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The PostgreSQL store while its server is frozen (SIGSTOP of every server process, {@link FrozenPostgres}): its
 * state answers at once and turns DOWN, a claim waits for the database instead of failing its message and is made
 * once the server is thawed, and the application's stop ends such a wait. A server of its own: a frozen one would
 * stop every other test's database too.
 */
class JdbcStoreOutageTest {

    private static EmbeddedPostgres server;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-05T03:00:00Z"));

    @BeforeAll
    static void start() throws Exception {
        server = EmbeddedPostgres.builder().start();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    /** A plain DataSource as an application might hand over: a new connection each time, the driver's timeouts. */
    private static PGSimpleDataSource dataSource() {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setServerNames(new String[] {"127.0.0.1"});
        ds.setPortNumbers(new int[] {server.getPort()});
        ds.setDatabaseName("postgres");
        ds.setUser("postgres");
        ds.setConnectTimeout(2);
        ds.setLoginTimeout(2);
        ds.setSocketTimeout(10);
        return ds;
    }

    private JdbcStore open() {
        return JdbcStore.open(dataSource(), new StoreSettings(Duration.ofSeconds(2), Duration.ofSeconds(5), 100,
                clock, StoreListener.NONE));
    }

    @Test
    void whileTheServerIsFrozenTheStateAnswersAtOnceAndAClaimWaitsForItThenGoesOn() throws Exception {
        try (JdbcStore store = open()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> store.state().up());
            CompletableFuture<IdClaim> claim;
            try (FrozenPostgres frozen = FrozenPostgres.freeze(server)) {
                // the caller's own attempt gives up after the driver's login timeout; then it waits, not fails
                claim = store.claimId("wx1", "frozen-1");
                assertFalse(claim.isDone(), "a claim while the server is frozen waits for it");
                await().atMost(Duration.ofSeconds(20)).until(() -> !answeredAtOnce(store).up());
                assertTrue(answeredAtOnce(store).problem().contains("unreachable"), store.state().problem());
                assertFalse(claim.isDone(), "still waiting, not failed: " + claim);
            }
            IdClaim made = claim.get(30, TimeUnit.SECONDS);
            assertEquals(IdClaim.Verdict.SEND, made.verdict());
            made.delivered();
            assertEquals(IdClaim.Verdict.DUPLICATE, store.claimId("wx1", "frozen-1").get(10, TimeUnit.SECONDS)
                    .verdict(), "the claim made after the thaw was recorded");
            await().atMost(Duration.ofSeconds(10)).until(() -> answeredAtOnce(store).up());
        }
    }

    @Test
    void theApplicationsStopEndsAClaimWaitingForTheServer() throws Exception {
        try (JdbcStore store = open()) {
            CompletableFuture<IdClaim> claim;
            try (FrozenPostgres frozen = FrozenPostgres.freeze(server)) {
                claim = store.claimId("wx1", "frozen-2");
                assertFalse(claim.isDone());
                store.stopWaiting();
                ExecutionException stopped = assertThrows(ExecutionException.class, () -> claim.get(5, TimeUnit.SECONDS));
                assertInstanceOf(StoreUnavailableException.class, stopped.getCause());
                assertTrue(stopped.getCause().getMessage().contains("stopping"), stopped.getCause().getMessage());
                // and what comes after does not wait either
                CompletableFuture<IdClaim> later = store.claimId("wx1", "frozen-3");
                assertTrue(later.isCompletedExceptionally(), "no wait once stopping");
            }
        }
    }

    /** The state, asserting that asking for it did not wait on the server. */
    private static StoreState answeredAtOnce(JdbcStore store) {
        long start = System.nanoTime();
        StoreState state = store.state();
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertTrue(ms < 100, "state() took " + ms + " ms");
        return state;
    }
}
