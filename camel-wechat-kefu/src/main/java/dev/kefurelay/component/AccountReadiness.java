package dev.kefurelay.component;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.kefurelay.token.TokenCache;
import dev.kefurelay.token.TokenHealth;
import org.apache.camel.health.HealthCheck.State;

/**
 * Whether an account can send now, as its producer health check says, in plain Java: DOWN while it is paused for its
 * daily quota (until midnight China time), or while it has no token and its last fetch failed (asked again in the
 * background, {@link TokenHealth}); UP with a token. An account with none cached (never asked yet, or its token
 * about to expire) gets one now, as its next message would: what the check reports is that a token is obtainable,
 * not that one was once. Nothing it says holds a secret: WeChat's errmsg and errcode, the call's failure. A WeCom
 * corp's readiness is the same rule over the corps' tokens (WeCom pauses no corp for a quota).
 */
final class AccountReadiness {

    /**
     * How long a check waits for the token it asked for. A probe should answer in seconds; the fetch goes on, and
     * the next probe reads its outcome.
     */
    static final Duration FETCH_WAIT = Duration.ofSeconds(5);

    /** What the check reports; the message says why in words an operator can act on. */
    record Verdict(State state, String message) {
    }

    /** What the accounts are: WeChat's (appids) or WeCom's (corps), for the checks' details and messages. */
    enum Api {
        WECHAT("WeChat", "appid"), WECOM("WeCom", "corpid");

        private final String name;
        private final String detail;

        Api(String name, String detail) {
            this.name = name;
            this.detail = detail;
        }
    }

    private final Api api;
    private final TokenCache tokens;
    private final QuotaPauses pauses;
    private final Duration retryInterval;
    private final Duration fetchWait;

    /** @param retryInterval how often an account whose fetch failed is asked again while it is checked */
    AccountReadiness(Api api, TokenCache tokens, QuotaPauses pauses, Duration retryInterval, Duration fetchWait) {
        this.api = api;
        this.tokens = tokens;
        this.pauses = pauses;
        this.retryInterval = retryInterval;
        this.fetchWait = fetchWait;
    }

    /** The name of the check's detail that holds the account. */
    String detail() {
        return api.detail;
    }

    Verdict of(String appid) {
        Optional<Instant> paused = pauses.pausedUntil(appid);
        if (paused.isPresent()) {
            return new Verdict(State.DOWN, "daily quota reached (45009): sending resumes at " + paused.get()
                    + " (00:00 UTC+8)");
        }
        if (tokens.hasValidToken(appid)) {
            return new Verdict(State.UP, "access token valid");
        }
        if (TokenHealth.failing(tokens, appid, retryInterval)) {
            return new Verdict(State.DOWN, "no access token: " + tokens.lastFailure(appid).orElse("the fetch failed"));
        }
        // started as the background asking's try, so that the checks after a failure wait their interval; the wait
        // joins that same fetch (and would start one, were the asking still within its interval)
        tokens.prefetch(appid, retryInterval.toMillis());
        try {
            tokens.getAsync(appid).get(fetchWait.toMillis(), TimeUnit.MILLISECONDS);
            return new Verdict(State.UP, "access token obtained");
        } catch (ExecutionException e) {
            return new Verdict(State.DOWN, "no access token: " + tokens.lastFailure(appid)
                    .orElse(String.valueOf(e.getCause().getMessage())));
        } catch (TimeoutException e) {
            return new Verdict(State.UNKNOWN, "asking " + api.name + " for an access token took over "
                    + fetchWait.toSeconds() + "s; the next check reads the outcome");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Verdict(State.UNKNOWN, "interrupted while asking " + api.name + " for an access token");
        }
    }
}
