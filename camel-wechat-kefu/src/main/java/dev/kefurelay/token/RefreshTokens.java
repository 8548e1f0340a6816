package dev.kefurelay.token;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import dev.kefurelay.message.InvalidMessageException;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.kefurelay.store.KefuStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each authorizer's current {@code authorizer_refresh_token}, kept in the store: a lost one means the account
 * must authorize the platform again. A seed ({@code kefu.authorizers.<appid>.refresh-token}) is imported once;
 * after that the stored value wins, because WeChat may have rotated it. A seed that changes (the operator pasted
 * the token of a new authorization) is imported again: only a hash of the last imported seed is kept to tell.
 */
public final class RefreshTokens {

    private static final Logger LOG = LoggerFactory.getLogger(RefreshTokens.class);
    private static final Pattern APPID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private static final String WITHDRAWN = "withdrawn ";
    private static final String AUTHORIZED = "authorized";
    /** How long a relay trusts what it read of an authorization's state: another relay may have changed it. */
    private static final Duration STATE_READ_AGAIN = Duration.ofSeconds(5);

    private final KefuStore store;
    private final java.util.Set<String> known = java.util.concurrent.ConcurrentHashMap.newKeySet();
    // upkeep on the caller's thread: the default, the JDK's common pool, leaves threads behind a stop
    private final Cache<String, Optional<Instant>> withdrawn = Caffeine.newBuilder().executor(Runnable::run)
            .expireAfterWrite(STATE_READ_AGAIN).maximumSize(100_000).build();

    public RefreshTokens(KefuStore store, Map<String, String> seeds) {
        this.store = store;
        seeds.forEach((appid, seed) -> {
            if (seed.isEmpty()) {
                return;
            }
            String hash = sha256(seed);
            String before = store.get(seedKey(appid)).orElse(null);
            // relays starting together with the same seed: only the one that records its hash imports it, so a
            // refresh token another relay rotated meanwhile is never overwritten by the old seed
            if (!hash.equals(before) && store.compareAndSet(seedKey(appid), before, hash)) {
                store.put(key(appid), seed);
                LOG.info("refresh token of authorizer {} taken from its configured seed", appid);
            }
        });
    }

    public Optional<String> current(String appid) {
        return store.get(key(appid));
    }

    /**
     * Whether this authorizer has a refresh token (seeded, stored earlier, or added at run time, by any relay
     * sharing the store). Asked for every message: an authorizer once seen is remembered, since a refresh token is
     * replaced but never removed, so only an appid not seen yet costs a store look-up.
     */
    public boolean knows(String appid) {
        if (appid != null && known.contains(appid)) {
            return true;
        }
        // an appid that cannot be a store key is no authorizer, not a reason to fail
        boolean has = appid != null && APPID.matcher(appid).matches() && current(appid).isPresent();
        if (has) {
            known.add(appid);
        }
        return has;
    }

    /**
     * WeChat answered the {@code presented} token with {@code next}: store it, before its access token is used, in
     * one compare-and-set. Returns false and keeps the stored one when it is no longer {@code presented} (an
     * operator replaced it meanwhile: a new authorization).
     */
    public boolean rotated(String appid, String presented, String next) {
        return store.compareAndSet(key(appid), presented, next);
    }

    /**
     * Added or updated at run time (queue kefu.authorizers, an authorization pushed by WeChat): for every relay
     * sharing the store. A new authorization lifts a withdrawal.
     */
    public void update(String appid, String refreshToken) {
        store.put(key(appid), refreshToken);
        if (withdrawnAt(appid).isPresent()) {
            store.put(stateKey(appid), AUTHORIZED);
            withdrawn.put(appid, Optional.empty());
        }
    }

    /**
     * The account withdrew its authorization (WeChat pushed {@code unauthorized}): kept in the store, so that no
     * restart and no other relay sends for it again; a new authorization ({@link #update}) lifts it.
     */
    public void withdraw(String appid, Instant at) {
        store.put(stateKey(appid), WITHDRAWN + at.toEpochMilli());
        withdrawn.put(appid, Optional.of(at));
    }

    /**
     * When the authorizer withdrew its authorization, if it did and has not authorized again since. Asked before
     * every send: read from the store at most every 5 s per appid, so a withdrawal another relay took in is seen
     * within that time.
     */
    public Optional<Instant> withdrawnAt(String appid) {
        return withdrawn.get(appid, id -> store.get(stateKey(id)).filter(s -> s.startsWith(WITHDRAWN))
                .map(s -> Instant.ofEpochMilli(Long.parseLong(s.substring(WITHDRAWN.length())))));
    }

    private static String stateKey(String appid) {
        return "authorizer-" + checked(appid) + ".authorization";
    }

    static String key(String appid) {
        return "authorizer-" + checked(appid) + ".refresh-token";
    }

    private static String seedKey(String appid) {
        return "authorizer-" + checked(appid) + ".seed-sha256";
    }

    private static String checked(String appid) {
        if (appid == null || !APPID.matcher(appid).matches()) {
            throw new InvalidMessageException("'" + appid + "' is not an authorizer appid (letters, digits, _ and -)");
        }
        return appid;
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
