package dev.kefurelay.wechat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    private final RetryPolicy policy = new RetryPolicy(5, Duration.ofSeconds(1), Duration.ofSeconds(5));

    @Test
    void theWaitDoublesUpToTheMaximum() {
        assertEquals(Duration.ofSeconds(1), policy.delayBefore(1));
        assertEquals(Duration.ofSeconds(2), policy.delayBefore(2));
        assertEquals(Duration.ofSeconds(4), policy.delayBefore(3));
        assertEquals(Duration.ofSeconds(5), policy.delayBefore(4));
        assertEquals(Duration.ofSeconds(5), policy.delayBefore(30));
    }

    @Test
    void onlyRetryableFailuresAreRetriedAndOnlyWhileTheBudgetLasts() {
        RetryableSendException busy = new RetryableSendException(-1, "system error");
        assertTrue(policy.shouldRetry(busy, 0));
        assertTrue(policy.shouldRetry(busy, 4));
        assertFalse(policy.shouldRetry(busy, 5));
        assertFalse(policy.shouldRetry(new SendFailedException(Reason.UNKNOWN_OUTCOME, null, "lost"), 0));
        assertFalse(policy.shouldRetry(new SendFailedException(Reason.WECHAT_ERROR, 43004, "require subscribe"), 0));
    }

    @Test
    void theLongestDeliveryCoversEveryCallOfEveryAttemptAndTheFullBackoff() {
        // defaults: 5 retries after 1 s doubling (1+2+4+8+16 s), each of the 6 attempts up to 4 calls of 35 s
        RetryPolicy defaults = new RetryPolicy(5, Duration.ofSeconds(1), Duration.ofSeconds(30));
        assertEquals(Duration.ofSeconds(6 * 4 * 35 + 31), defaults.longestDelivery(Duration.ofSeconds(35)));
        // the backoff stops doubling at max-delay
        RetryPolicy capped = new RetryPolicy(4, Duration.ofSeconds(10), Duration.ofSeconds(15));
        assertEquals(Duration.ofSeconds(5 * 4 + 10 + 15 + 15 + 15), capped.longestDelivery(Duration.ofSeconds(1)));
    }
}
