package dev.kefurelay.sandbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Issues and judges every kind of token, with WeChat's lifetime rules. All state sits behind one lock: token
 * traffic is tiny next to message traffic, and one lock keeps "issue a new one and retire the old one" atomic.
 */
final class TokenIssuer {

    enum Kind { CLIENT_CREDENTIAL, STABLE, COMPONENT, AUTHORIZER, WECOM }

    /** Kinds that custom/send and custom/typing accept; a component token is not an account's token. */
    static final Set<Kind> ACCOUNT_TOKENS = Set.of(Kind.CLIENT_CREDENTIAL, Kind.STABLE, Kind.AUTHORIZER);

    /** A WeCom corp's token ({@code /cgi-bin/gettoken}): WeCom's APIs take nothing else, and WeChat's refuse it. */
    static final Set<Kind> WECOM_TOKENS = Set.of(Kind.WECOM);

    static final Duration DEFAULT_LIFETIME = Duration.ofSeconds(7200);

    /** How long a replaced token keeps working, and how close to expiry stable_token starts handing out a new one. */
    private static final Duration OVERLAP = Duration.ofMinutes(5);

    record Issued(String value, long expiresIn) {
    }

    private enum Forced { REVOKED, EXPIRED }

    private static final class Token {
        final String owner;
        final Kind kind;
        final Instant expiresAt;
        Instant retiredAt;
        Forced forced;

        Token(String owner, Kind kind, Instant expiresAt) {
            this.owner = owner;
            this.kind = kind;
            this.expiresAt = expiresAt;
        }
    }

    private final Clock clock;
    private final Map<String, Token> byValue = new HashMap<>();
    private final Map<String, String> latestValue = new HashMap<>();
    private Duration lifetime = DEFAULT_LIFETIME;

    TokenIssuer(Clock clock) {
        this.clock = clock;
    }

    /** Every token value handed out, so tests can prove none of them leaked into a log. */
    synchronized List<String> issued() {
        return List.copyOf(byValue.keySet());
    }

    synchronized void lifetime(Duration lifetime) {
        if (lifetime == null || lifetime.isNegative() || lifetime.isZero()) {
            throw new IllegalArgumentException("token lifetime must be positive");
        }
        this.lifetime = lifetime;
    }

    /** A fresh token on every call; the previous one of that owner keeps working for the overlap, as WeChat does. */
    synchronized Issued issue(Kind kind, String owner) {
        Instant now = clock.instant();
        Token previous = latest(kind, owner);
        if (previous != null) {
            retire(previous, now.plus(OVERLAP));
        }
        return newToken(kind, owner, now);
    }

    /** stable_token: the same token while more than the overlap remains, a new one otherwise or when forced. */
    synchronized Issued stable(String appid, boolean forceRefresh) {
        return sameWhileValid(Kind.STABLE, appid, forceRefresh);
    }

    /** WeCom's gettoken: like stable_token, the same token while it is valid (企业微信: 有效期内重复获取返回相同结果). */
    synchronized Issued wecom(String corpid) {
        return sameWhileValid(Kind.WECOM, corpid, false);
    }

    /** Whether this value is a token of this kind (revoked or expired ones too): which API a shared path means. */
    synchronized boolean isKind(String value, Kind kind) {
        Token token = value == null ? null : byValue.get(value);
        return token != null && token.kind == kind;
    }

    private Issued sameWhileValid(Kind kind, String appid, boolean forceRefresh) {
        Instant now = clock.instant();
        String currentValue = latestValue.get(key(kind, appid));
        Token current = currentValue == null ? null : byValue.get(currentValue);
        if (current != null && forceRefresh) {
            retire(current, now);
        } else if (current != null && current.forced == null
                && Duration.between(now, current.expiresAt).compareTo(OVERLAP) > 0) {
            return new Issued(currentValue, Duration.between(now, current.expiresAt).getSeconds());
        }
        // A renewed (not forced) stable token leaves the old one valid until its own expiry: they overlap.
        return newToken(kind, appid, now);
    }

    /** The owner's appid if the token may be used for one of those kinds now, else WeChat's refusal. */
    synchronized String ownerOf(String value, Set<Kind> accepted) {
        if (value == null || value.isEmpty()) {
            throw new ApiException(ErrorCodes.ACCESS_TOKEN_MISSING);
        }
        Token token = byValue.get(value);
        if (token == null || !accepted.contains(token.kind) || token.forced == Forced.REVOKED) {
            throw new ApiException(ErrorCodes.INVALID_CREDENTIAL);
        }
        Instant now = clock.instant();
        if (token.forced == Forced.EXPIRED) {
            throw new ApiException(ErrorCodes.ACCESS_TOKEN_EXPIRED);
        }
        // "Not latest" (40001) and "expired" (42001) differ; clients may treat them differently, so keep them apart.
        if (token.retiredAt != null && !now.isBefore(token.retiredAt)) {
            throw new ApiException(ErrorCodes.INVALID_CREDENTIAL);
        }
        if (!now.isBefore(token.expiresAt)) {
            throw new ApiException(ErrorCodes.ACCESS_TOKEN_EXPIRED);
        }
        return token.owner;
    }

    /** WeChat-side invalidation (e.g. a reset secret): stable_token issues a fresh token afterwards. */
    synchronized void revokeAll() {
        byValue.values().forEach(t -> t.forced = Forced.REVOKED);
        latestValue.clear();
    }

    synchronized void expireAll() {
        byValue.values().forEach(t -> t.forced = Forced.EXPIRED);
    }

    private Issued newToken(Kind kind, String owner, Instant now) {
        String value = RandomTokens.next();
        byValue.put(value, new Token(owner, kind, now.plus(lifetime)));
        latestValue.put(key(kind, owner), value);
        return new Issued(value, lifetime.getSeconds());
    }

    private Token latest(Kind kind, String owner) {
        String value = latestValue.get(key(kind, owner));
        return value == null ? null : byValue.get(value);
    }

    private static void retire(Token token, Instant at) {
        // Natural expiry that comes first wins, so an old token answers 42001, not 40001.
        if (at.isBefore(token.expiresAt) && (token.retiredAt == null || at.isBefore(token.retiredAt))) {
            token.retiredAt = at;
        }
    }

    private static String key(Kind kind, String owner) {
        return kind + "\u0000" + owner;
    }
}
