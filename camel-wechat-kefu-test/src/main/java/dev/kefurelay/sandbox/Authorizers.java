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
    /** One-time authorization codes not yet redeemed, to the appid that authorized. */
    private final Map<String, String> codes = new HashMap<>();

    synchronized void register(String authorizerAppid, String refreshToken) {
        if (authorizerAppid == null || authorizerAppid.isEmpty() || refreshToken == null || refreshToken.isEmpty()) {
            throw new IllegalArgumentException("authorizerAppid and refreshToken must not be empty");
        }
        refreshTokens.put(authorizerAppid, refreshToken);
    }

    /** The account authorized the platform (its admin scanned the QR code): a one-time code for api_query_auth. */
    synchronized String authorizationCode(String authorizerAppid) {
        if (authorizerAppid == null || authorizerAppid.isEmpty()) {
            throw new IllegalArgumentException("authorizerAppid must not be empty");
        }
        String code = "queryauthcode@@@" + RandomTokens.next();
        codes.put(code, authorizerAppid);
        return code;
    }

    /** api_query_auth: the code is used up, the authorizer gets its first refresh token; returns the appid. */
    synchronized String redeem(String code) {
        String appid = code == null ? null : codes.remove(code);
        if (appid == null) {
            throw new ApiException(ErrorCodes.AUTHORIZATION_CODE_INVALID);
        }
        refreshTokens.put(appid, "refreshtoken@@@" + RandomTokens.next());
        return appid;
    }

    /** The account withdrew its authorization: its refresh token no longer works. */
    synchronized void withdraw(String authorizerAppid) {
        refreshTokens.remove(authorizerAppid);
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
