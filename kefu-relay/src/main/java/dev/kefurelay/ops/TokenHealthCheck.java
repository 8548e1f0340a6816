package dev.kefurelay.ops;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.kefurelay.token.TokenCache;
import dev.kefurelay.token.TokenHealth;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness: DOWN while an account (an appid, or a WeCom corp) has no valid token and its last fetch failed (WeChat
 * or WeCom unreachable, wrong secret, IP not allowed...); such an account is asked again in the background
 * ({@link TokenHealth}, the rule the component's producer checks follow too), so the check comes back UP when WeChat
 * does.
 */
public final class TokenHealthCheck extends AbstractHealthCheck {

    private final List<TokenCache> caches;
    private final Duration retryInterval;

    /** @param caches the accounts' tokens: WeChat's, and WeCom's corps' when the relay has corps */
    public TokenHealthCheck(List<TokenCache> caches, Duration retryInterval) {
        super("kefu", "tokens");
        this.caches = List.copyOf(caches);
        this.retryInterval = retryInterval;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        List<String> failing = caches.stream().flatMap(tokens -> tokens.accounts().stream().sorted()
                .filter(account -> TokenHealth.failing(tokens, account, retryInterval))).toList();
        if (failing.isEmpty()) {
            builder.up();
            return;
        }
        builder.message("no valid access token, last fetch failed: " + String.join(", ", failing))
                .detail("accounts", String.join(",", failing)).down();
    }
}
