package dev.kefurelay.component;

import java.time.Duration;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;

/**
 * Ids of messages delivered in the last 48 hours, so a caller's resend is not delivered twice.
 * Camel's CaffeineIdempotentRepository keeps ids forever and without a bound; this one forgets after the
 * window and holds at most {@code maxIds}. It lives in memory: a restart forgets it.
 */
public final class DeliveredIds {

    public static final Duration WINDOW = Duration.ofHours(48);

    private final Cache<String, Boolean> ids;

    public DeliveredIds(long maxIds, Ticker ticker) {
        this.ids = Caffeine.newBuilder().maximumSize(maxIds).expireAfterWrite(WINDOW).ticker(ticker).build();
    }

    public boolean wasDelivered(String id) {
        return id != null && ids.getIfPresent(id) != null;
    }

    public void delivered(String id) {
        if (id != null) {
            ids.put(id, Boolean.TRUE);
        }
    }
}
