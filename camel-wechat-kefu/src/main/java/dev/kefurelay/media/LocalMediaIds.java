package dev.kefurelay.media;

import java.time.Duration;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;

/** {@link MediaIds} in memory: a Caffeine cache whose entries expire {@code keepFor} after their upload. */
public final class LocalMediaIds implements MediaIds {

    /** WeChat keeps temporary media 3 days. */
    public static final Duration WECHAT_KEEPS = Duration.ofDays(3);
    /**
     * Forgotten this long before WeChat does: a message that waits through its retries, or sits in a queue, must not
     * carry an id that expires on the way. An hour is far above the longest retry budget of the defaults.
     */
    public static final Duration MARGIN = Duration.ofHours(1);

    private final Cache<MediaKey, String> ids;

    public LocalMediaIds(long maxEntries, Ticker ticker) {
        this(maxEntries, WECHAT_KEEPS.minus(MARGIN), ticker);
    }

    LocalMediaIds(long maxEntries, Duration keepFor, Ticker ticker) {
        this.ids = Caffeine.newBuilder().maximumSize(maxEntries).expireAfterWrite(keepFor).ticker(ticker).build();
    }

    @Override
    public String get(MediaKey key) {
        return ids.getIfPresent(key);
    }

    @Override
    public void put(MediaKey key, String mediaId) {
        ids.put(key, mediaId);
    }

    @Override
    public void remove(MediaKey key, String mediaId) {
        ids.asMap().remove(key, mediaId);
    }
}
