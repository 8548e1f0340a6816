package dev.kefurelay.token;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import dev.kefurelay.store.KefuStore;
import dev.kefurelay.store.SharedToken;
import dev.kefurelay.store.StoreException;
import dev.kefurelay.wechat.RetryableSendException;
import dev.kefurelay.wechat.SendFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a miss of {@link TokenCache} does: read the account's row in the store ({@link KefuStore#token}), and only
 * when it is missing, about to expire or the one WeChat rejected, take the account's lock
 * ({@link KefuStore#renewToken}), read again and ask WeChat. Keeps the count of requests to WeChat and the latest
 * failure per appid, which the health check and the meters read.
 */
final class TokenFetcher {

    /** The cache's logger: the docs name it, and operators filter on it. */
    private static final Logger LOG = LoggerFactory.getLogger(TokenCache.class);

    private final String name;
    private final String kind;
    private final TokenSource source;
    private final KefuStore store;
    private final Duration refreshAhead;
    private final ForceRefreshBudget forceBudget;
    private final Clock clock;
    /** The token WeChat last rejected per appid: stable_token may hand the same one back, which needs forcing. */
    private final Map<String, String> rejected = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> fetches = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> failedFetches = new ConcurrentHashMap<>();
    /** Why the latest fetch per appid failed, while it did: with no token cached, the account cannot send (health). */
    private final Map<String, String> lastFailure = new ConcurrentHashMap<>();

    /**
     * @param name names the token in logs and failures, e.g. {@code access token}
     * @param kind names the accounts' rows in the store ({@code <kind>.<appid>}), e.g. {@code access}
     */
    TokenFetcher(String name, String kind, TokenSource source, KefuStore store, Duration refreshAhead, Clock clock) {
        this.name = name;
        this.kind = kind;
        this.source = source;
        this.store = store;
        this.refreshAhead = refreshAhead;
        this.clock = clock;
        this.forceBudget = new ForceRefreshBudget(store, clock);
    }

    /** The account's token: the stored one if usable, else one WeChat hands out under the account's lock. */
    AccessToken load(String appid) {
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

    /** WeChat rejected this token: the next load neither takes it from the store nor accepts it back unforced. */
    void rejected(String appid, AccessToken token) {
        rejected.put(appid, token.value());
        try {
            store.dropToken(account(appid), token.value());
        } catch (StoreException e) {
            // the next fetch reads the row again and still knows the rejected value: nothing is lost
            LOG.warn("could not drop the rejected {} of {} in the store: {}", name, appid, e.getMessage());
        }
    }

    /** Drops the account's stored token, for every relay sharing the store. */
    void dropStored(String appid) {
        String account = account(appid);
        store.token(account).ifPresent(stored -> store.dropToken(account, stored.value()));
    }

    long fetches(String appid) {
        AtomicLong n = fetches.get(appid);
        return n == null ? 0 : n.get();
    }

    long failedFetches(String appid) {
        AtomicLong n = failedFetches.get(appid);
        return n == null ? 0 : n.get();
    }

    Set<String> accounts() {
        return Set.copyOf(fetches.keySet());
    }

    Optional<String> lastFailure(String appid) {
        return Optional.ofNullable(lastFailure.get(appid));
    }

    Map<String, AtomicLong> fetchCounts() {
        return fetches;
    }

    Map<String, AtomicLong> failedFetchCounts() {
        return failedFetches;
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
}
