package dev.kefurelay.inbox;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

class InboxSendersTest {

    @Test
    void aFullQueueMakesTheSubmitterSendItselfAndNothingIsDropped() throws Exception {
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.start();
            ExecutorService senders = InboxRoutes.senders(camel, this, 2);
            ThreadPoolExecutor pool = (ThreadPoolExecutor) senders;
            AtomicInteger ran = new AtomicInteger();
            AtomicInteger maxQueued = new AtomicInteger();
            Set<Thread> runners = ConcurrentHashMap.newKeySet();
            CountDownLatch release = new CountDownLatch(1);
            Thread submitter = Thread.currentThread();
            int tasks = 40;
            for (int i = 0; i < tasks; i++) {
                senders.execute(() -> {
                    runners.add(Thread.currentThread());
                    if (Thread.currentThread() != submitter) {
                        await().atMost(Duration.ofSeconds(10)).until(() -> release.getCount() == 0);
                    }
                    ran.incrementAndGet();
                });
                maxQueued.accumulateAndGet(pool.getQueue().size(), Math::max);
                if (i == 10) {
                    release.countDown();
                }
            }
            senders.shutdown();
            assertTrue(senders.awaitTermination(10, TimeUnit.SECONDS));
            assertEquals(tasks, ran.get(), "every task ran once");
            assertTrue(maxQueued.get() <= 2, "queued at most the pool's size, saw " + maxQueued.get());
            assertTrue(runners.contains(submitter), "the submitter ran tasks itself while the queue was full");
        }
    }
}
