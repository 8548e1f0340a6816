package dev.kefurelay.wechat;

/**
 * A failure that did not deliver the message and may pass (system busy, minute quota, HTTP 5xx/429, no
 * connection): retried with backoff, and dead-lettered as {@code retries-exhausted} once the budget is spent.
 */
public class RetryableSendException extends SendFailedException {

    public RetryableSendException(Integer errcode, String errmsg) {
        super(Reason.RETRIES_EXHAUSTED, errcode, errmsg);
    }
}
