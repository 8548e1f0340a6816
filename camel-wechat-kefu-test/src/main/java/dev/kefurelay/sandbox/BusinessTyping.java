package dev.kefurelay.sandbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A Mini Program's typing indicator ({@code custom/business/typing}) as WeChat judges it: a command other than
 * Typing or CancelTyping is 45072; Typing while the user sees "typing…" already is 45081 (the indicator lasts 20
 * seconds, or until CancelTyping); and, once windows are enforced ({@link Windows#enforcing()}), Typing to a user
 * who did not interact in the last 30 seconds is 45080.
 */
final class BusinessTyping {

    static final Duration INTERACTION = Duration.ofSeconds(30);
    static final Duration SHOWN = Duration.ofSeconds(20);

    private record Key(String appid, String openid) {
    }

    private final Clock clock;
    private final Windows windows;
    /** Since when each user sees "typing…". */
    private final Map<Key, Instant> typing = new ConcurrentHashMap<>();

    BusinessTyping(Clock clock, Windows windows) {
        this.clock = clock;
        this.windows = windows;
    }

    void command(String appid, String openid, String command) {
        Key key = new Key(appid, openid);
        Instant now = clock.instant();
        if ("CancelTyping".equals(command)) {
            typing.remove(key);
            return;
        }
        if (!"Typing".equals(command)) {
            throw new ApiException(ErrorCodes.INVALID_TYPING_COMMAND);
        }
        // a window's opening is the user's latest interaction: each one replaces the window before
        boolean interacted = windows.window(appid, openid).map(w -> now.isBefore(w.openedAt().plus(INTERACTION)))
                .orElse(false);
        if (windows.enforcing() && !interacted) {
            throw new ApiException(ErrorCodes.NO_RECENT_INTERACTION);
        }
        typing.compute(key, (k, since) -> {
            if (since != null && now.isBefore(since.plus(SHOWN))) {
                throw new ApiException(ErrorCodes.ALREADY_TYPING);
            }
            return now;
        });
    }

    void reset() {
        typing.clear();
    }
}
