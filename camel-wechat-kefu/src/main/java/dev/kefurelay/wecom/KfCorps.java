package dev.kefurelay.wecom;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * The corp of each kf account that messages named lately. A retry is told with the kf account alone, but the
 * listener (metrics) counts WeCom messages by corp: corps are configured, so their labels stay few, while a kf
 * account is whatever a sender wrote. A kf account belongs to one corp; one forgotten (more than {@link #KEPT}
 * named since) has no corp, as a message that could not be read has no account.
 */
public final class KfCorps {

    static final long KEPT = 10_000;

    private final Cache<String, String> corps = Caffeine.newBuilder().maximumSize(KEPT).build();

    void named(WeComMessage message) {
        corps.put(message.openKfid(), message.corpid());
    }

    /** The corp of the kf account's latest message, or null when none is remembered. */
    String corpOf(String openKfid) {
        return openKfid == null ? null : corps.getIfPresent(openKfid);
    }
}
