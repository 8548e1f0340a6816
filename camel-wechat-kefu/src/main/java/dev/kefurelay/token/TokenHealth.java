package dev.kefurelay.token;

import java.time.Duration;

/**
 * The one rule of the token health checks (the relay's and the component's producer checks): an account cannot send
 * for want of a token while none is cached and its last fetch failed (WeChat unreachable, a wrong secret, an IP not
 * allowed...). Such an account is asked for a token again in the background, at most once per {@code retryInterval}
 * (WeChat limits token requests per day, and monitors may poll often), so that a check comes back UP when WeChat
 * does, even with no message waiting.
 */
public final class TokenHealth {

    private TokenHealth() {
    }

    /** Whether the account has no token and its last fetch failed; if so, asks again in the background. */
    public static boolean failing(TokenCache tokens, String appid, Duration retryInterval) {
        if (tokens.hasValidToken(appid) || !tokens.lastFetchFailed(appid)) {
            return false;
        }
        tokens.prefetch(appid, retryInterval.toMillis());
        return true;
    }
}
