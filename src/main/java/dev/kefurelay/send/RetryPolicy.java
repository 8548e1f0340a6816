package dev.kefurelay.send;

import java.time.Duration;

import org.apache.camel.Exchange;

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
        Duration next = delay;
        for (int i = 0; i < maxRetries; i++) {
            backoff = backoff.plus(next.compareTo(maxDelay) < 0 ? next : maxDelay);
            next = next.multipliedBy(2);
        }
        return perCall.multipliedBy((long) CALLS_PER_ATTEMPT * (maxRetries + 1)).plus(backoff);
    }

    /** Retry only what cannot have been delivered and may pass, and only while the budget lasts. */
    public boolean shouldRetry(Exchange exchange) {
        // Camel has already counted the redelivery it is asking about
        int next = exchange.getMessage().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class);
        return exchange.getException() instanceof RetryableSendException && next <= maxRetries;
    }
}
