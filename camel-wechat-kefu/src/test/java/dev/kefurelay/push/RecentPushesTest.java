package dev.kefurelay.push;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** WeChat's tries of one push: handled once, a try in hand asked to come back, forgotten after KEPT. */
class RecentPushesTest {

    private final AtomicLong nanos = new AtomicLong();
    private final RecentPushes recent = new RecentPushes(nanos::get);

    @Test
    void aPushIsClaimedOnceAndItsTriesFindItInHandThenDone() {
        assertEquals(RecentPushes.Claim.CLAIMED, recent.claim("wx1:msg:1"));
        assertEquals(RecentPushes.Claim.IN_HAND, recent.claim("wx1:msg:1"));
        assertEquals(RecentPushes.Claim.CLAIMED, recent.claim("wx1:msg:2"), "another push is another key");
        recent.done("wx1:msg:1");
        assertEquals(RecentPushes.Claim.DONE, recent.claim("wx1:msg:1"));
    }

    @Test
    void aReleasedPushIsClaimedByItsNextTry() {
        assertEquals(RecentPushes.Claim.CLAIMED, recent.claim("wx1:msg:3"));
        recent.release("wx1:msg:3");
        assertEquals(RecentPushes.Claim.CLAIMED, recent.claim("wx1:msg:3"));
    }

    @Test
    void aDonePushIsForgottenAfterTheTriesAreOver() {
        recent.claim("wx1:msg:4");
        recent.done("wx1:msg:4");
        nanos.addAndGet(RecentPushes.KEPT.plus(Duration.ofSeconds(1)).toNanos());
        assertEquals(RecentPushes.Claim.CLAIMED, recent.claim("wx1:msg:4"));
    }
}
