package dev.kefurelay.sandbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The sandbox's one clock: token lifetimes, media's 3 days, users' windows and template ids all read it. It runs with
 * the clock the sandbox was started on (the system's, or a test's), plus however far a test has moved it forward, so
 * "48 hours later" takes no waiting. It only goes forward, like WeChat's.
 */
public final class SandboxClock extends Clock {

    private final Clock base;
    private final AtomicReference<Duration> ahead = new AtomicReference<>(Duration.ZERO);

    SandboxClock(Clock base) {
        this.base = base;
    }

    /** Moves the sandbox's time forward: a token, a window or a remembered id ends as if this time had passed. */
    public void advance(Duration duration) {
        if (duration == null || duration.isNegative()) {
            throw new IllegalArgumentException("the sandbox's clock only moves forward; advance by a duration >= 0, not "
                    + duration);
        }
        ahead.updateAndGet(d -> d.plus(duration));
    }

    /** How far {@link #advance} has moved it ahead of the clock it started on. */
    public Duration ahead() {
        return ahead.get();
    }

    @Override
    public Instant instant() {
        return base.instant().plus(ahead.get());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
