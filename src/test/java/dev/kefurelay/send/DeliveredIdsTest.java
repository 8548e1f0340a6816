package dev.kefurelay.send;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.kefurelay.send.DeliveredIds.Claim;
import dev.kefurelay.send.DeliveredIds.Verdict;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DeliveredIdsTest {

    private final AtomicLong nanos = new AtomicLong();
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final DeliveredIds ids = new DeliveredIds(1000, Duration.ofSeconds(30), nanos::get);

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    private CompletableFuture<Claim> claimElsewhere(DeliveredIds in, String appid, String id) {
        return CompletableFuture.supplyAsync(() -> in.claim(appid, id), pool);
    }

    /** The copy is blocked in claim(): still not decided after a while. */
    private static void stillWaiting(CompletableFuture<Claim> copy) {
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).until(() -> !copy.isDone());
    }

    @Test
    void aDeliveredIdIsADuplicateOfItsOwnAccountOnly() {
        Claim first = ids.claim("wxA", "order-1");
        assertEquals(Verdict.SEND, first.verdict());
        ids.delivered(first);
        assertEquals(Verdict.DUPLICATE, ids.claim("wxA", "order-1").verdict());
        assertEquals(Verdict.SEND, ids.claim("wxB", "order-1").verdict());
    }

    @Test
    void aMessageWithoutIdIsAlwaysSentAndHoldsNothing() {
        Claim a = ids.claim("wxA", null);
        Claim b = ids.claim("wxA", null);
        assertEquals(Verdict.SEND, a.verdict());
        assertEquals(Verdict.SEND, b.verdict());
        assertNull(a.turn());
    }

    @Test
    void aCopyWaitsForTheCopyInFlightAndIsADuplicateWhenThatOneIsDelivered() throws Exception {
        Claim first = ids.claim("wxA", "x");
        CompletableFuture<Claim> second = claimElsewhere(ids, "wxA", "x");
        stillWaiting(second);
        ids.delivered(first);
        assertEquals(Verdict.DUPLICATE, second.get(5, TimeUnit.SECONDS).verdict());
    }

    @Test
    void aCopyWaitingForOneThatFailedIsSentAndTheNextWaitsForIt() throws Exception {
        Claim first = ids.claim("wxA", "x");
        CompletableFuture<Claim> second = claimElsewhere(ids, "wxA", "x");
        stillWaiting(second);
        ids.failed(first);
        Claim got = second.get(5, TimeUnit.SECONDS);
        assertEquals(Verdict.SEND, got.verdict());
        assertNotNull(got.turn());

        // the second now holds the claim: a third copy waits for it in turn
        CompletableFuture<Claim> third = claimElsewhere(ids, "wxA", "x");
        stillWaiting(third);
        ids.delivered(got);
        assertEquals(Verdict.DUPLICATE, third.get(5, TimeUnit.SECONDS).verdict());
    }

    @Test
    void endingAClaimTwiceLeavesTheNextHoldersClaimAlone() throws Exception {
        Claim first = ids.claim("wxA", "x");
        ids.failed(first);
        Claim second = ids.claim("wxA", "x");
        assertEquals(Verdict.SEND, second.verdict());
        ids.failed(first); // a late second end of the first claim
        CompletableFuture<Claim> third = claimElsewhere(ids, "wxA", "x");
        stillWaiting(third);
        ids.delivered(second);
        assertEquals(Verdict.DUPLICATE, third.get(5, TimeUnit.SECONDS).verdict());
    }

    @Test
    void theWaitIsBounded() throws Exception {
        DeliveredIds quick = new DeliveredIds(1000, Duration.ofMillis(300), nanos::get);
        Claim first = quick.claim("wxA", "x");
        long start = System.nanoTime();
        Claim second = claimElsewhere(quick, "wxA", "x").get(10, TimeUnit.SECONDS);
        assertEquals(Verdict.GAVE_UP, second.verdict());
        assertTrue(System.nanoTime() - start >= Duration.ofMillis(300).toNanos());
        assertNull(second.turn(), "a copy that gave up holds nothing");
        quick.failed(second); // its failed outcome ends nothing of the first
        CompletableFuture<Claim> third = claimElsewhere(quick, "wxA", "x");
        await().atMost(Duration.ofSeconds(5)).until(third::isDone);
        assertEquals(Verdict.GAVE_UP, third.get().verdict());
        quick.delivered(first);
        assertEquals(Verdict.DUPLICATE, quick.claim("wxA", "x").verdict());
    }

    @Test
    void idsAreForgottenAfterTheWindow() {
        ids.delivered(ids.claim("wxA", "x"));
        nanos.addAndGet(DeliveredIds.WINDOW.plusSeconds(1).toNanos());
        assertEquals(Verdict.SEND, ids.claim("wxA", "x").verdict());
    }

    @Test
    void theWaitCoversTheLongestDeliveryTheRetriesAllow() {
        // defaults: 5 retries after 1 s doubling (1+2+4+8+16 s), each of the 6 attempts up to 4 calls of 35 s
        RetryPolicy retry = new RetryPolicy(5, Duration.ofSeconds(1), Duration.ofSeconds(30));
        assertEquals(Duration.ofSeconds(6 * 4 * 35 + 31), retry.longestDelivery(Duration.ofSeconds(35)));
        // the backoff stops doubling at max-delay
        RetryPolicy capped = new RetryPolicy(4, Duration.ofSeconds(10), Duration.ofSeconds(15));
        assertEquals(Duration.ofSeconds(5 * 4 + 10 + 15 + 15 + 15), capped.longestDelivery(Duration.ofSeconds(1)));
    }
}
