package dev.kefurelay.component;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.kefurelay.component.DeliveredIds.Claim;
import dev.kefurelay.component.DeliveredIds.Verdict;
import org.junit.jupiter.api.Test;

class DeliveredIdsTest {

    private final AtomicLong nanos = new AtomicLong();
    private final DeliveredIds ids = new DeliveredIds(1000, Duration.ofSeconds(30), nanos::get);

    /** A claim decided at once (no copy of its id in flight). */
    private static Claim now(CompletableFuture<Claim> claim) {
        assertTrue(claim.isDone(), "decided at once");
        return claim.join();
    }

    /** The copy is chained on the one in flight: still not decided after a while. */
    private static void stillWaiting(CompletableFuture<Claim> copy) {
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).until(() -> !copy.isDone());
    }

    @Test
    void aDeliveredIdIsADuplicateOfItsOwnAccountOnly() {
        Claim first = now(ids.claim("wxA", "order-1"));
        assertEquals(Verdict.SEND, first.verdict());
        ids.delivered(first);
        assertEquals(Verdict.DUPLICATE, now(ids.claim("wxA", "order-1")).verdict());
        assertEquals(Verdict.SEND, now(ids.claim("wxB", "order-1")).verdict());
    }

    @Test
    void aMessageWithoutIdIsAlwaysSentAndHoldsNothing() {
        Claim a = now(ids.claim("wxA", null));
        Claim b = now(ids.claim("wxA", null));
        assertEquals(Verdict.SEND, a.verdict());
        assertEquals(Verdict.SEND, b.verdict());
        assertNull(a.turn());
    }

    @Test
    void aCopyGoesOnWhenTheCopyInFlightEndsAndIsADuplicateWhenThatOneIsDelivered() throws Exception {
        Claim first = now(ids.claim("wxA", "x"));
        // returned at once, undecided: the caller's thread is not held while the first copy is sent
        CompletableFuture<Claim> second = ids.claim("wxA", "x");
        stillWaiting(second);
        ids.delivered(first);
        assertEquals(Verdict.DUPLICATE, second.get(5, TimeUnit.SECONDS).verdict());
    }

    @Test
    void aCopyWaitingForOneThatFailedIsSentAndTheNextWaitsForIt() throws Exception {
        Claim first = now(ids.claim("wxA", "x"));
        CompletableFuture<Claim> second = ids.claim("wxA", "x");
        stillWaiting(second);
        ids.failed(first);
        Claim got = second.get(5, TimeUnit.SECONDS);
        assertEquals(Verdict.SEND, got.verdict());
        assertNotNull(got.turn());

        // the second now holds the claim: a third copy waits for it in turn
        CompletableFuture<Claim> third = ids.claim("wxA", "x");
        stillWaiting(third);
        ids.delivered(got);
        assertEquals(Verdict.DUPLICATE, third.get(5, TimeUnit.SECONDS).verdict());
    }

    @Test
    void twoCopiesWaitingForAFailedOneAreSentOneAfterTheOther() throws Exception {
        Claim first = now(ids.claim("wxA", "x"));
        CompletableFuture<Claim> second = ids.claim("wxA", "x");
        CompletableFuture<Claim> third = ids.claim("wxA", "x");
        ids.failed(first);
        // one of them holds the claim now; the other waits for it
        await().atMost(Duration.ofSeconds(5)).until(() -> second.isDone() || third.isDone());
        CompletableFuture<Claim> holder = second.isDone() ? second : third;
        CompletableFuture<Claim> other = holder == second ? third : second;
        assertEquals(Verdict.SEND, holder.join().verdict());
        stillWaiting(other);
        ids.delivered(holder.join());
        assertEquals(Verdict.DUPLICATE, other.get(5, TimeUnit.SECONDS).verdict());
    }

    @Test
    void endingAClaimTwiceLeavesTheNextHoldersClaimAlone() throws Exception {
        Claim first = now(ids.claim("wxA", "x"));
        ids.failed(first);
        Claim second = now(ids.claim("wxA", "x"));
        assertEquals(Verdict.SEND, second.verdict());
        ids.failed(first); // a late second end of the first claim
        CompletableFuture<Claim> third = ids.claim("wxA", "x");
        stillWaiting(third);
        ids.delivered(second);
        assertEquals(Verdict.DUPLICATE, third.get(5, TimeUnit.SECONDS).verdict());
    }

    @Test
    void theWaitIsBounded() throws Exception {
        DeliveredIds quick = new DeliveredIds(1000, Duration.ofMillis(300), nanos::get);
        Claim first = now(quick.claim("wxA", "x"));
        long start = System.nanoTime();
        Claim second = quick.claim("wxA", "x").get(10, TimeUnit.SECONDS);
        assertEquals(Verdict.GAVE_UP, second.verdict());
        assertTrue(System.nanoTime() - start >= Duration.ofMillis(300).toNanos());
        assertNull(second.turn(), "a copy that gave up holds nothing");
        quick.failed(second); // its failed outcome ends nothing of the first
        assertEquals(Verdict.GAVE_UP, quick.claim("wxA", "x").get(10, TimeUnit.SECONDS).verdict());
        assertFalse(first.turn().isDone(), "a waiter's deadline does not end the first copy's claim");
        quick.delivered(first);
        assertEquals(Verdict.DUPLICATE, now(quick.claim("wxA", "x")).verdict());
    }

    @Test
    void idsAreForgottenAfterTheWindow() {
        ids.delivered(now(ids.claim("wxA", "x")));
        nanos.addAndGet(DeliveredIds.WINDOW.plusSeconds(1).toNanos());
        assertEquals(Verdict.SEND, now(ids.claim("wxA", "x")).verdict());
    }
}
