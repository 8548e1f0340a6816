package dev.kefurelay.component;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Where a route goes on: on the pool's thread that hands it over, on the pool from any other thread. */
class ComponentPoolTest {

    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        threads.shutdownNow();
    }

    @Test
    void aContinuationFromOneOfThePoolsThreadsRunsRightThere() throws Exception {
        ComponentPool pool = new ComponentPool(threads);
        CompletableFuture<Thread> ranOn = new CompletableFuture<>();
        CompletableFuture<Thread> handedOverBy = new CompletableFuture<>();
        pool.execute(() -> {
            handedOverBy.complete(Thread.currentThread());
            pool.continuation().execute(() -> ranOn.complete(Thread.currentThread()));
            // held until the continuation ran: handed to the pool, it could not run on this thread
            ranOn.join();
        });
        assertSame(handedOverBy.get(10, TimeUnit.SECONDS), ranOn.get(10, TimeUnit.SECONDS));
    }

    @Test
    void aContinuationFromAnyOtherThreadGoesToThePool() throws Exception {
        ComponentPool pool = new ComponentPool(threads);
        CompletableFuture<Thread> ranOn = new CompletableFuture<>();
        pool.continuation().execute(() -> ranOn.complete(Thread.currentThread()));
        assertNotSame(Thread.currentThread(), ranOn.get(10, TimeUnit.SECONDS));

        // a thread of another component's pool (a token fetcher's, say) is not this pool's
        ComponentPool other = new ComponentPool(threads);
        CompletableFuture<Thread> crossedOn = new CompletableFuture<>();
        CompletableFuture<Thread> otherThread = new CompletableFuture<>();
        other.execute(() -> {
            otherThread.complete(Thread.currentThread());
            pool.continuation().execute(() -> crossedOn.complete(Thread.currentThread()));
            // held until the continuation ran, so that it cannot run on this thread after this task either
            crossedOn.join();
        });
        assertNotSame(otherThread.get(10, TimeUnit.SECONDS), crossedOn.get(10, TimeUnit.SECONDS));
    }

    @Test
    void aTaskRunOnTheCallersThreadLeavesItNotThePools() {
        // an executor that runs its first task where it is handed over (as a caller-runs rejection policy does) and
        // keeps the rest
        AtomicBoolean first = new AtomicBoolean(true);
        List<Runnable> kept = new ArrayList<>();
        ComponentPool pool = new ComponentPool(task -> {
            if (first.getAndSet(false)) {
                task.run();
            } else {
                kept.add(task);
            }
        });
        pool.execute(() -> { });
        AtomicBoolean ranInline = new AtomicBoolean();
        pool.continuation().execute(() -> ranInline.set(true));
        // the caller's thread was the pool's for that task only: the continuation is handed to the pool
        assertFalse(ranInline.get());
        assertEquals(1, kept.size());
    }
}
