package dev.kefurelay.token;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.kefurelay.message.InvalidMessageException;
import dev.kefurelay.store.KefuStore;
import dev.kefurelay.wechat.RetryableSendException;

/**
 * Access tokens per appid. An async Caffeine cache gives single flight in this JVM for free: every sender that
 * asks while a fetch is running waits on that same fetch, and a failed fetch is not cached, so the next sender
 * tries again. Entries expire {@code refreshAhead} before WeChat's {@code expires_in} runs out.
 *
 * <p>Behind the cache is the store's row of the account ({@link KefuStore#token}): a cache miss first reads it, so
 * a token another relay fetched is used as it is. Only when the stored one is missing, about to expire or the one
 * WeChat rejected does the cache take the account's lock ({@link KefuStore#renewToken}), read again, and only then
 * ask WeChat: one fetch per account per token life for every relay sharing the store, with no database round trip
 * on a send that finds its token cached. That miss is {@link TokenFetcher}'s; this class is the cache in this JVM.
 */
public final class TokenCache {

    private static final Duration WAIT_LIMIT = Duration.ofMinutes(2);

    private final String name;
    private final TokenSource source;
    private final TokenFetcher fetcher;
    private final AsyncCache<String, Fetch> cache;
    private final Map<String, Long> lastPrefetch = new ConcurrentHashMap<>();
    /** Ends the waits of {@link #getAsync}: the owner's scheduler, so that no JDK-wide timer thread is started. */
    private final ScheduledExecutorService timer;

    /**
     * @param kind  names the accounts' rows in the store ({@code <kind>.<appid>}), e.g. {@code access}
     * @param timer ends waits that last too long; shut down by the owner when it stops
     */
    public TokenCache(String name, String kind, TokenSource source, KefuStore store, Duration refreshAhead,
            Executor executor, ScheduledExecutorService timer, Ticker ticker, java.time.Clock clock) {
        this.name = name;
        this.source = source;
        this.timer = timer;
        this.fetcher = new TokenFetcher(name, kind, source, store, refreshAhead, clock);
        this.cache = Caffeine.newBuilder()
                .executor(executor)
                .ticker(ticker)
                // a failure is gone at once: the next sender tries afresh
                .expireAfter(Expiry.creating((String appid, Fetch fetch) ->
                        fetch.failed() ? Duration.ZERO : fetch.token().usableFor(refreshAhead)))
                .buildAsync();
    }

    /**
     * One fetch's outcome, a token or why there is none. A refused fetch is a value, not a failed future: Caffeine
     * logs every failed load future as a WARNING with its stack trace, and a refused token request is an expected
     * outcome that {@link TokenFetcher#load} already logs in one line. The cache keeps it for no time.
     */
    private record Fetch(AccessToken token, RuntimeException failure) {

        boolean failed() {
            return failure != null;
        }
    }

