package dev.kefurelay.component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import dev.kefurelay.store.KefuStore;
import dev.kefurelay.store.StoreException;
import dev.kefurelay.wechat.ErrorPolicy;
import dev.kefurelay.wechat.Reason;
import dev.kefurelay.wechat.SendFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accounts that hit WeChat's daily quota (45009). Sending more the same day only burns calls, so their
 * messages are dead-lettered at once until midnight China time, when WeChat resets the quota. A pause is kept in
 * the store, so it holds for every relay sharing it and across restarts; each relay looks at the store for an
 * account at most once per {@link #RECHECK}, so a send does not cost a database round trip.
 */
public final class QuotaPauses {

    private static final Logger LOG = LoggerFactory.getLogger(QuotaPauses.class);
    static final ZoneOffset CHINA = ZoneOffset.ofHours(8);

    /** How long a relay goes by what it last read of an account's pause: another relay's pause reaches it then. */
    static final Duration RECHECK = Duration.ofSeconds(5);

    /** What the store said of an account, and when this relay asked. */
    private record Known(Instant until, Instant readAt) {
    }

    private final Clock clock;
    private final KefuStore store;
    private final Map<String, Known> known = new ConcurrentHashMap<>();

    public QuotaPauses(Clock clock, KefuStore store) {
        this.clock = clock;
        this.store = store;
    }

    public void pause(String appid) {
        Instant until = nextChinaMidnight(clock.instant());
        Known before = known.put(appid, new Known(until, clock.instant()));
        try {
            store.pause(appid, until);
        } catch (StoreException e) {
            // this relay pauses anyway; the others meet 45009 themselves
            LOG.warn("could not store the quota pause of {}: {}", appid, e.getMessage());
        }
        if (before == null || !until.equals(before.until())) {
            LOG.warn("daily quota of {} reached (45009): its messages are dead-lettered until {}", appid, until);
        }
    }

    /** Fails with reason quota-paused while the account is paused. */
    public void check(String appid) {
        Instant until = knownPause(appid);
        if (until == null || !clock.instant().isBefore(until)) {
            return;
        }
        throw new SendFailedException(Reason.QUOTA_PAUSED, ErrorPolicy.DAILY_QUOTA,
                "account " + appid + " reached its daily quota; sending resumes at " + until + " (00:00 UTC+8)");
    }

    public boolean isPaused(String appid) {
        return pausedUntil(appid).isPresent();
    }

    /** When sending resumes for the account, while it is paused. */
    public Optional<Instant> pausedUntil(String appid) {
        Instant until = knownPause(appid);
        return until != null && clock.instant().isBefore(until) ? Optional.of(until) : Optional.empty();
    }

    /** The pause this relay knows, read from the store again when older than {@link #RECHECK}; null if none. */
    private Instant knownPause(String appid) {
        Instant now = clock.instant();
        Known k = known.get(appid);
        if (k == null || !now.isBefore(k.readAt().plus(RECHECK))) {
            try {
                Instant stored = store.pausedUntil(appid).orElse(null);
                k = new Known(k != null && k.until() != null && (stored == null || k.until().isAfter(stored))
                        ? k.until() : stored, now);
                known.put(appid, k);
            } catch (StoreException e) {
                // unreachable store: go by what this relay knows; readiness reports the store
                LOG.debug("quota pause of {} not read: {}", appid, e.getMessage());
                return k == null ? null : k.until();
            }
        }
        return k.until();
    }

    static Instant nextChinaMidnight(Instant now) {
        LocalDate today = now.atOffset(CHINA).toLocalDate();
        return today.plusDays(1).atStartOfDay().toInstant(CHINA);
    }
}
