package dev.kefurelay.component;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;

/**
 * Ids of messages delivered in the last 48 hours, per sending account, so a caller's resend is not delivered
 * twice. Camel's CaffeineIdempotentRepository keeps ids forever and without a bound; this one forgets after the
 * window and holds at most {@code maxIds}. It lives in memory: a restart forgets it.
 *
 * <p>An id is claimed before its message is sent, not recorded after: two copies taken at the same time (a
 * producer's resend, a redelivery) would otherwise both pass the check and both be delivered. A copy that finds
 * its id claimed goes on once that copy's outcome is known: delivered makes it a duplicate, failed lets it claim
 * the id and be sent itself. It is chained on that outcome, not waited for, so no thread is held meanwhile (the
 * claim's future completes on the thread that ended the other copy). The wait is bounded by {@code maxWait}, the
 * longest a delivery can take with the component's retries and timeouts, so a waiting copy never gives up on a
 * copy that is still within its rights, and never waits forever on one that can no longer end.
 */
public final class DeliveredIds {

    public static final Duration WINDOW = Duration.ofHours(48);

    /** Ids are the callers', and two accounts' callers may well pick the same one. */
    public record Key(String appid, String id) {
    }

    public enum Verdict {
        /** Send it: the id is claimed (or the message has none); end the claim with delivered or failed. */
        SEND,
        /** Delivered within the window: not sent again. */
        DUPLICATE,
        /** Another copy was still being sent after {@code maxWait}: this one cannot know whether to send. */
        GAVE_UP
    }

    /**
     * What {@link #claim} decided for one copy. {@code turn} is set only while this copy holds the claim; its
     * completion lets the copies chained on it go on.
     */
    public record Claim(Key key, Verdict verdict, CompletableFuture<Void> turn) {
    }

    private final Cache<Key, Boolean> ids;
    private final ConcurrentMap<Key, CompletableFuture<Void>> inFlight = new ConcurrentHashMap<>();
    private final Duration maxWait;

    public DeliveredIds(long maxIds, Duration maxWait, Ticker ticker) {
        this.ids = Caffeine.newBuilder().maximumSize(maxIds).expireAfterWrite(WINDOW).ticker(ticker).build();
        this.maxWait = maxWait;
    }

    public Duration maxWait() {
        return maxWait;
    }

    /**
     * Decides whether this copy is sent. Completed at once unless a copy of the same id is in flight; then it
     * completes when that copy ends, or with {@link Verdict#GAVE_UP} after {@code maxWait}.
     */
    public CompletableFuture<Claim> claim(String appid, String id) {
        Key key = new Key(appid, id);
        if (id == null) {
            return CompletableFuture.completedFuture(new Claim(key, Verdict.SEND, null));
        }
        return claim(key, System.nanoTime() + maxWait.toNanos());
    }

    private CompletableFuture<Claim> claim(Key key, long deadline) {
        if (ids.getIfPresent(key) != null) {
            return decided(key, Verdict.DUPLICATE);
        }
        CompletableFuture<Void> mine = new CompletableFuture<>();
        CompletableFuture<Void> running = inFlight.putIfAbsent(key, mine);
        if (running == null) {
            // the copy before may have been recorded between the look-up above and this claim
            if (ids.getIfPresent(key) != null) {
                end(key, mine);
                return decided(key, Verdict.DUPLICATE);
            }
            return CompletableFuture.completedFuture(new Claim(key, Verdict.SEND, mine));
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            return decided(key, Verdict.GAVE_UP);
        }
        // the timeout on a copy: the running copy's own turn must not be completed by a waiter's deadline
        return running.copy().orTimeout(left, TimeUnit.NANOSECONDS)
                .handle((ended, timedOut) -> timedOut == null)
                .thenCompose(ended -> ended ? claim(key, deadline) : decided(key, Verdict.GAVE_UP));
    }

    /** The claimed copy was delivered: its id is recorded, and the copies waiting for it become duplicates. */
    public void delivered(Claim claim) {
        if (claim != null && claim.turn() != null) {
            ids.put(claim.key(), Boolean.TRUE);
            end(claim.key(), claim.turn());
        }
    }

    /** The claimed copy failed: the next copy waiting for it may be sent. No effect for a copy holding no claim. */
    public void failed(Claim claim) {
        if (claim != null && claim.turn() != null) {
            end(claim.key(), claim.turn());
        }
    }

    private void end(Key key, CompletableFuture<Void> turn) {
        // only the holder's own entry: a claim ended twice must not end the next holder's
        inFlight.remove(key, turn);
        turn.complete(null);
    }

    private static CompletableFuture<Claim> decided(Key key, Verdict verdict) {
        return CompletableFuture.completedFuture(new Claim(key, verdict, null));
    }
}
