package dev.kefurelay.push;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;

/**
 * Refuses a push replayed by someone who recorded it: a {@code timestamp} older (or further ahead) than the
 * window, or a nonce already taken within it. A nonce is remembered only once its push was handled, so that
 * WeChat's retry of a push the relay failed to store is still taken. A window of zero turns both checks off
 * (to replay recorded pushes on purpose).
 */
public final class ReplayGuard {

    /** Nonces kept at most; beyond that the oldest go (a flood cannot exhaust memory). */
    static final long MAX_NONCES = 200_000;

    private final Duration window;
    private final Clock clock;
    private final Cache<String, Boolean> nonces;
    /** The setting of the window, as the operator spells it: for the text of a stale push's refusal. */
    private final String windowName;

    /** The relay's: its refusals name {@code kefu.push.max-age}. */
    public ReplayGuard(Duration window, Clock clock, Ticker ticker) {
        this(window, clock, ticker, "kefu.push.max-age");
    }

    /** @param windowName the setting the window comes from, named in the text of a stale push's refusal */
    public ReplayGuard(Duration window, Clock clock, Ticker ticker, String windowName) {
        this.window = window;
        this.clock = clock;
        this.windowName = windowName;
        this.nonces = Caffeine.newBuilder().ticker(ticker).maximumSize(MAX_NONCES)
                // a nonce older than the window is refused by its timestamp already
                .expireAfterWrite(Math.max(1, window.toMillis()) * 2, TimeUnit.MILLISECONDS).build();
    }

    /** How far a push's timestamp may be off this machine's clock; zero: the checks are off. */
    public Duration window() {
        return window;
    }

    /** @param scope the endpoint (platform, or an account's path): nonces are per sender */
    public void check(String scope, String timestamp, String nonce) {
        if (window.isZero()) {
            return;
        }
        long seconds;
        try {
            seconds = Long.parseLong(timestamp.strip());
        } catch (NumberFormatException | NullPointerException e) {
            throw new PushRefusedException(PushRefusedException.Why.MALFORMED, "timestamp is not a number of seconds");
        }
        long skew = Math.abs(clock.millis() / 1000 - seconds);
        if (skew > window.toSeconds()) {
            throw new PushRefusedException(PushRefusedException.Why.STALE, "timestamp is " + skew
                    + " s away from this machine's clock, more than " + windowName + " (" + window.toSeconds()
                    + " s): a replayed push, or a clock to set right");
        }
        if (nonces.getIfPresent(scope + '\n' + nonce) != null) {
            throw new PushRefusedException(PushRefusedException.Why.REPLAYED, "nonce was used before: a replayed push");
        }
    }

    /**
     * {@link #check}, and the nonce taken in the same step: two requests with one nonce never both pass (URL
     * verification, which has nothing to store first).
     */
    public void claim(String scope, String timestamp, String nonce) {
        check(scope, timestamp, nonce);
        if (!window.isZero() && nonces.asMap().putIfAbsent(scope + '\n' + nonce, Boolean.TRUE) != null) {
            throw new PushRefusedException(PushRefusedException.Why.REPLAYED, "nonce was used before: a replayed request");
        }
    }

    /** The push with this nonce was handled: the same nonce is refused from now on. */
    public void taken(String scope, String nonce) {
        if (!window.isZero()) {
            nonces.put(scope + '\n' + nonce, Boolean.TRUE);
        }
    }
}
