package dev.kefurelay.sandbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.kefurelay.window.Interaction;

/**
 * WeCom 微信客服's sessions, per kf account and customer: the session state (0 unhandled, 1 bot, 2 queued, 3 a human
 * agent, 4 ended) and the customer's window (5 messages within 48 hours of the customer's last message). send_msg
 * takes its place here atomically, so seven sends at once with five places left make five deliveries.
 */
final class KfSessions {

    static final int UNHANDLED = 0;
    static final int BOT = 1;
    static final int QUEUED = 2;
    static final int AGENT = 3;
    static final int ENDED = 4;

    /**
     * What send_msg may do after the customer's last message: 5 messages within 48 hours, the row of the table the
     * component's window book keeps too.
     */
    static final int WINDOW_MESSAGES = Interaction.MESSAGE.messages();
    static final Duration WINDOW = Interaction.MESSAGE.within();

    /**
     * service_state/trans's table: from each state, the states it may go to (WeCom's 变更会话状态: an unhandled
     * session to the bot, the queue, an agent or ended; the bot's to the queue, an agent or ended; a queued one to an
     * agent or ended; an agent's to another agent or ended; an ended one nowhere: the customer's next message
     * starts a new one).
     */
    private static final Map<Integer, Set<Integer>> TRANSITIONS = Map.of(
            UNHANDLED, Set.of(BOT, QUEUED, AGENT, ENDED),
            BOT, Set.of(QUEUED, AGENT, ENDED),
            QUEUED, Set.of(AGENT, ENDED),
            AGENT, Set.of(AGENT, ENDED),
            ENDED, Set.of());

    record Key(String openKfid, String externalUserid) {
    }

    /** One session as it stands; {@code sent} counts send_msg messages since the customer last wrote. */
    record Session(int state, String servicer, Instant lastCustomerMessage, int sent) {

        Instant windowClosesAt() {
            return lastCustomerMessage == null ? null : lastCustomerMessage.plus(WINDOW);
        }

        int placesLeft(Instant now) {
            return lastCustomerMessage == null || !now.isBefore(windowClosesAt()) ? 0
                    : Math.max(0, WINDOW_MESSAGES - sent);
        }
    }

    private final Clock clock;
    private final Map<Key, Session> sessions = new ConcurrentHashMap<>();
    private volatile boolean enforceWindow = true;

    KfSessions(Clock clock) {
        this.clock = clock;
    }

    void enforceWindow(boolean on) {
        enforceWindow = on;
    }

    /** The customer wrote: a new session (unhandled) unless one is going, and a fresh window. */
    void customerWrote(Key key) {
        Instant now = clock.instant();
        sessions.compute(key, (k, s) -> s == null || s.state() == ENDED ? new Session(UNHANDLED, null, now, 0)
                : new Session(s.state(), s.servicer(), now, 0));
    }

    /** The customer entered the session (a link, a QR code): a session, but no window until they write. */
    void customerEntered(Key key) {
        sessions.compute(key, (k, s) -> s == null || s.state() == ENDED
                ? new Session(UNHANDLED, null, s == null ? null : s.lastCustomerMessage(), s == null ? 0 : s.sent())
                : s);
    }

    Optional<Session> session(Key key) {
        return Optional.ofNullable(sessions.get(key));
    }

    /** As an admin or agent would change it, without WeCom's transition rules: for tests. */
    void set(Key key, int state, String servicer) {
        checkState(state);
        sessions.compute(key, (k, s) -> new Session(state, servicer, s == null ? null : s.lastCustomerMessage(),
                s == null ? 0 : s.sent()));
    }

    /** service_state/trans: 95016 for a change WeCom's table does not allow (and for a customer without session). */
    void trans(Key key, int state, String servicer) {
        if (state < UNHANDLED || state > ENDED) {
            throw new ApiException(WeComErrors.INVALID_PARAMETER, "invalid service_state");
        }
        if (state == AGENT && (servicer == null || servicer.isEmpty())) {
            throw new ApiException(WeComErrors.INVALID_PARAMETER, "servicer_userid missing");
        }
        sessions.compute(key, (k, s) -> {
            if (s == null || !TRANSITIONS.get(s.state()).contains(state)) {
                throw new ApiException(WeComErrors.STATE_CHANGE_NOT_ALLOWED);
            }
            return new Session(state, state == AGENT ? servicer : null, s.lastCustomerMessage(), s.sent());
        });
    }

    /**
     * send_msg is about to deliver: 95018 unless the session is unhandled or the bot's, 95001 outside the window (a
     * customer who never wrote, 48 hours gone, 5 messages sent); else the place is taken.
     */
    void take(Key key) {
        Instant now = clock.instant();
        sessions.compute(key, (k, s) -> {
            if (s == null) {
                throw new ApiException(WeComErrors.SEND_COUNT_LIMIT);
            }
            if (s.state() != UNHANDLED && s.state() != BOT) {
                throw new ApiException(WeComErrors.SESSION_STATE_INVALID);
            }
            if (enforceWindow && s.placesLeft(now) == 0) {
                throw new ApiException(WeComErrors.SEND_COUNT_LIMIT);
            }
            return new Session(s.state(), s.servicer(), s.lastCustomerMessage(), s.sent() + 1);
        });
    }

    void reset() {
        sessions.clear();
        enforceWindow = true;
    }

    static void checkState(int state) {
        if (state < UNHANDLED || state > ENDED) {
            throw new IllegalArgumentException("a session state is 0 (unhandled), 1 (bot), 2 (queued), 3 (agent) or "
                    + "4 (ended), not " + state);
        }
    }
}
