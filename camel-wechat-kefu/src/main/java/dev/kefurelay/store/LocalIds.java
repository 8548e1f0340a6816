package dev.kefurelay.store;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local store's delivered ids: in memory for the look-up, and appended to {@code delivered-ids.log} in the
 * store folder as each is delivered, so they survive a restart (the file is rewritten without the expired ones at
 * every start). Camel's CaffeineIdempotentRepository keeps ids forever and without a bound; this one forgets after
 * the window and holds at most {@code maxIds}.
 *
 * <p>An id is claimed before its message is sent, not recorded after: two copies taken at the same time (a
 * producer's resend, a redelivery) would otherwise both pass the check and both be delivered. A copy that finds
 * its id claimed goes on once that copy's outcome is known: delivered makes it a duplicate, failed lets it claim
 * the id and be sent itself. It is chained on that outcome, not waited for, so no thread is held meanwhile (the
 * claim's future completes on the thread that ended the other copy). The wait is bounded by {@code idWait}, the
 * longest a delivery can take with the component's retries and timeouts, so a waiting copy never gives up on a
 * copy that is still within its rights, and never waits forever on one that can no longer end.
 */
final class LocalIds implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalIds.class);
    static final String FILE = "delivered-ids.log";
    private static final String WHAT = "delivered ids";

    /** Ids are the callers', and two accounts' callers may well pick the same one. */
    record Key(String appid, String id) {
    }

    private final Cache<Key, Long> ids;
    private final ConcurrentMap<Key, CompletableFuture<Void>> inFlight = new ConcurrentHashMap<>();
    private final Duration maxWait;
    private final Clock clock;
    private final Path file;
    private final AppendLog log;
    /**
     * Ends the waits of copies whose id is in flight: a thread of its own only while copies wait, ended by
     * {@link #close}. CompletableFuture.orTimeout would start the JDK's timer thread instead, which nothing ends and
     * which held up the exit of an application that had stopped.
     */
    private final ScheduledThreadPoolExecutor timer = newTimer();

    /** @param file the log of delivered ids, or null to keep them in memory only */
    LocalIds(long maxIds, Duration maxWait, Clock clock, Path file) {
        this.clock = clock;
        // upkeep on the caller's thread: the default, the JDK's common pool, leaves threads behind a stop
        this.ids = Caffeine.newBuilder().executor(Runnable::run).maximumSize(maxIds)
                .expireAfter(Expiry.<Key, Long>creating((key, at) -> left(at)))
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                .build();
        this.maxWait = maxWait;
        this.file = file;
        this.log = file == null ? null : load();
    }

    private Duration left(long deliveredAt) {
        long ms = deliveredAt + KefuStore.ID_WINDOW.toMillis() - clock.millis();
        return Duration.ofMillis(Math.max(ms, 0));
    }

    /** Reads the log, keeps the ids within the window, and writes it back without the others. */
    private AppendLog load() {
        long cutoff = clock.millis() - KefuStore.ID_WINDOW.toMillis();
        List<String> kept = new ArrayList<>();
        try {
            for (String line : AppendLog.read(file, WHAT)) {
                String[] parts = line.split(" ");
                if (parts.length != 3) {
                    continue; // not a line this version wrote
                }
                long at = Long.parseLong(parts[0]);
                if (at >= cutoff) {
                    ids.put(new Key(AppendLog.decode(parts[1]), AppendLog.decode(parts[2])), at);
                    kept.add(line);
                }
            }
        } catch (NumberFormatException e) {
            throw new StoreException("cannot read " + file + " (" + WHAT + "): " + e, e);
        }
        LOG.info("store {}: {} ids delivered in the last 48 h", file.getParent(), kept.size());
        return AppendLog.start(file, WHAT, kept);
    }

    CompletableFuture<IdClaim> claim(String appid, String id) {
        Key key = new Key(appid, id);
        if (id == null) {
            return CompletableFuture.completedFuture(IdClaim.of(IdClaim.Verdict.SEND));
        }
        return claim(key, System.nanoTime() + maxWait.toNanos());
    }

    private CompletableFuture<IdClaim> claim(Key key, long deadline) {
        if (ids.getIfPresent(key) != null) {
            return decided(IdClaim.Verdict.DUPLICATE);
        }
        CompletableFuture<Void> mine = new CompletableFuture<>();
        CompletableFuture<Void> running = inFlight.putIfAbsent(key, mine);
        if (running == null) {
            // the copy before may have been recorded between the look-up above and this claim
            if (ids.getIfPresent(key) != null) {
                end(key, mine);
                return decided(IdClaim.Verdict.DUPLICATE);
            }
            return CompletableFuture.completedFuture(new Held(key, mine));
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            return decided(IdClaim.Verdict.GAVE_UP);
        }
        // the timeout on a copy: the running copy's own turn must not be completed by a waiter's deadline
        return within(running.copy(), left)
                .handle((ended, timedOut) -> timedOut == null)
                .thenCompose(ended -> ended ? claim(key, deadline) : decided(IdClaim.Verdict.GAVE_UP));
    }

    /** The claim of one copy; {@code turn}'s completion lets the copies chained on it go on. */
    private final class Held implements IdClaim {
        private final Key key;
        private final CompletableFuture<Void> turn;

        Held(Key key, CompletableFuture<Void> turn) {
            this.key = key;
            this.turn = turn;
        }

        @Override
        public Verdict verdict() {
            return Verdict.SEND;
        }

        @Override
        public void delivered() {
            long at = clock.millis();
            ids.put(key, at);
            try {
                record(key, at);
            } finally {
                end(key, turn);
            }
        }

        @Override
        public void failed() {
            end(key, turn);
        }
    }

    private void record(Key key, long at) {
        if (log != null) {
            log.append(at + " " + AppendLog.encode(key.appid()) + " " + AppendLog.encode(key.id()));
        }
    }

    int purge(Instant before) {
        long cutoff = before.toEpochMilli();
        int[] n = {0};
        ids.asMap().entrySet().removeIf(e -> {
            boolean old = e.getValue() < cutoff;
            n[0] += old ? 1 : 0;
            return old;
        });
        return n[0];
    }

    private void end(Key key, CompletableFuture<Void> turn) {
        // only the holder's own entry: a claim ended twice must not end the next holder's
        inFlight.remove(key, turn);
        turn.complete(null);
    }

    private static ScheduledThreadPoolExecutor newTimer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "wechat-kefu-id-wait");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        timer.setKeepAliveTime(10, TimeUnit.SECONDS);
        timer.allowCoreThreadTimeOut(true);
        return timer;
    }

    /** {@code waiting}, failed with a TimeoutException unless it completes within {@code nanos}. */
    private <T> CompletableFuture<T> within(CompletableFuture<T> waiting, long nanos) {
        try {
            ScheduledFuture<?> limit = timer.schedule(() -> waiting.completeExceptionally(new TimeoutException()),
                    nanos, TimeUnit.NANOSECONDS);
            waiting.whenComplete((done, error) -> limit.cancel(false));
        } catch (RejectedExecutionException e) {
            // closed: nobody waits any longer
            waiting.completeExceptionally(e);
        }
        return waiting;
    }

    private static CompletableFuture<IdClaim> decided(IdClaim.Verdict verdict) {
        return CompletableFuture.completedFuture(IdClaim.of(verdict));
    }

    @Override
    public void close() {
        timer.shutdownNow();
        if (log != null) {
            log.close();
        }
    }
}
