package dev.kefurelay.store;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.time.Instant;

import dev.kefurelay.MutableClock;
import dev.kefurelay.store.IdClaim.Verdict;
import org.junit.jupiter.api.Test;

class LocalIdsTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-05T03:00:00Z"));
    private final LocalIds ids = new LocalIds(1000, Duration.ofSeconds(30), clock, null);

    /** A claim decided at once (no copy of its id in flight). */
    private static IdClaim now(CompletableFuture<IdClaim> claim) {
        assertTrue(claim.isDone(), "decided at once");
        return claim.join();
    }

    /** The copy is chained on the one in flight: still not decided after a while. */
    private static void stillWaiting(CompletableFuture<IdClaim> copy) {
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).until(() -> !copy.isDone());
    }

    @Test
    void aDeliveredIdIsADuplicateOfItsOwnAccountOnly() {
        IdClaim first = now(ids.claim("wxA", "order-1"));
        assertEquals(Verdict.SEND, first.verdict());
        first.delivered();
        assertEquals(Verdict.DUPLICATE, now(ids.claim("wxA", "order-1")).verdict());
        assertEquals(Verdict.SEND, now(ids.claim("wxB", "order-1")).verdict());
    }

    @Test
    void aMessageWithoutIdIsAlwaysSentAndHoldsNothing() {
        IdClaim a = now(ids.claim("wxA", null));
        IdClaim b = now(ids.claim("wxA", null));
        assertEquals(Verdict.SEND, a.verdict());
        assertEquals(Verdict.SEND, b.verdict());
    }

    @Test
    void aCopyGoesOnWhenTheCopyInFlightEndsAndIsADuplicateWhenThatOneIsDelivered() throws Exception {
        IdClaim first = now(ids.claim("wxA", "x"));
        // returned at once, undecided: the caller's thread is not held while the first copy is sent
        CompletableFuture<IdClaim> second = ids.claim("wxA", "x");
        stillWaiting(second);
        first.delivered();
        assertEquals(Verdict.DUPLICATE, second.get(5, TimeUnit.SECONDS).verdict());
    }

    @Test
    void aCopyWaitingForOneThatFailedIsSentAndTheNextWaitsForIt() throws Exception {
        IdClaim first = now(ids.claim("wxA", "x"));
        CompletableFuture<IdClaim> second = ids.claim("wxA", "x");
        stillWaiting(second);
        first.failed();
        IdClaim got = second.get(5, TimeUnit.SECONDS);
        assertEquals(Verdict.SEND, got.verdict());

        // the second now holds the claim: a third copy waits for it in turn
        CompletableFuture<IdClaim> third = ids.claim("wxA", "x");
        stillWaiting(third);
        got.delivered();
        assertEquals(Verdict.DUPLICATE, third.get(5, TimeUnit.SECONDS).verdict());
    }

    @Test
    void twoCopiesWaitingForAFailedOneAreSentOneAfterTheOther() throws Exception {
        IdClaim first = now(ids.claim("wxA", "x"));
        CompletableFuture<IdClaim> second = ids.claim("wxA", "x");
        CompletableFuture<IdClaim> third = ids.claim("wxA", "x");
        first.failed();
        // one of them holds the claim now; the other waits for it
        await().atMost(Duration.ofSeconds(5)).until(() -> second.isDone() || third.isDone());
        CompletableFuture<IdClaim> holder = second.isDone() ? second : third;
        CompletableFuture<IdClaim> other = holder == second ? third : second;
        assertEquals(Verdict.SEND, holder.join().verdict());
        stillWaiting(other);
        holder.join().delivered();
        assertEquals(Verdict.DUPLICATE, other.get(5, TimeUnit.SECONDS).verdict());
    }

    @Test
    void endingAClaimTwiceLeavesTheNextHoldersClaimAlone() throws Exception {
        IdClaim first = now(ids.claim("wxA", "x"));
        first.failed();
        IdClaim second = now(ids.claim("wxA", "x"));
        assertEquals(Verdict.SEND, second.verdict());
        first.failed(); // a late second end of the first claim
        CompletableFuture<IdClaim> third = ids.claim("wxA", "x");
        stillWaiting(third);
        second.delivered();
        assertEquals(Verdict.DUPLICATE, third.get(5, TimeUnit.SECONDS).verdict());
    }

    @Test
    void theWaitIsBounded() throws Exception {
        LocalIds quick = new LocalIds(1000, Duration.ofMillis(300), clock, null);
        IdClaim first = now(quick.claim("wxA", "x"));
        long start = System.nanoTime();
        IdClaim second = quick.claim("wxA", "x").get(10, TimeUnit.SECONDS);
        assertEquals(Verdict.GAVE_UP, second.verdict());
        assertTrue(System.nanoTime() - start >= Duration.ofMillis(300).toNanos());
        second.failed(); // its failed outcome ends nothing of the first
        assertEquals(Verdict.GAVE_UP, quick.claim("wxA", "x").get(10, TimeUnit.SECONDS).verdict());
        first.delivered();
        assertEquals(Verdict.DUPLICATE, now(quick.claim("wxA", "x")).verdict());
    }

    @Test
    void idsAreForgottenAfterTheWindow() {
        now(ids.claim("wxA", "x")).delivered();
        clock.advance(KefuStore.ID_WINDOW.plusSeconds(1));
        assertEquals(Verdict.SEND, now(ids.claim("wxA", "x")).verdict());
    }
}
