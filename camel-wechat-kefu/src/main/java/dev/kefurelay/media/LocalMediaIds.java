package dev.kefurelay.media;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;

/**
 * {@link MediaIds} in memory: a Caffeine cache whose entries expire {@code keepFor} after their upload, or, for an id
 * another relay uploaded ({@link SharedMediaIds}), when that upload's time is over.
 */
public final class LocalMediaIds implements MediaIds {

    /** WeChat keeps temporary media 3 days. */
    public static final Duration WECHAT_KEEPS = Duration.ofDays(3);
    /**
     * Forgotten this long before WeChat does: a message that waits through its retries, or sits in a queue, must not
     * carry an id that expires on the way. An hour is far above the longest retry budget of the defaults.
     */
    public static final Duration MARGIN = Duration.ofHours(1);
    /** How long a fresh upload's media_id is used. */
    public static final Duration KEEP_FOR = WECHAT_KEEPS.minus(MARGIN);

    private final Cache<MediaKey, String> ids;
    private final long keepForNanos;

    public LocalMediaIds(long maxEntries, Ticker ticker) {
        this(maxEntries, KEEP_FOR, ticker);
    }

    LocalMediaIds(long maxEntries, Duration keepFor, Ticker ticker) {
        this.keepForNanos = keepFor.toNanos();
        // upkeep on the caller's thread: the default, the JDK's common pool, leaves threads behind a stop
        this.ids = Caffeine.newBuilder().executor(Runnable::run).maximumSize(maxEntries).ticker(ticker)
                .expireAfter(Expiry.<MediaKey, String>writing((key, id) -> keepFor)).build();
    }

    @Override
    public String get(MediaKey key) {
        return ids.getIfPresent(key);
    }

    @Override
    public void put(MediaKey key, String mediaId) {
        ids.put(key, mediaId);
    }

    /** Remembers an id that is usable this much longer (at most as long as a fresh upload's; not at all if none). */
    void put(MediaKey key, String mediaId, Duration usableFor) {
        long nanos = Math.min(usableFor.toNanos(), keepForNanos);
        if (nanos > 0) {
            ids.policy().expireVariably().orElseThrow().put(key, mediaId, nanos, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void remove(MediaKey key, String mediaId) {
        ids.asMap().remove(key, mediaId);
    }
}
