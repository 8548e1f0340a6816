package dev.kefurelay.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.kefurelay.MutableClock;
import dev.kefurelay.message.InvalidMessageException;
import dev.kefurelay.store.KefuStore;
import dev.kefurelay.store.LocalStore;
import dev.kefurelay.store.StoreListener;
import dev.kefurelay.store.StoreSettings;
import dev.kefurelay.wechat.Reason;
import dev.kefurelay.wechat.SendFailedException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenCacheTest {

    /** The store's wall clock and the cache's ticker: one time, moved by the test. */
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-05T03:00:00Z"));
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final java.util.concurrent.ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    @TempDir
    Path dir;
    private KefuStore store;

    @BeforeEach
    void openStore() {
        store = LocalStore.open(dir.resolve("store"), new StoreSettings(Duration.ofSeconds(10), Duration.ofSeconds(10),
                1000, clock, StoreListener.NONE));
    }

    @AfterEach
    void stop() {
        executor.shutdownNow();
        timer.shutdownNow();
        store.close();
    }

    /** Hands out t1, t2, … with the given lifetime; records the force flags it was asked with. */
    static final class CountingSource implements TokenSource {
        final AtomicInteger calls = new AtomicInteger();
        final List<Boolean> forced = new ArrayList<>();
        volatile Duration lifetime = Duration.ofSeconds(7200);
        volatile String fixedValue;
        volatile CountDownLatch gate;
        volatile RuntimeException failure;

        @Override
        public synchronized AccessToken fetch(String appid, boolean forceRefresh) {
            int n = calls.incrementAndGet();
            forced.add(forceRefresh);
            try {
                if (gate != null) {
                    gate.await(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (failure != null) {
                throw failure;
            }
            String value = fixedValue != null && !forceRefresh ? fixedValue : appid + "-t" + n;
            return new AccessToken(value, lifetime);
        }

        @Override
        public boolean knows(String appid) {
            return !appid.equals(NOBODY);
        }

        @Override
        public String notConfigured(String appid) {
            return "appid '" + appid + "' is not configured here";
        }
    }

    static final String NOBODY = "wxnobody";

    /**
     * Fetches run on the calling thread: Caffeine then sets a token's expiry before get() returns. On a pool it sets
     * it in a completion callback that can run after the test has already moved the fake clock on, and the token then
     * lives 7,140 s from the later time (seen once in CI).
     */
    private TokenCache cache(TokenSource source, Duration refreshAhead) {
        return new TokenCache("access token", "access", source, store, refreshAhead, Runnable::run, timer, clock.ticker(),
                clock);
    }

    @Test
    void concurrentCallersShareOneFetch() throws Exception {
        CountingSource source = new CountingSource();
        source.gate = new CountDownLatch(1);
        // on a pool: the callers must wait on one fetch in flight, not run it one after the other
        TokenCache cache = new TokenCache("access token", "access", source, store, Duration.ofSeconds(60), executor, timer,
                clock.ticker(), clock);
        ExecutorService callers = Executors.newFixedThreadPool(16);
        try {
            List<Future<AccessToken>> got = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                got.add(callers.submit(() -> cache.get("wxa")));
            }
            source.gate.countDown();
            for (Future<AccessToken> f : got) {
                assertEquals("wxa-t1", f.get(10, TimeUnit.SECONDS).value());
            }
        } finally {
            callers.shutdownNow();
        }
        assertEquals(1, source.calls.get());
        assertEquals(1, cache.fetches("wxa"));
    }

    @Test
    void anAppidThatIsNotConfiguredIsRefusedBeforeAnythingIsFetchedOrCounted() {
        CountingSource source = new CountingSource();
        TokenCache cache = cache(source, Duration.ofSeconds(60));
        InvalidMessageException e = assertThrows(InvalidMessageException.class, () -> cache.get(NOBODY));
        assertEquals("appid 'wxnobody' is not configured here", e.getMessage());
        // the senders' way in refuses it the same, as a failed future and without a fetch
        java.util.concurrent.ExecutionException async = assertThrows(java.util.concurrent.ExecutionException.class,
                () -> cache.getAsync(NOBODY).get());
        assertEquals(e.getMessage(), assertInstanceOf(InvalidMessageException.class, async.getCause()).getMessage());
        assertEquals(0, source.calls.get());
        assertEquals(0, cache.fetches(NOBODY));
        assertFalse(cache.lastFetchFailed(NOBODY));
        assertTrue(cache.accounts().isEmpty(), "nothing for the health check to chase");
        assertFalse(cache.isConfigured(NOBODY));
        assertFalse(cache.isConfigured(null));
        assertTrue(cache.isConfigured("wxa"));
    }

    @Test
    void aTokenIsRefreshedRefreshAheadBeforeItExpires() {
        CountingSource source = new CountingSource();
        TokenCache cache = cache(source, Duration.ofSeconds(60));
        assertEquals("wxa-t1", cache.get("wxa").value());
        clock.advance(Duration.ofSeconds(7139));
        assertEquals("wxa-t1", cache.get("wxa").value());
        clock.advance(Duration.ofSeconds(2)); // 59 s left: inside refresh-ahead
        assertEquals("wxa-t2", cache.get("wxa").value());
    }

    @Test
    void aShortLivedTokenIsKeptForHalfItsLife() {
        CountingSource source = new CountingSource();
        source.lifetime = Duration.ofSeconds(100);
        TokenCache cache = cache(source, Duration.ofSeconds(60));
        cache.get("wxa");
        clock.advance(Duration.ofSeconds(49));
        assertEquals("wxa-t1", cache.get("wxa").value());
        clock.advance(Duration.ofSeconds(2));
        assertEquals("wxa-t2", cache.get("wxa").value());
    }

    @Test
    void accountsHaveTheirOwnTokens() {
        CountingSource source = new CountingSource();
        TokenCache cache = cache(source, Duration.ofSeconds(60));
        assertNotEquals(cache.get("wxa").value(), cache.get("wxb").value());
        assertEquals(1, cache.fetches("wxa"));
        assertEquals(1, cache.fetches("wxb"));
    }

    @Test
    void aRejectedTokenIsDroppedOnlyIfItIsStillTheCachedOne() {
        CountingSource source = new CountingSource();
        TokenCache cache = cache(source, Duration.ofSeconds(60));
        AccessToken first = cache.get("wxa");
        cache.reject("wxa", first);
        AccessToken second = cache.get("wxa");
        assertEquals("wxa-t2", second.value());
        // a late sender still holding the first token must not throw away the second
        cache.reject("wxa", first);
        assertSame(second, cache.get("wxa"));
        assertEquals(2, source.calls.get());
    }

    @Test
    void whenTheSameRejectedTokenComesBackARefreshIsForced() {
        CountingSource source = new CountingSource();
        source.fixedValue = "stable-same";
        TokenCache cache = cache(source, Duration.ofSeconds(60));
        AccessToken first = cache.get("wxa");
        cache.reject("wxa", first);
        AccessToken next = cache.get("wxa");
        assertNotEquals("stable-same", next.value());
        assertEquals(List.of(false, false, true), source.forced);
    }

    @Test
    void forcedRefreshesKeepToWeChatsLimitOf30SecondsApart() {
        CountingSource source = new CountingSource();
        source.fixedValue = "stable-same";
        TokenCache cache = cache(source, Duration.ofSeconds(60));
        cache.reject("wxa", cache.get("wxa"));
        AccessToken forced = cache.get("wxa");
        // WeChat rejects the forced one too at once (a second relay's fetch overwrote it, say): no second force yet
        source.fixedValue = forced.value();
        cache.reject("wxa", forced);
        assertInstanceOf(dev.kefurelay.wechat.RetryableSendException.class,
                assertThrows(RuntimeException.class, () -> cache.get("wxa")));
        clock.advance(Duration.ofSeconds(31));
        assertNotEquals(forced.value(), cache.get("wxa").value());
        assertEquals(List.of(false, false, true, false, false, true), source.forced);
    }

    /** Two relays over one store (here two caches over one local store): the second uses the first one's token. */
    @Test
    void cachesSharingAStoreFetchOncePerTokenLife() {
        CountingSource source = new CountingSource();
        TokenCache relay1 = cache(source, Duration.ofSeconds(60));
        TokenCache relay2 = cache(source, Duration.ofSeconds(60));
        assertEquals("wxa-t1", relay1.get("wxa").value());
        assertEquals("wxa-t1", relay2.get("wxa").value());
        assertEquals(1, source.calls.get());
        assertEquals(0, relay2.fetches("wxa"), "relay 2 asked WeChat nothing");
        // WeChat rejects it at relay 2: relay 1 reads the stored one again once its own entry expires
        relay2.reject("wxa", relay2.get("wxa"));
        assertEquals("wxa-t2", relay2.get("wxa").value());
        clock.advance(Duration.ofSeconds(7141));
        assertEquals("wxa-t3", relay1.get("wxa").value(), "t2 was renewed in its last minute, once");
        assertEquals("wxa-t3", relay2.get("wxa").value());
        assertEquals(3, source.calls.get());
    }

    @Test
    void aFailedFetchIsNotCachedAndEveryWaiterSeesTheFailure() {
        CountingSource source = new CountingSource();
        source.failure = new SendFailedException(Reason.WECHAT_ERROR, 40125, "access token for wxa refused: invalid appsecret");
        TokenCache cache = cache(source, Duration.ofSeconds(60));
        SendFailedException e = assertThrows(SendFailedException.class, () -> cache.get("wxa"));
        assertEquals(40125, e.errcode());
        assertEquals(1, cache.failedFetches("wxa"));
        source.failure = null;
        assertEquals("wxa-t2", cache.get("wxa").value());
    }

    @Test
    void aTokenNeverShowsItsValue() {
        AccessToken token = new AccessToken("SECRET-TOKEN-VALUE", Duration.ofSeconds(7200));
        assertFalse(token.toString().contains("SECRET-TOKEN-VALUE"));
        assertTrue(token.toString().contains("7200"));
    }
}
