package dev.kefurelay.receive;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.kefurelay.wecom.KfPuller;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the pulls of WeCom kf accounts in this relay, off the callback's thread (the callback is answered at once):
 * one task per kf account at a time, run again while new callbacks came during it. A pull that failed (WeCom, the
 * broker, the store) is tried again with a growing pause, 1 s doubling up to 30 s, as long as its callback stays
 * open; one that found another relay pulling is looked at again once that relay's lease could have run out (a relay
 * that died frees its kf accounts that way). At start, the kf accounts whose callbacks no pull answered yet
 * (a relay stopped or killed mid-pull) are pulled.
 */
final class WeComPulls implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WeComPulls.class);
    static final Duration FIRST_PAUSE = Duration.ofSeconds(1);
    static final Duration LONGEST_PAUSE = Duration.ofSeconds(30);

    private final KfPuller puller;
    private final KfPuller.Sink sink;
    private final Duration lease;
    private final ExecutorService pool;
    private final ScheduledExecutorService timer;
    /** Per kf account: callbacks seen (a count), and whether a task of it is queued or running. */
    private record Account(AtomicInteger callbacks, AtomicBoolean running) {
    }

    private final Map<String, Account> accounts = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();

    WeComPulls(KfPuller puller, KfPuller.Sink sink, Duration lease) {
        this.puller = puller;
        this.sink = sink;
        this.lease = lease;
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newCachedThreadPool(r -> daemon(r, "kefu-wecom-pull-" + n.incrementAndGet()));
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "kefu-wecom-pull-timer"));
    }

    /** The pulls that a relay before this one left open. */
    void resume() {
        for (String openKfid : puller.open()) {
            LOG.info("resuming the pull of kf account {}: a callback was not answered by a pull yet", openKfid);
            trigger(openKfid);
        }
    }

    /** A callback for this kf account was stored: pull, now or, when a pull runs, once more after it. */
    void trigger(String openKfid) {
        Account account = accounts.computeIfAbsent(openKfid, k -> new Account(new AtomicInteger(),
                new AtomicBoolean()));
        account.callbacks().incrementAndGet();
        if (account.running().compareAndSet(false, true)) {
            try {
                pool.execute(() -> run(openKfid, account));
            } catch (RejectedExecutionException e) {
                // stopping: the callback stays open in the store, for the next start
                account.running().set(false);
            }
        }
    }

    private void run(String openKfid, Account account) {
        int seen = -1;
        Duration later = null;
        try {
            while (true) {
                seen = account.callbacks().get();
                KfPuller.Pulled pulled = puller.pull(openKfid, sink);
                failures.remove(openKfid);
                if (pulled.entries() > 0) {
                    LOG.info("pulled {} message(s) and event(s) of kf account {}", pulled.entries(), openKfid);
                }
                if (pulled.busy()) {
                    later = lease;
                    break;
                }
                // done, unless a callback came during the pull: then once more
                if (account.callbacks().get() == seen) {
                    break;
                }
            }
        } catch (Exception e) {
            int n = failures.computeIfAbsent(openKfid, k -> new AtomicInteger()).incrementAndGet();
            later = pause(n);
            LOG.warn("pulling kf account {} failed ({}); trying again in {} s", openKfid, e.getMessage(),
                    later.toSeconds());
        } finally {
            account.running().set(false);
        }
        if (later != null) {
            Duration wait = later;
            try {
                timer.schedule(() -> trigger(openKfid), wait.toMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                // stopping: the callback stays open in the store, for the next start
            }
        } else if (account.callbacks().get() != seen && account.running().compareAndSet(false, true)) {
            // a callback between the last check and the end found this task still running: it is taken here
            try {
                pool.execute(() -> run(openKfid, account));
            } catch (RejectedExecutionException e) {
                account.running().set(false);
            }
        }
    }

    private static Duration pause(int failures) {
        Duration d = FIRST_PAUSE;
        for (int i = 1; i < failures && d.compareTo(LONGEST_PAUSE) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : d;
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    @Override
    public void close() {
        timer.shutdownNow();
        pool.shutdownNow();
        try {
            pool.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
