package dev.kefurelay.ops;

import java.util.List;
import java.util.Map;

import dev.kefurelay.token.TokenCache;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness: DOWN while an account has no valid token and its last fetch failed (WeChat unreachable, wrong
 * secret, IP not allowed...). Such an account is asked for a token again in the background, at most once per
 * {@code retryInterval} (WeChat limits token requests per day, and monitors may poll often), so the check
 * comes back UP when WeChat does, even with no message waiting.
 */
public final class TokenHealthCheck extends AbstractHealthCheck {

    private final TokenCache tokens;
    private final long retryIntervalMs;

    public TokenHealthCheck(TokenCache tokens, java.time.Duration retryInterval) {
        super("kefu", "tokens");
        this.tokens = tokens;
        this.retryIntervalMs = retryInterval.toMillis();
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        List<String> failing = tokens.accounts().stream().sorted()
                .filter(appid -> !tokens.hasValidToken(appid) && tokens.lastFetchFailed(appid))
                .toList();
        if (failing.isEmpty()) {
            builder.up();
            return;
        }
        failing.forEach(appid -> tokens.prefetch(appid, retryIntervalMs));
        builder.message("no valid access token, last fetch failed: " + String.join(", ", failing))
                .detail("accounts", String.join(",", failing)).down();
    }
}
