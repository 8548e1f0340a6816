package dev.kefurelay.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.kefurelay.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * What every store backend must do; one subclass per backend. {@link #open} gives a store as a (further) relay
 * would open it: for the local store, over the same folder after the one before was closed; for PostgreSQL, over
 * the same database while the others stay open (that is, several relays at once). The window book's part is
 * {@link WindowBookContract}, the message ids' {@link MessageIdContract}.
 */
abstract class KefuStoreContract implements WindowBookContract, MessageIdContract {

    protected final MutableClock clock = new MutableClock(Instant.parse("2026-01-05T03:00:00Z"));
    private final List<KefuStore> opened = new ArrayList<>();
    private final ExecutorService threads = Executors.newCachedThreadPool();

    protected abstract KefuStore open(StoreSettings settings);

    /** Whether two stores may be open on the same state at once (the shared backend), or one after the other. */
    @Override
    public abstract boolean sharedAtOnce();

    @Override
    public KefuStore store() {
        return store(Duration.ofSeconds(5), Duration.ofSeconds(5));
    }

    @Override
    public KefuStore store(Duration lockTimeout, Duration idWait) {
        KefuStore s = open(new StoreSettings(lockTimeout, idWait, 10_000, clock, StoreListener.NONE));
        opened.add(s);
        return s;
    }

    /** A second relay's view: at once (shared) or after a restart (local). */
    @Override
    public KefuStore another(KefuStore first) {
        if (!sharedAtOnce()) {
            first.close();
        }
        return store();
    }

    @Override
    public MutableClock clock() {
        return clock;
    }

    @Override
    public ExecutorService threads() {
        return threads;
    }

    @AfterEach
    void closeAll() {
        threads.shutdownNow();
        opened.forEach(KefuStore::close);
    }

    @Test
    void valuesAreKeptAndReplacedByCompareAndSetOnlyFromTheExpectedOne() {
        KefuStore s = store();
        assertEquals(Optional.empty(), s.get("authorizer-wx1.refresh-token"));
        assertTrue(s.compareAndSet("authorizer-wx1.refresh-token", null, "refresh-1"));
        assertFalse(s.compareAndSet("authorizer-wx1.refresh-token", null, "refresh-x"), "absent expected, present");
        assertFalse(s.compareAndSet("authorizer-wx1.refresh-token", "refresh-0", "refresh-x"), "not the stored one");
        assertTrue(s.compareAndSet("authorizer-wx1.refresh-token", "refresh-1", "refresh-2"));
        s.put("other", "v");
        KefuStore later = another(s);
        assertEquals(Optional.of("refresh-2"), later.get("authorizer-wx1.refresh-token"));
        assertEquals(Optional.of("v"), later.get("other"));
    }

    @Test
    void ofManyConcurrentRotationsOfOneValueExactlyOneWins() throws Exception {
        KefuStore s = store();
        KefuStore t = sharedAtOnce() ? store() : s;
        s.put("authorizer-wx1.refresh-token", "r0");
        List<Future<Boolean>> wins = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            KefuStore which = i % 2 == 0 ? s : t;
            String next = "r1-" + i;
            wins.add(threads.submit(() -> which.compareAndSet("authorizer-wx1.refresh-token", "r0", next)));
        }
        int won = 0;
        for (Future<Boolean> w : wins) {
            won += w.get(10, TimeUnit.SECONDS) ? 1 : 0;
        }
        assertEquals(1, won);
    }

    @Test
    void aTokenIsRenewedOnceHoweverManyAskAtOnce() throws Exception {
        KefuStore s = store();
        KefuStore t = sharedAtOnce() ? store() : s;
        AtomicInteger fetches = new AtomicInteger();
        List<Future<SharedToken>> got = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            KefuStore which = i % 2 == 0 ? s : t;
            got.add(threads.submit(() -> which.renewToken("access.wx1", current -> current.orElseGet(() ->
                    new SharedToken("token-" + fetches.incrementAndGet(), clock.instant().plusSeconds(7200))))));
        }
        for (Future<SharedToken> g : got) {
            assertEquals("token-1", g.get(10, TimeUnit.SECONDS).value());
        }
        assertEquals(1, fetches.get());
        assertEquals("token-1", t.token("access.wx1").orElseThrow().value());
        assertEquals(clock.instant().plusSeconds(7200), s.token("access.wx1").orElseThrow().expiresAt());
    }

    @Test
    void aWaiterGivesUpAfterTheLockTimeoutAndAFailedRenewalStoresNothing() throws Exception {
        KefuStore s = store(Duration.ofMillis(500), Duration.ofSeconds(5));
        KefuStore t = sharedAtOnce() ? store(Duration.ofMillis(500), Duration.ofSeconds(5)) : s;
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Future<SharedToken> holder = threads.submit(() -> s.renewToken("access.wx1", current -> {
            holding.countDown();
            await(release);
            throw new IllegalStateException("WeChat refused");
        }));
        assertTrue(holding.await(10, TimeUnit.SECONDS));
        long start = System.nanoTime();
        assertThrows(StoreLockTimeoutException.class, () -> t.renewToken("access.wx1", c -> new SharedToken("x",
                clock.instant().plusSeconds(60))));
        long waitedMs = (System.nanoTime() - start) / 1_000_000;
        assertTrue(waitedMs >= 400 && waitedMs < 5_000, "waited " + waitedMs + " ms");
        release.countDown();
        Exception failed = assertThrows(Exception.class, () -> holder.get(10, TimeUnit.SECONDS));
        assertTrue(failed.getCause() instanceof IllegalStateException, failed.toString());
        assertEquals(Optional.empty(), t.token("access.wx1"));
    }

    @Test
    void aRejectedTokenIsDroppedOnlyWhileItIsTheStoredOne() {
        KefuStore s = store();
        s.renewToken("access.wx1", c -> new SharedToken("old", clock.instant().plusSeconds(7200)));
        s.dropToken("access.wx1", "older-still");
        assertEquals("old", s.token("access.wx1").orElseThrow().value());
        s.dropToken("access.wx1", "old");
        assertEquals(Optional.empty(), s.token("access.wx1"));
    }

    @Test
    void aLaterPauseWinsAndEveryRelaySeesIt() {
        KefuStore s = store();
        Instant midnight = Instant.parse("2026-01-05T16:00:00Z");
        s.pause("wxA", midnight);
        s.pause("wxA", midnight.minusSeconds(3600));
        KefuStore t = another(s);
        assertEquals(Optional.of(midnight), t.pausedUntil("wxA"));
        assertEquals(Optional.empty(), t.pausedUntil("wxB"));
    }

    /** A store several relays share keeps every relay's uploads for the others, each until it expires. */
    @Test
    void aSharedStoreSharesAMediaIdUntilItExpiresAndDropsItOnlyWhileItIsTheStoredOne() {
        Assumptions.assumeTrue(sharedAtOnce(), "media ids are kept by a store several relays share");
        KefuStore first = store();
        KefuStore second = another(first);
        Instant expires = clock.instant().plus(Duration.ofHours(71));
        first.putMediaId("wx1", "image", "abc", new SharedMedia("media-1", expires));
        assertEquals(Optional.of(new SharedMedia("media-1", expires)), second.mediaId("wx1", "image", "abc"));
        // a media_id belongs to its account and upload type
        assertEquals(Optional.empty(), second.mediaId("wx2", "image", "abc"));
        assertEquals(Optional.empty(), second.mediaId("wx1", "thumb", "abc"));

        // refused by WeChat at the second relay after the first uploaded again: the newer upload is kept
        first.putMediaId("wx1", "image", "abc", new SharedMedia("media-2", expires));
        second.dropMediaId("wx1", "image", "abc", "media-1");
        assertEquals("media-2", second.mediaId("wx1", "image", "abc").orElseThrow().mediaId());
        second.dropMediaId("wx1", "image", "abc", "media-2");
        assertEquals(Optional.empty(), first.mediaId("wx1", "image", "abc"));

        first.putMediaId("wx1", "image", "abc", new SharedMedia("media-3", expires));
        first.putMediaId("wx1", "voice", "def", new SharedMedia("media-4", expires.plus(Duration.ofHours(2))));
        clock.advance(Duration.ofHours(71));
        assertEquals(Optional.empty(), second.mediaId("wx1", "image", "abc"), "expired");
        assertEquals("media-4", second.mediaId("wx1", "voice", "def").orElseThrow().mediaId());
        assertEquals(1, second.purgeMedia(clock.instant()), "the expired one");
        assertEquals(0, second.purgeMedia(clock.instant()));
        assertEquals("media-4", first.mediaId("wx1", "voice", "def").orElseThrow().mediaId(), "not expired: kept");
    }

    /** A store one relay uses alone keeps no media ids: the relay's memory holds its uploads, a copy would double it. */
    @Test
    void aStoreOfOneRelayKeepsNoMediaIdAndPurgesNone() {
        Assumptions.assumeFalse(sharedAtOnce(), "a shared store keeps media ids");
        KefuStore s = store();
        Instant expires = clock.instant().plus(Duration.ofHours(71));
        s.putMediaId("wx1", "image", "abc", new SharedMedia("media-1", expires));
        assertEquals(Optional.empty(), s.mediaId("wx1", "image", "abc"));
        s.dropMediaId("wx1", "image", "abc", "media-1");
        clock.advance(Duration.ofHours(72));
        assertEquals(0, s.purgeMedia(clock.instant()));
        assertEquals(Optional.empty(), another(s).mediaId("wx1", "image", "abc"));
    }

    @Test
    void toStringAndDescribeShowNoValue() {
        KefuStore s = store();
        s.put("secret-key", "the-secret-value");
        s.renewToken("access.wx1", c -> new SharedToken("the-token-value", clock.instant().plusSeconds(60)));
        for (String text : List.of(s.toString(), s.describe(), s.token("access.wx1").orElseThrow().toString())) {
            assertFalse(text.contains("the-secret-value") || text.contains("the-token-value"), text);
        }
        s.check();
        assertTrue(s.state().up(), "a usable store reads as up: " + s.state());
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
