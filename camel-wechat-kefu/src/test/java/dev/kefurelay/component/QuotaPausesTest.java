package dev.kefurelay.component;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kefurelay.MutableClock;
import dev.kefurelay.store.LocalStore;
import dev.kefurelay.store.StoreListener;
import dev.kefurelay.store.StoreSettings;
import dev.kefurelay.wechat.Reason;
import dev.kefurelay.wechat.SendFailedException;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuotaPausesTest {

    @TempDir
    Path dir;

    @Test
    void midnightIsChinasMidnight() {
        // 2026-11-28 15:30 UTC is 23:30 in China: the pause ends 30 minutes later
        assertEquals(Instant.parse("2026-11-28T16:00:00Z"),
                QuotaPauses.nextChinaMidnight(Instant.parse("2026-11-28T15:30:00Z")));
        // 2026-11-28 16:30 UTC is already the 29th in China
        assertEquals(Instant.parse("2026-11-29T16:00:00Z"),
                QuotaPauses.nextChinaMidnight(Instant.parse("2026-11-28T16:30:00Z")));
    }

    @Test
    void aPausedAccountFailsUntilMidnightAndOthersGoOn() {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-28T10:00:00Z"));
        QuotaPauses pauses = new QuotaPauses(clock, LocalStore.open(dir, new StoreSettings(Duration.ofSeconds(1),
                Duration.ofSeconds(1), 10, clock, StoreListener.NONE)));
        pauses.pause("wxa");
        SendFailedException e = assertThrows(SendFailedException.class, () -> pauses.check("wxa"));
        assertEquals(Reason.QUOTA_PAUSED, e.reason());
        assertEquals(45009, e.errcode());
        assertDoesNotThrow(() -> pauses.check("wxb"));
        clock.set(Instant.parse("2026-11-28T15:59:59Z"));
        assertThrows(SendFailedException.class, () -> pauses.check("wxa"));
        clock.set(Instant.parse("2026-11-28T16:00:00Z"));
        assertDoesNotThrow(() -> pauses.check("wxa"));
    }

    /** Two relays on one PostgreSQL store: one meets 45009, the other pauses too, within the recheck interval. */
    @Test
    void aPauseOfOneRelayPausesTheOthersOnASharedStore() {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-28T10:00:00Z"));
        String db = dev.kefurelay.store.TestPostgres.newDatabase();
        StoreSettings settings = new StoreSettings(Duration.ofSeconds(1), Duration.ofSeconds(1), 10, clock,
                StoreListener.NONE);
        QuotaPauses relay1 = new QuotaPauses(clock, dev.kefurelay.store.JdbcStore.open(
                dev.kefurelay.store.TestPostgres.dataSource(db), settings));
        QuotaPauses relay2 = new QuotaPauses(clock, dev.kefurelay.store.JdbcStore.open(
                dev.kefurelay.store.TestPostgres.dataSource(db), settings));
        assertDoesNotThrow(() -> relay2.check("wxa"));
        relay1.pause("wxa");
        clock.advance(QuotaPauses.RECHECK);
        SendFailedException e = assertThrows(SendFailedException.class, () -> relay2.check("wxa"));
        assertEquals(Reason.QUOTA_PAUSED, e.reason());
        clock.set(Instant.parse("2026-11-28T16:00:00Z"));
        assertDoesNotThrow(() -> relay2.check("wxa"));
    }
}
