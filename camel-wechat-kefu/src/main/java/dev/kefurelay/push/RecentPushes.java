package dev.kefurelay.push;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;

/**
 * WeChat's tries of one push: WeChat waits 5 seconds for an answer, then pushes the same message again, signed
 * anew (a new nonce), three times in all. A push is {@link #claim claimed} while it is handled and
 * {@link #done done} once it was; a try of one that is done is answered without handling it again, a try of one
 * still in hand is asked to come back later. Keyed by what the tries share ({@link InboundMessage#dedupeKey},
 * {@link PlatformEvent#dedupeKey}), in memory: one receiver's own tries, not another instance's.
 */
public final class RecentPushes {

    /** Longer than WeChat's three tries take, with room for a slow route. */
    public static final Duration KEPT = Duration.ofMinutes(10);
    /** Pushes remembered at most; beyond that the oldest go (a flood cannot exhaust memory). */
    static final long MAX = 100_000;

    /** What a try of a push finds. */
    public enum Claim {
        /** Nobody handles it now and it was not handled: handle it, then call done or release. */
        CLAIMED,
        /** Handled before: answer it as handled. */
        DONE,
        /** Another try of it is being handled right now. */
        IN_HAND
    }

    private final Cache<String, Boolean> done;
    private final Set<String> inHand = ConcurrentHashMap.newKeySet();

    public RecentPushes(Ticker ticker) {
        this.done = Caffeine.newBuilder().ticker(ticker).maximumSize(MAX)
                .expireAfterWrite(KEPT.toMillis(), TimeUnit.MILLISECONDS).build();
    }

    public Claim claim(String key) {
        if (done.getIfPresent(key) != null) {
            return Claim.DONE;
        }
        if (!inHand.add(key)) {
            return Claim.IN_HAND;
        }
        // it may have been done between the two looks
        if (done.getIfPresent(key) != null) {
            inHand.remove(key);
            return Claim.DONE;
        }
        return Claim.CLAIMED;
    }

    /** The claimed push was handled: its further tries are answered as handled. */
    public void done(String key) {
        done.put(key, Boolean.TRUE);
        inHand.remove(key);
    }

    /** The claimed push was not handled: a further try handles it. */
    public void release(String key) {
        inHand.remove(key);
    }
}
