package dev.kefurelay.send;

import java.time.Duration;

import org.apache.camel.Exchange;

/** Backoff for retryable failures: {@code delay}, doubling up to {@code maxDelay}, {@code maxRetries} times. */
public record RetryPolicy(int maxRetries, Duration delay, Duration maxDelay) {

    /** Retry only what cannot have been delivered and may pass, and only while the budget lasts. */
    public boolean shouldRetry(Exchange exchange) {
        // Camel has already counted the redelivery it is asking about
        int next = exchange.getMessage().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class);
        return exchange.getException() instanceof RetryableSendException && next <= maxRetries;
    }
}
