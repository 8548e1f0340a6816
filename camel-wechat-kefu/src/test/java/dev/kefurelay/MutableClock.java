package dev.kefurelay;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

import com.github.benmanes.caffeine.cache.Ticker;

/**
 * Time a test moves by hand, so expiry rules (token lifetimes, id windows, quota pauses) are tested without waiting.
 * {@link #ticker()} is the same time as a Caffeine ticker, for code that keeps a wall clock and a cache side by side.
 */
public final class MutableClock extends Clock {

    private final Instant start;
    private final AtomicReference<Instant> now;

    public MutableClock(Instant start) {
        this.start = start;
        this.now = new AtomicReference<>(start);
    }

    public void advance(Duration duration) {
        now.updateAndGet(t -> t.plus(duration));
    }

    /** Jumps to this instant (forward only: a ticker must not run backwards). */
    public void set(Instant instant) {
        now.updateAndGet(t -> {
            if (instant.isBefore(t)) {
                throw new IllegalArgumentException("the clock is at " + t + " and does not go back to " + instant);
            }
            return instant;
        });
    }

    /** Nanoseconds since the start instant: moves exactly as this clock does. */
    public Ticker ticker() {
        return () -> Duration.between(start, now.get()).toNanos();
    }

    @Override
    public Instant instant() {
        return now.get();
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