    /**
     * The cached token of this appid, fetched first if there is none or it is about to expire.
     *
     * @throws InvalidMessageException when the appid is not a configured account
     */
    public AccessToken get(String appid) {
        requireConfigured(appid);
        // the fetch runs on the cache's executor; every concurrent caller gets this same future
        CompletableFuture<Fetch> future = cache.get(appid, this::fetch);
        Fetch fetch;
        try {
            fetch = future.get(WAIT_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | CompletionException e) {
            // Caffeine drops a failed future on its own, but asynchronously: the next sender must try afresh
            cache.asMap().remove(appid, future);
            throw rethrow(e.getCause());
        } catch (TimeoutException e) {
            throw new RetryableSendException(null, name + " for " + appid + " took over " + WAIT_LIMIT.toSeconds()
                    + "s to fetch");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RetryableSendException(null, "interrupted while waiting for the " + name + " of " + appid);
        }
        if (fetch.failed()) {
            // likewise for a refusal: gone at once for the next sender, not when the cache next cleans up
            cache.asMap().remove(appid, future);
            throw fetch.failure();
        }
        return fetch.token();
    }

    /** Whether tokens can be had for this appid now (the source's live set of accounts). */
    public boolean isConfigured(String appid) {
        return appid != null && source.knows(appid);
    }

    /**
     * Refuses an appid that is not configured before anything is fetched, counted or cached for it: a message may
     * name any appid, and each must not cost a token request, a health entry or a meter.
     *
     * @throws InvalidMessageException naming the appid and how to configure it
     */
    public void requireConfigured(String appid) {
        if (!isConfigured(appid)) {
            throw new InvalidMessageException(source.notConfigured(appid));
        }
        source.requireUsable(appid);
    }

    /**
     * {@link #get} without waiting: the future fails with the fetch's failure (a {@code SendFailedException}), or a
     * retryable one when the fetch takes longer than the wait limit, or with an {@code InvalidMessageException}
     * for an appid that is not configured. For senders that must not hold a thread.
     */
    public CompletableFuture<AccessToken> getAsync(String appid) {
        try {
            requireConfigured(appid);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<Fetch> future = cache.get(appid, this::fetch);
        if (holdsToken(future)) {
            return CompletableFuture.completedFuture(future.join().token());
        }
        // the timeout on a copy: the shared future stays for the fetch and for the other senders. Not orTimeout:
        // that starts the JDK's timer thread, which no stop can end and which held up an application's exit
        CompletableFuture<Fetch> waiting = future.copy();
        try {
            ScheduledFuture<?> limit = timer.schedule(() -> waiting.completeExceptionally(new TimeoutException()),
                    WAIT_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
            waiting.whenComplete((fetch, error) -> limit.cancel(false));
        } catch (RejectedExecutionException e) {
            // stopping: the token's own fetch still ends the wait, bounded by the call timeouts
        }
        return waiting.handle((fetch, error) -> {
            if (error == null && !fetch.failed()) {
                return fetch.token();
            }
            // the cache drops a failure on its own, but asynchronously: the next sender must try afresh
            cache.asMap().remove(appid, future);
            if (error == null) {
                throw fetch.failure();
            }
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (cause instanceof TimeoutException) {
                throw new RetryableSendException(null, name + " for " + appid + " took over " + WAIT_LIMIT.toSeconds()
                        + "s to fetch");
            }
            throw rethrow(cause);
        });
    }

    /**
     * WeChat said this token is invalid or expired: forget it, unless another sender already replaced it
     * (then that newer token is the one to use, and dropping it would cost a needless fetch).
     */
    public void reject(String appid, AccessToken token) {
        // the fetcher first: a sender missing the cache right after must not take this token from the store again
        fetcher.rejected(appid, token);
        cache.asMap().computeIfPresent(appid, (key, current) -> holds(current, token) ? null : current);
    }

    /**
     * Forget the account's token, here and in the store (for every relay sharing it), e.g. when an authorizer's
     * credentials changed. Another relay's cached copy lives on until its entry expires or WeChat rejects it.
     */
    public void invalidate(String appid) {
        cache.synchronous().invalidate(appid);
        fetcher.dropStored(appid);
    }

    /** Requests to WeChat for this appid's token, forced ones included. */
    public long fetches(String appid) {
        return fetcher.fetches(appid);
    }

    public long failedFetches(String appid) {
        return fetcher.failedFetches(appid);
    }

    /** Every appid a token was asked for since start: configured ones only, see {@link #requireConfigured}. */
    public java.util.Set<String> accounts() {
        return fetcher.accounts();
    }

    /** A token is cached for this appid and usable (not within refresh-ahead of its expiry). */
    public boolean hasValidToken(String appid) {
        return holdsToken(cache.getIfPresent(appid));
    }

    public boolean lastFetchFailed(String appid) {
        return fetcher.lastFailure(appid).isPresent();
    }

    /** Why the latest fetch failed (WeChat's errmsg and errcode, or the call's failure; never a secret), if it did. */
    public Optional<String> lastFailure(String appid) {
        return fetcher.lastFailure(appid);
    }

    /**
     * Starts a fetch in the background unless one runs or a token is cached, at most once per
     * {@code minIntervalMs}; returns at once. A failed fetch is dropped, like one a sender waited for.
     */
    public void prefetch(String appid, long minIntervalMs) {
        long now = System.nanoTime();
        Long last = lastPrefetch.get(appid);
        if (last != null && now - last < minIntervalMs * 1_000_000L) {
            return;
        }
        lastPrefetch.put(appid, now);
        CompletableFuture<Fetch> future = cache.get(appid, this::fetch);
        future.whenComplete((fetch, error) -> {
            if (error != null || fetch.failed()) {
                cache.asMap().remove(appid, future);
            }
        });
    }

    public Map<String, AtomicLong> fetchCounts() {
        return fetcher.fetchCounts();
    }

    public Map<String, AtomicLong> failedFetchCounts() {
        return fetcher.failedFetchCounts();
    }

    private Fetch fetch(String appid) {
        try {
            return new Fetch(fetcher.load(appid), null);
        } catch (RuntimeException e) {
            return new Fetch(null, e);
        }
    }

    private static boolean holdsToken(CompletableFuture<Fetch> future) {
        return future != null && future.isDone() && !future.isCompletedExceptionally() && !future.join().failed();
    }

    private static boolean holds(CompletableFuture<Fetch> future, AccessToken token) {
        return holdsToken(future) && future.join().token().value().equals(token.value());
    }

    private static RuntimeException rethrow(Throwable cause) {
        if (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause instanceof RuntimeException r ? r : new IllegalStateException(cause);
    }
}
