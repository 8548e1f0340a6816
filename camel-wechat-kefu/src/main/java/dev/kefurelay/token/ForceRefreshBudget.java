package dev.kefurelay.token;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;

import dev.kefurelay.store.KefuStore;
import dev.kefurelay.wechat.RetryableSendException;

/**
 * WeChat's limit on {@code stable_token} with {@code force_refresh: true}: 20 a day per account, 30 s apart. The
 * count is kept in the store, so the limit holds for every relay sharing it; it is spent under the account's token
 * lock ({@link KefuStore#renewToken}), so two relays never both force for one rejected token.
 */
final class ForceRefreshBudget {

    static final int PER_DAY = 20;
    static final Duration APART = Duration.ofSeconds(30);
    /** WeChat counts days in China time. */
    private static final ZoneOffset CHINA = ZoneOffset.ofHours(8);

    private final KefuStore store;
    private final Clock clock;

    ForceRefreshBudget(KefuStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /**
     * Records one forced refresh of this account, or throws a retryable failure when the limit leaves none now.
     * Call only while holding the account's token lock.
     */
    void spend(String account, String what) {
        String key = "force-refresh." + account;
        long now = clock.millis();
        LocalDate today = clock.instant().atOffset(CHINA).toLocalDate();
        // stored as "<day> <count> <last epoch ms>"
        String[] last = store.get(key).map(v -> v.split(" ")).filter(p -> p.length == 3).orElse(null);
        int count = last != null && last[0].equals(today.toString()) ? Integer.parseInt(last[1]) : 0;
        if (count >= PER_DAY) {
            throw new RetryableSendException(null, what + ": WeChat handed back the rejected token, and force_refresh "
                    + "was used " + PER_DAY + " times today (WeChat's daily limit)");
        }
        if (last != null && now - Long.parseLong(last[2]) < APART.toMillis()) {
            throw new RetryableSendException(null, what + ": WeChat handed back the rejected token, and force_refresh "
                    + "was used less than " + APART.toSeconds() + " s ago (WeChat's limit)");
        }
        store.put(key, today + " " + (count + 1) + " " + now);
    }
}
