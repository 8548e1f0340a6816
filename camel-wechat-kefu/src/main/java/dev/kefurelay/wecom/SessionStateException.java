package dev.kefurelay.wecom;

import dev.kefurelay.wechat.Channel;
import dev.kefurelay.wechat.Reason;
import dev.kefurelay.wechat.SendFailedException;

/**
 * WeCom refused a message with 95018: the customer's session is not in a state kf/send_msg may send in (only 0
 * unhandled and 1 the bot may; in 2 queued, 3 a human agent and 4 ended it may not). Not retried: the session must
 * be handed back (service_state/trans) or the customer must write again. The state read from
 * {@code kf/service_state/get} after the refusal is in {@link #state()} and in the text.
 */
public final class SessionStateException extends SendFailedException {

    public static final int ERRCODE = 95018;

    private final int state;

    /** @param state the state service_state/get answered, or -1 when it could not be read */
    public SessionStateException(String errmsg, int state) {
        this(errmsg, state, null);
    }

    private SessionStateException(String errmsg, int state, Channel channel) {
        super(Reason.SESSION_STATE, ERRCODE, errmsg, channel);
        this.state = state;
    }

    /** On its channel, still with its state (the outcome's {@code KefuSessionState}). */
    @Override
    public SendFailedException on(Channel on) {
        return channel() != null || on == null ? this : new SessionStateException(errmsg(), state, on);
    }

    /** The session's state (0 to 4) as service_state/get answered it after the refusal; -1 when unknown. */
    public int state() {
        return state;
    }

    /** What a state means, for texts: {@code 3 (served by a human agent)}. */
    public static String describe(int state) {
        return switch (state) {
            case 0 -> "0 (unhandled)";
            case 1 -> "1 (served by the bot)";
            case 2 -> "2 (queued for an agent)";
            case 3 -> "3 (served by a human agent)";
            case 4 -> "4 (ended)";
            default -> "unknown (" + state + ")";
        };
    }
}
