package dev.kefurelay.store;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the store's database can be reached, kept up to date in the background, so that nobody who asks (readiness,
 * the relay's inputs) ever waits on a database that does not answer. Every {@code interval} a check runs on a thread
 * of its own; one that has not answered after {@code timeout} counts as a failure at once, while it is still stuck.
 * A call that found the database unreachable marks it down at once and asks for a check now; only a check that
 * began after the latest such failure can mark it up again. Transitions are logged once each: a WARN when it goes,
 * an INFO when it is back.
 *
 * <p>Work that needs the database can wait for it ({@link #whenUp}) instead of failing; {@link #stopWaiting} ends
 * such waits (the application stops), after which nothing waits any more.
 */
final class StoreProbe implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StoreProbe.class);
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    /** One check of the database; throws (any exception) when it cannot be used. */
    @FunctionalInterface
    interface Check {
        void run() throws Exception;
    }

    private final String what;
    private final Check check;
    private final long timeoutNanos;
    private final Duration timeout;
    private final ScheduledExecutorService timer;
    /** Runs the checks and the work that waited for the database (never the timer's one thread). */
    private final ExecutorService workers;

    private boolean up = true;
    private String problem;
    private Instant downSince;
    /** Counts the failures marked: a check's success counts only if none was marked after it began. */
    private long failures;
    private boolean running;
    private long runningSince;
    private long failuresAtStart;
    private boolean timedOut;
    private boolean waiting = true;
    /** Completed when the database is back: what waiting work chains on. */
    private CompletableFuture<Void> back = new CompletableFuture<>();

    StoreProbe(String what, Check check, Duration interval, Duration timeout) {
        this.what = what;
        this.check = check;
        this.timeout = timeout;
        this.timeoutNanos = timeout.toNanos();
        int n = INSTANCES.incrementAndGet();
        this.timer = Executors.newSingleThreadScheduledExecutor(daemon("kefu-store-probe-" + n));
        this.workers = Executors.newCachedThreadPool(daemon("kefu-store-check-" + n));
        timer.scheduleWithFixedDelay(this::tick, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** As last found; never waits. */
    synchronized StoreState state() {
        return up ? StoreState.UP : StoreState.down(problem);
    }

    /** A call found the database unreachable: down now, and a check at once to find when it is back. */
    void failed(String why) {
        synchronized (this) {
            failures++;
            down(why);
        }
        try {
            timer.execute(this::tick);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed: nobody waits any more
        }
    }

    /**
     * Completes once the database can be reached (at once if it can now), on a worker thread, where the waiting
     * work may call the database itself; fails with a {@link StoreUnavailableException} if waiting was stopped.
     */
    synchronized CompletableFuture<Void> whenUp() {
        if (!waiting) {
            return CompletableFuture.failedFuture(stopped());
        }
        if (up) {
            return CompletableFuture.runAsync(() -> { }, workers);
        }
        return back.thenApplyAsync(v -> v, workers);
    }

    /** Nothing waits for the database any more: waiting work fails now, later work fails at once. */
    void stopWaiting() {
        CompletableFuture<Void> ended;
        synchronized (this) {
            if (!waiting) {
                return;
            }
            waiting = false;
            ended = back;
        }
        ended.completeExceptionally(stopped());
    }

    private StoreUnavailableException stopped() {
        return new StoreUnavailableException(what + " is unreachable and the application is stopping"
                + (problem == null ? "" : " (" + problem + ")"), null);
    }

    private void tick() {
        synchronized (this) {
            if (running) {
                if (!timedOut && System.nanoTime() - runningSince > timeoutNanos) {
                    timedOut = true;
                    down("no answer within " + timeout.toMillis() + " ms");
                }
                return;
            }
            running = true;
            timedOut = false;
            runningSince = System.nanoTime();
            failuresAtStart = failures;
        }
        try {
            workers.execute(this::runCheck);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            synchronized (this) {
                running = false;
            }
        }
    }

    private void runCheck() {
        String failure = null;
        try {
            check.run();
        } catch (Exception e) {
            failure = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
        CompletableFuture<Void> ended = null;
        synchronized (this) {
            running = false;
            if (failure != null) {
                down(failure);
            } else if (failuresAtStart == failures && !up) {
                LOG.info("{} is reachable again (unreachable since {})", what, downSince);
                up = true;
                problem = null;
                ended = back;
                back = new CompletableFuture<>();
            }
        }
        if (ended != null) {
            ended.complete(null);
        }
    }

    /** Under the lock. */
    private void down(String why) {
        if (up) {
            downSince = Instant.now();
            LOG.warn("{} is unreachable: {}", what, why);
        }
        up = false;
        problem = "unreachable since " + downSince + ": " + why;
    }

    @Override
    public void close() {
        stopWaiting();
        timer.shutdownNow();
        workers.shutdownNow();
    }

    private static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
