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
import dev.kefurelay.store.SharedToken;
import dev.kefurelay.store.StoreException;
import dev.kefurelay.wechat.RetryableSendException;
import dev.kefurelay.wechat.SendFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Access tokens per appid. An async Caffeine cache gives single flight in this JVM for free: every sender that
 * asks while a fetch is running waits on that same fetch, and a failed fetch is not cached, so the next sender
 * tries again. Entries expire {@code refreshAhead} before WeChat's {@code expires_in} runs out.
 *
 * <p>Behind the cache is the store's row of the account ({@link KefuStore#token}): a cache miss first reads it, so
 * a token another relay fetched is used as it is. Only when the stored one is missing, about to expire or the one
 * WeChat rejected does the cache take the account's lock ({@link KefuStore#renewToken}), read again, and only then
 * ask WeChat: one fetch per account per token life for every relay sharing the store, with no database round trip
 * on a send that finds its token cached.
 */
public final class TokenCache {

    private static final Logger LOG = LoggerFactory.getLogger(TokenCache.class);
    private static final Duration WAIT_LIMIT = Duration.ofMinutes(2);

    private final String name;
    private final String kind;
    private final TokenSource source;
    private final KefuStore store;
    private final Duration refreshAhead;
    private final ForceRefreshBudget forceBudget;
    private final java.time.Clock clock;
    private final AsyncCache<String, Fetch> cache;
    /** The token WeChat last rejected per appid: stable_token may hand the same one back, which needs forcing. */
    private final Map<String, String> rejected = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> fetches = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> failedFetches = new ConcurrentHashMap<>();
    /** Why the latest fetch per appid failed, while it did: with no token cached, the account cannot send (health). */
    private final Map<String, String> lastFailure = new ConcurrentHashMap<>();
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
        this.kind = kind;
        this.source = source;
        this.store = store;
        this.refreshAhead = refreshAhead;
        this.clock = clock;
        this.timer = timer;
        this.forceBudget = new ForceRefreshBudget(store, clock);
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
     * outcome that {@link #load} already logs in one line. The cache keeps it for no time.
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
        rejected.put(appid, token.value());
        cache.asMap().computeIfPresent(appid, (key, current) -> holds(current, token) ? null : current);
        try {
            store.dropToken(account(appid), token.value());
        } catch (StoreException e) {
            // the next fetch reads the row again and still knows the rejected value: nothing is lost
            LOG.warn("could not drop the rejected {} of {} in the store: {}", name, appid, e.getMessage());
        }
    }

    /**
     * Forget the account's token, here and in the store (for every relay sharing it), e.g. when an authorizer's
     * credentials changed. Another relay's cached copy lives on until its entry expires or WeChat rejects it.
     */
    public void invalidate(String appid) {
        cache.synchronous().invalidate(appid);
        String account = account(appid);
        store.token(account).ifPresent(stored -> store.dropToken(account, stored.value()));
    }

    public long fetches(String appid) {
        AtomicLong n = fetches.get(appid);
        return n == null ? 0 : n.get();
    }

    public long failedFetches(String appid) {
        AtomicLong n = failedFetches.get(appid);
        return n == null ? 0 : n.get();
    }

    /** Every appid a token was asked for since start: configured ones only, see {@link #requireConfigured}. */
    public java.util.Set<String> accounts() {
        return java.util.Set.copyOf(fetches.keySet());
    }

    /** A token is cached for this appid and usable (not within refresh-ahead of its expiry). */
    public boolean hasValidToken(String appid) {
        return holdsToken(cache.getIfPresent(appid));
    }

    public boolean lastFetchFailed(String appid) {
        return lastFailure.containsKey(appid);
    }

    /** Why the latest fetch failed (WeChat's errmsg and errcode, or the call's failure; never a secret), if it did. */
    public Optional<String> lastFailure(String appid) {
        return Optional.ofNullable(lastFailure.get(appid));
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
        return fetches;
    }

    public Map<String, AtomicLong> failedFetchCounts() {
        return failedFetches;
    }

    private Fetch fetch(String appid) {
        try {
            return new Fetch(load(appid), null);
        } catch (RuntimeException e) {
            return new Fetch(null, e);
        }
    }

    private AccessToken load(String appid) {
        fetches.computeIfAbsent(appid, k -> new AtomicLong());
        try {
            String rejectedValue = rejected.get(appid);
            String account = account(appid);
            Optional<SharedToken> stored = store.token(account).filter(t -> usable(t, rejectedValue));
            SharedToken token = stored.isPresent() ? stored.get() : store.renewToken(account, current -> {
                // another relay may have renewed it while this one waited for the lock
                if (current.isPresent() && usable(current.get(), rejectedValue)) {
                    return current.get();
                }
                AccessToken fetched = count(appid, false);
                if (fetched.value().equals(rejectedValue)) {
                    forceBudget.spend(account, name + " of " + appid);
                    LOG.info("WeChat handed back the rejected {} of {}: forcing a new one", name, appid);
                    fetched = count(appid, true);
                }
                LOG.info("fetched {} for {} (expires_in={}s)", name, appid, fetched.lifetime().toSeconds());
                return new SharedToken(fetched.value(), clock.instant().plus(fetched.lifetime()));
            });
            if (rejectedValue != null) {
                rejected.remove(appid, rejectedValue);
            }
            lastFailure.remove(appid);
            return new AccessToken(token.value(), Duration.between(clock.instant(), token.expiresAt()));
        } catch (RuntimeException e) {
            String failure = whatFailed(e);
            lastFailure.put(appid, failure);
            LOG.warn("could not fetch {} for {}: {}", name, appid, failure);
            throw e instanceof StoreException ? new RetryableSendException(null, "no " + name + " for " + appid
                    + ": " + e.getMessage()) : e;
        }
    }

    /**
     * A failed fetch as what it is for the messages waiting on it: not their outcome (a retryable failure becomes
     * retries-exhausted only once a message's last attempt failed, and each attempt says so itself).
     */
    private static String whatFailed(RuntimeException e) {
        if (e instanceof RetryableSendException r) {
            return r.errmsg() + " (retryable: the messages that need it try again with their backoff)";
        }
        if (e instanceof SendFailedException f) {
            return f.errmsg() + (f.errcode() == null ? "" : " (errcode " + f.errcode() + ")")
                    + " (not retryable: the messages that need it fail as " + f.reason() + ")";
        }
        return e.toString();
    }

    private boolean usable(SharedToken token, String rejectedValue) {
        return !token.value().equals(rejectedValue) && token.usableAt(clock.instant(), refreshAhead);
    }

    private String account(String appid) {
        return kind + "." + appid;
    }

    /** One request to WeChat, counted; a refused one counted as failed too. */
    private AccessToken count(String appid, boolean force) {
        fetches.computeIfAbsent(appid, k -> new AtomicLong()).incrementAndGet();
        try {
            return source.fetch(appid, force);
        } catch (RuntimeException e) {
            failedFetches.computeIfAbsent(appid, k -> new AtomicLong()).incrementAndGet();
            throw e;
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
