package dev.kefurelay.wechat;

import java.time.Duration;

/** Backoff for retryable failures: {@code delay}, doubling up to {@code maxDelay}, {@code maxRetries} times. */
public record RetryPolicy(int maxRetries, Duration delay, Duration maxDelay) {

    /**
     * WeChat calls one attempt makes at most: a token request and the post, and after a rejected token a new token
     * and the post once more.
     */
    static final int CALLS_PER_ATTEMPT = 4;

    /**
     * The longest one message's delivery can take when every call takes {@code perCall} (the connect timeout per
     * host plus the read timeout) and every retry waits its full backoff.
     */
    public Duration longestDelivery(Duration perCall) {
        Duration backoff = Duration.ZERO;
        for (int retry = 1; retry <= maxRetries; retry++) {
            backoff = backoff.plus(delayBefore(retry));
        }
        return perCall.multipliedBy((long) CALLS_PER_ATTEMPT * (maxRetries + 1)).plus(backoff);
    }

    /**
     * Retry only what cannot have been delivered and may pass, and only while the budget lasts.
     *
     * @param retriesDone how many times the message was already tried again
     */
    public boolean shouldRetry(Throwable failure, int retriesDone) {
        return failure instanceof RetryableSendException && retriesDone < maxRetries;
    }

    /** The wait before retry number {@code retry} (1 for the first): delay × 2^(retry-1), at most maxDelay. */
    public Duration delayBefore(int retry) {
        Duration d = delay;
        for (int i = 1; i < retry && d.compareTo(maxDelay) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(maxDelay) > 0 ? maxDelay : d;
    }
}
