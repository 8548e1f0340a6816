package dev.kefurelay.send;

import java.time.Duration;

/** Backoff for retryable failures: {@code delay}, doubling up to {@code maxDelay}, {@code maxRetries} times. */
public record RetryPolicy(int maxRetries, Duration delay, Duration maxDelay) {
}
