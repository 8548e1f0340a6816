package dev.kefurelay.wecom;

import java.util.Set;

import dev.kefurelay.wechat.ErrorPolicy;
import dev.kefurelay.wechat.Reason;
import dev.kefurelay.wechat.RetryableSendException;
import dev.kefurelay.wechat.SendFailedException;
import dev.kefurelay.wechat.WeChatReply;

/**
 * What WeCom's answer to kf/send_msg means for the message, in one place: errcode 0 delivered; a reused msgid
 * delivered before ({@link ReusedMsgid}); 95018 the session's state ({@link SessionStateException}, once the state
 * is read); system busy (-1), the API's frequency limit (45009; WeCom counts per minute and hour, not per day as
 * WeChat's 45009) and its concurrency limit (45033), HTTP 5xx and 429 retried with backoff; 95001 (outside the
 * customer's 48 hours or 5 messages) window-closed at once; anything else (40058 a field WeCom refused, 95000 an
 * open_kfid not the corp's, …) wechat-error at once. A rejected token (40001, 40014, 42001) never gets here: the
 * call renews it first.
 */
final class WeComAnswers {

    enum Verdict { DELIVERED, REUSED, SESSION_STATE, RETRY, GIVE_UP }

    static final Set<Integer> RETRYABLE = Set.of(-1, 45009, 45033);

    /** kf/send_msg outside the customer's window: 48 hours since their last message over, or its 5 messages sent. */
    static final int WINDOW_CLOSED = 95001;

    /** Why a message outside the window is not sent later some other way: said in every window-closed failure. */
    static final String NO_FALLBACK = "WeCom 微信客服 has no fallback channel (no template or subscribe message): send "
            + "it again once the customer writes";

    private final ReusedMsgid reused;

    WeComAnswers(ReusedMsgid reused) {
        this.reused = reused;
    }

    Verdict verdict(WeChatReply reply) {
        if (reply.status() >= 500 || reply.status() == 429) {
            return Verdict.RETRY;
        }
        if (reply.status() != 200) {
            return Verdict.GIVE_UP;
        }
        int errcode = reply.errcode();
        if (errcode == 0) {
            return Verdict.DELIVERED;
        }
        if (errcode == SessionStateException.ERRCODE) {
            return Verdict.SESSION_STATE;
        }
        if (reused.means(reply)) {
            return Verdict.REUSED;
        }
        return RETRYABLE.contains(errcode) ? Verdict.RETRY : Verdict.GIVE_UP;
    }

    /**
     * The answer to a call that delivers no message (media/upload): errcode 0 passed; the busy and limit errcodes,
     * HTTP 5xx and 429 RETRY; anything else GIVE_UP.
     */
    static Verdict call(WeChatReply reply) {
        if (reply.status() >= 500 || reply.status() == 429) {
            return Verdict.RETRY;
        }
        if (reply.status() == 200 && reply.errcode() == 0) {
            return Verdict.DELIVERED;
        }
        return reply.status() == 200 && RETRYABLE.contains(reply.errcode()) ? Verdict.RETRY : Verdict.GIVE_UP;
    }

    /** The failure of an answer that delivered nothing (RETRY or GIVE_UP). */
    static SendFailedException failure(WeChatReply reply, Verdict verdict) {
        if (reply.status() != 200) {
            // ErrorPolicy words an HTTP failure (no WeCom errcode in a proxy's page) as for WeChat
            SendFailedException f = ErrorPolicy.failure(reply);
            return verdict == Verdict.RETRY ? new RetryableSendException(f.errcode(), f.errmsg())
                    : new SendFailedException(Reason.WECHAT_ERROR, f.errcode(), f.errmsg());
        }
        if (verdict == Verdict.RETRY) {
            return new RetryableSendException(reply.errcode(), reply.errmsg());
        }
        return reply.errcode() == WINDOW_CLOSED ? new SendFailedException(Reason.WINDOW_CLOSED, WINDOW_CLOSED,
                reply.errmsg() + "; the customer's window is closed (48 hours since their last message, or its 5 "
                        + "messages sent); " + NO_FALLBACK)
                : new SendFailedException(Reason.WECHAT_ERROR, reply.errcode(), reply.errmsg());
    }

    /**
     * "msgid used" for a message sent again with new media ids after WeCom refused a remembered one (40007) under the
     * same msgid. Either an earlier send of the id delivered, or WeCom kept the msgid of the refused call (its
     * documentation does not say): which cannot be told, so the outcome is unknown. Not a lost answer: not retried.
     */
    static SendFailedException reusedAfterRefusedMedia(WeChatReply reply) {
        return new Undecided(reply.errcode(), reply.errmsg() + "; WeCom refused a remembered media_id (40007), then "
                + "the message sent again with new ids as a msgid used: an earlier send of this id may have delivered "
                + "it, or WeCom kept the msgid of the refused call");
    }

    /** An unknown outcome that WeCom answered, unlike a lost answer: trying again would tell no more. */
    static final class Undecided extends SendFailedException {
        Undecided(Integer errcode, String errmsg) {
            super(Reason.UNKNOWN_OUTCOME, errcode, errmsg);
        }
    }

    /** 95018's failure, with the session's state as service_state/get answered it (-1 unknown, and why). */
    static SessionStateException sessionState(WeChatReply refusal, int state, String whyUnknown) {
        String what = state >= 0 ? "the customer's session is in state " + SessionStateException.describe(state)
                : "the customer's session state could not be read (" + whyUnknown + ")";
        return new SessionStateException(refusal.errmsg() + "; " + what + ": kf/send_msg takes messages only in "
                + "state 0 (unhandled) or 1 (the bot); hand the session back (service_state/trans) or wait for the "
                + "customer's next message", state);
    }
}
