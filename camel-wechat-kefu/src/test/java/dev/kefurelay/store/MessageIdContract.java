package dev.kefurelay.store;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.kefurelay.store.IdClaim.Verdict;
import org.junit.jupiter.api.Test;

/**
 * The message ids, as every store backend must keep them: part of {@link KefuStoreContract}, which gives the stores.
 * A delivered id is a duplicate for its account, also for another relay or after a restart; a copy in flight
 * elsewhere is waited for (up to the id wait); ids and the channel msgids joined to them are kept for the id window.
 */
interface MessageIdContract extends StoreContractPart {

    @Test
    default void aDeliveredIdIsADuplicateForItsAccountAlsoAfterARestart() {
        KefuStore s = store();
        IdClaim first = s.claimId("wxA", "order-1").join();
        assertEquals(Verdict.SEND, first.verdict());
        first.delivered();
        assertEquals(Verdict.DUPLICATE, s.claimId("wxA", "order-1").join().verdict());
        IdClaim otherAccount = s.claimId("wxB", "order-1").join();
        assertEquals(Verdict.SEND, otherAccount.verdict());
        otherAccount.failed();
        assertEquals(Verdict.SEND, s.claimId("wxA", null).join().verdict(), "no id, nothing to check");
        KefuStore later = another(s);
        assertEquals(Verdict.DUPLICATE, later.claimId("wxA", "order-1").join().verdict());
        IdClaim again = later.claimId("wxB", "order-1").join();
        assertEquals(Verdict.SEND, again.verdict(), "a failed copy recorded nothing");
        again.failed();
    }

    @Test
    default void aCopyInFlightElsewhereIsWaitedForDuplicateIfDeliveredSentIfFailed() throws Exception {
        KefuStore s = store();
        KefuStore t = sharedAtOnce() ? store() : s;
        IdClaim first = s.claimId("wxA", "x").join();
        assertEquals(Verdict.SEND, first.verdict());
        CompletableFuture<IdClaim> second = CompletableFuture.supplyAsync(() -> t.claimId("wxA", "x"), threads())
                .thenCompose(f -> f);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(3))
                .until(() -> !second.isDone());
        first.failed();
        IdClaim secondClaim = second.get(10, TimeUnit.SECONDS);
        assertEquals(Verdict.SEND, secondClaim.verdict(), "the first copy failed: this one is sent");
        CompletableFuture<IdClaim> third = CompletableFuture.supplyAsync(() -> s.claimId("wxA", "x"), threads())
                .thenCompose(f -> f);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(3))
                .until(() -> !third.isDone());
        secondClaim.delivered();
        assertEquals(Verdict.DUPLICATE, third.get(10, TimeUnit.SECONDS).verdict());
    }

    @Test
    default void aCopyGivesUpAfterTheIdWait() throws Exception {
        KefuStore s = store(Duration.ofSeconds(5), Duration.ofMillis(400));
        KefuStore t = sharedAtOnce() ? store(Duration.ofSeconds(5), Duration.ofMillis(400)) : s;
        IdClaim first = s.claimId("wxA", "slow").join();
        IdClaim second = CompletableFuture.supplyAsync(() -> t.claimId("wxA", "slow"), threads()).thenCompose(f -> f)
                .get(10, TimeUnit.SECONDS);
        assertEquals(Verdict.GAVE_UP, second.verdict());
        first.delivered();
        assertEquals(Verdict.DUPLICATE, t.claimId("wxA", "slow").join().verdict());
    }

    @Test
    default void idsOlderThanTheWindowArePurgedAndCountAsNew() {
        KefuStore s = store();
        IdClaim old = s.claimId("wxA", "old").join();
        old.delivered();
        clock().advance(Duration.ofHours(47));
        IdClaim recent = s.claimId("wxA", "recent").join();
        recent.delivered();
        clock().advance(Duration.ofHours(2));
        s.purgeIds(clock().instant().minus(KefuStore.ID_WINDOW));
        KefuStore later = another(s);
        IdClaim again = later.claimId("wxA", "old").join();
        assertEquals(Verdict.SEND, again.verdict(), "49 h ago: outside the window");
        again.failed();
        assertEquals(Verdict.DUPLICATE, later.claimId("wxA", "recent").join().verdict());
    }

    @Test
    default void aChannelMsgidIsJoinedToItsMessageIdAsLongAsDeliveredIdsAreKept() {
        KefuStore s = store();
        s.rememberChannelMsgId("wxA", "200228332", "order-1");
        assertEquals(Optional.of("order-1"), s.messageIdOf("wxA", "200228332"));
        assertEquals(Optional.empty(), s.messageIdOf("wxB", "200228332"), "another account's msgid");
        clock().advance(Duration.ofHours(47));
        s.rememberChannelMsgId("wxA", "200228333", "order-2");
        KefuStore later = reopened(s);
        assertEquals(Optional.of("order-1"), later.messageIdOf("wxA", "200228332"));
        clock().advance(Duration.ofHours(2));
        later.purgeIds(clock().instant().minus(KefuStore.ID_WINDOW));
        assertEquals(Optional.empty(), later.messageIdOf("wxA", "200228332"), "49 h ago: purged with the ids");
        assertEquals(Optional.of("order-2"), reopened(later).messageIdOf("wxA", "200228333"));
    }
}
