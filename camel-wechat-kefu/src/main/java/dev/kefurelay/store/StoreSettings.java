package dev.kefurelay.store;

import java.time.Clock;
import java.time.Duration;

/**
 * What both backends need to know.
 *
 * @param lockTimeout the longest a caller waits for an account's token lock
 * @param idWait      the longest a copy of a message id waits for the copy in flight (its delivery's longest time)
 * @param maxIds      the local store's bound on remembered ids (the oldest are evicted beyond it)
 */
public record StoreSettings(Duration lockTimeout, Duration idWait, long maxIds, Clock clock, StoreListener listener) {
}
