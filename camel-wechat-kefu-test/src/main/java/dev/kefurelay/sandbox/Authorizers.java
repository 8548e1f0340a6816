package dev.kefurelay.sandbox;

import java.util.HashMap;
import java.util.Map;

/**
 * Accounts authorized to a third-party platform, and their refresh tokens. Each use rotates the refresh token,
 * so a client that loses the returned one is locked out (61023) exactly as it would be in production.
 */
final class Authorizers {

    private final Map<String, String> refreshTokens = new HashMap<>();
    private final Map<String, Integer> injectedFailures = new HashMap<>();

    synchronized void register(String authorizerAppid, String refreshToken) {
        if (authorizerAppid == null || authorizerAppid.isEmpty() || refreshToken == null || refreshToken.isEmpty()) {
            throw new IllegalArgumentException("authorizerAppid and refreshToken must not be empty");
        }
        refreshTokens.put(authorizerAppid, refreshToken);
    }

    synchronized String current(String authorizerAppid) {
        return refreshTokens.get(authorizerAppid);
    }

    /** errcode 0 lifts the failure. */
    synchronized void fail(String authorizerAppid, int errcode) {
        if (errcode == 0) {
            injectedFailures.remove(authorizerAppid);
        } else {
            injectedFailures.put(authorizerAppid, errcode);
        }
    }

    synchronized void clearFailures() {
        injectedFailures.clear();
    }

    /** Checks the presented refresh token and replaces it; the caller must hand the new one out. */
    synchronized String rotate(String authorizerAppid, String presented) {
        Integer failure = injectedFailures.get(authorizerAppid);
        if (failure != null) {
            throw new ApiException(failure);
        }
        String current = refreshTokens.get(authorizerAppid);
        if (current == null || !current.equals(presented)) {
            throw new ApiException(ErrorCodes.REFRESH_TOKEN_INVALID);
        }
        String next = RandomTokens.next();
        refreshTokens.put(authorizerAppid, next);
        return next;
    }
}
