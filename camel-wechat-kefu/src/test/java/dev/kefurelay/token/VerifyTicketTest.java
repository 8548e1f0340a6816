package dev.kefurelay.token;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.kefurelay.MutableClock;
import dev.kefurelay.store.JdbcStore;
import dev.kefurelay.store.KefuStore;
import dev.kefurelay.store.StoreListener;
import dev.kefurelay.store.StoreSettings;
import dev.kefurelay.store.TestPostgres;
import org.junit.jupiter.api.Test;

class VerifyTicketTest {

    /** Two relays on one PostgreSQL store handle ten pushes in a shuffled order at once: the newest ticket stays. */
    @Test
    void theNewestTicketByItsTimeWinsWhateverOrderRelaysHandlePushesIn() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-05T03:00:00Z"));
        String db = TestPostgres.newDatabase();
        StoreSettings settings = new StoreSettings(Duration.ofSeconds(5), Duration.ofSeconds(5), 10, clock,
                StoreListener.NONE);
        KefuStore store1 = JdbcStore.open(TestPostgres.dataSource(db), settings);
        KefuStore store2 = JdbcStore.open(TestPostgres.dataSource(db), settings);
        VerifyTicket relay1 = new VerifyTicket(store1, null, clock);
        VerifyTicket relay2 = new VerifyTicket(store2, null, clock);
        Instant first = Instant.parse("2026-01-05T02:00:00Z");
        List<Integer> order = new ArrayList<>(List.of(3, 9, 0, 7, 1, 8, 2, 6, 4, 5));
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i : order) {
                VerifyTicket relay = i % 2 == 0 ? relay1 : relay2;
                done.add(threads.submit(() -> relay.arrived("ticket-" + i, "a push",
                        first.plus(Duration.ofMinutes(10L * i)))));
            }
            for (Future<?> f : done) {
                f.get(10, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
        }
        assertEquals("ticket-9", relay1.latest().orElseThrow().value());
        assertEquals(first.plus(Duration.ofMinutes(90)), relay2.latest().orElseThrow().receivedAt());
        // an older one arriving late changes nothing
        relay2.arrived("ticket-late", "a push", first);
        assertEquals("ticket-9", relay1.latest().orElseThrow().value());
    }
}
