package dev.kefurelay.component;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.kefurelay.wechat.ErrorPolicy;
import dev.kefurelay.wechat.Reason;
import dev.kefurelay.wechat.SendFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accounts that hit WeChat's daily quota (45009). Sending more the same day only burns calls, so their
 * messages are dead-lettered at once until midnight China time, when WeChat resets the quota.
 */
public final class QuotaPauses {

    private static final Logger LOG = LoggerFactory.getLogger(QuotaPauses.class);
    static final ZoneOffset CHINA = ZoneOffset.ofHours(8);

    private final Clock clock;
    private final Map<String, Instant> pausedUntil = new ConcurrentHashMap<>();

    public QuotaPauses(Clock clock) {
        this.clock = clock;
    }

    public void pause(String appid) {
        Instant until = nextChinaMidnight(clock.instant());
        if (pausedUntil.put(appid, until) == null) {
            LOG.warn("daily quota of {} reached (45009): its messages are dead-lettered until {}", appid, until);
        }
    }

    /** Fails with reason quota-paused while the account is paused. */
    public void check(String appid) {
        Instant until = pausedUntil.get(appid);
        if (until == null) {
            return;
        }
        if (!clock.instant().isBefore(until)) {
            pausedUntil.remove(appid, until);
            return;
        }
        throw new SendFailedException(Reason.QUOTA_PAUSED, ErrorPolicy.DAILY_QUOTA,
                "account " + appid + " reached its daily quota; sending resumes at " + until + " (00:00 UTC+8)");
    }

    public boolean isPaused(String appid) {
        Instant until = pausedUntil.get(appid);
        return until != null && clock.instant().isBefore(until);
    }

    static Instant nextChinaMidnight(Instant now) {
        LocalDate today = now.atOffset(CHINA).toLocalDate();
        return today.plusDays(1).atStartOfDay().toInstant(CHINA);
    }
}
