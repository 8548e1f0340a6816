package dev.kefurelay.wechat;

import java.util.Set;

/**
 * The contract's error table in one place: what a WeChat answer means for the message.
 */
public final class ErrorPolicy {

    /** The token was refused: a new one, and one more try. */
    public static final Set<Integer> TOKEN_REJECTED = Set.of(40001, 40014, 42001);
    /** WeChat is busy (-1) or the minute quota is spent (45011): try again later. */
    public static final Set<Integer> RETRYABLE = Set.of(-1, 45011);
    public static final int DAILY_QUOTA = 45009;
    /**
     * custom/send outside the user's window: 45015 (closed, or the user unfollowed) and 45047 (its messages used
     * up). The message may still go by a fallback channel; without one it fails as {@code window-closed}.
     */
    public static final Set<Integer> WINDOW_CLOSED = Set.of(45015, 45047);

    public enum Verdict { DELIVERED, TOKEN_REJECTED, RETRY, DAILY_QUOTA, GIVE_UP }

    private ErrorPolicy() {
    }

    public static Verdict verdict(WeChatReply reply) {
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
        if (TOKEN_REJECTED.contains(errcode)) {
            return Verdict.TOKEN_REJECTED;
        }
        if (RETRYABLE.contains(errcode)) {
            return Verdict.RETRY;
        }
        return errcode == DAILY_QUOTA ? Verdict.DAILY_QUOTA : Verdict.GIVE_UP;
    }

    /** The failure for an answer that did not deliver; what to do about it is the caller's verdict. */
    public static SendFailedException failure(WeChatReply reply) {
        boolean httpFailure = reply.status() != 200;
        Integer errcode = httpFailure && reply.body().path("errcode").isMissingNode() ? null : reply.errcode();
        String errmsg = httpFailure ? "HTTP " + reply.status() + " from WeChat" : reply.errmsg();
        if (errcode != null && WINDOW_CLOSED.contains(errcode)) {
            return new SendFailedException(Reason.WINDOW_CLOSED, errcode, errmsg);
        }
        return switch (verdict(reply)) {
            case RETRY -> new RetryableSendException(errcode, errmsg);
            case DAILY_QUOTA -> new SendFailedException(Reason.QUOTA_PAUSED, errcode, errmsg);
            default -> new SendFailedException(Reason.WECHAT_ERROR, errcode, errmsg);
        };
    }

    /**
     * Checks a token endpoint's answer. A refused token request fails the message with WeChat's own errcode
     * and errmsg (40125 wrong secret, 40164 IP not whitelisted), named as a token failure.
     */
    public static void requireTokenReply(WeChatReply reply, String what) {
        Verdict verdict = verdict(reply);
        if (verdict == Verdict.RETRY) {
            throw failure(reply);
        }
        if (verdict != Verdict.DELIVERED || reply.status() != 200) {
            SendFailedException f = failure(reply);
            throw new SendFailedException(Reason.WECHAT_ERROR, f.errcode(), what + " refused: " + f.errmsg());
        }
        if (reply.text("access_token") == null && reply.text("component_access_token") == null
                && reply.text("authorizer_access_token") == null) {
            throw new SendFailedException(Reason.WECHAT_ERROR, null, what + ": WeChat's answer had no token");
        }
    }
}
