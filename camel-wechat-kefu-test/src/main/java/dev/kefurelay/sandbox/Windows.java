package dev.kefurelay.sandbox;

import dev.kefurelay.window.Interaction;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The window book of the fake WeChat: per account and user, the window the user's last interaction opened
 * ({@link Interaction}), the messages sent in it, and who unfollowed. custom/send takes its place here atomically, so
 * seven calls at once for a user with five places left make five deliveries and two 45047s.
 * <p>
 * The book is always kept; refusing is opt-in ({@link #enforce}). Off by default because most tests, and the demos,
 * send to users who never wrote: with WeChat's rules on, every one of them would meet 45015. Tests of the window turn it
 * on; so may a relay that runs against the sandbox and wants WeChat's world.
 */
final class Windows {

    private record Key(String appid, String openid) {
        Key {
            if (appid == null || appid.isEmpty() || openid == null || openid.isEmpty()) {
                throw new IllegalArgumentException("a window needs an appid and an openid, got appid=" + appid
                        + ", openid=" + openid);
            }
        }
    }

    private final Clock clock;
    private final Map<Key, UserWindow> windows = new ConcurrentHashMap<>();
    private final Set<Key> unfollowed = ConcurrentHashMap.newKeySet();
    private volatile boolean enforce;

    Windows(Clock clock) {
        this.clock = clock;
    }

    void enforce(boolean on) {
        enforce = on;
    }

    boolean enforcing() {
        return enforce;
    }

    /** The user did something that opens a window: it replaces the one before, whatever was left of it. */
    void opened(String appid, String openid, Interaction interaction) {
        Key key = new Key(appid, openid);
        if (interaction == Interaction.FOLLOW) {
            unfollowed.remove(key);
        }
        windows.put(key, new UserWindow(interaction, clock.instant(), 0));
    }

    /** The user unfollowed: the window is gone (custom/send answers 45015) and template/send answers 43004. */
    void unfollowed(String appid, String openid) {
        Key key = new Key(appid, openid);
        unfollowed.add(key);
        windows.remove(key);
    }

    boolean follows(String appid, String openid) {
        return !unfollowed.contains(new Key(appid, openid));
    }

    /** The window while it is open. */
    Optional<UserWindow> window(String appid, String openid) {
        UserWindow window = windows.get(new Key(appid, openid));
        return window != null && window.openAt(clock.instant()) ? Optional.of(window) : Optional.empty();
    }

    /**
     * custom/send is about to deliver: counts it in the user's window, or refuses it as WeChat would (45015 closed,
     * 45047 used up) when enforcing. Counted when not enforcing too, so a test can read what was used.
     */
    void take(String appid, String openid) {
        windows.compute(new Key(appid, openid), (key, window) -> {
            if (window == null || !window.openAt(clock.instant())) {
                if (enforce) {
                    throw new ApiException(ErrorCodes.RESPONSE_OUT_OF_TIME_LIMIT);
                }
                // an expired window is forgotten rather than kept forever
                return null;
            }
            if (enforce && window.placesLeft() == 0) {
                throw new ApiException(ErrorCodes.OUT_OF_RESPONSE_COUNT_LIMIT);
            }
            return window.oneMore();
        });
    }

    void reset() {
        windows.clear();
        unfollowed.clear();
    }
}
