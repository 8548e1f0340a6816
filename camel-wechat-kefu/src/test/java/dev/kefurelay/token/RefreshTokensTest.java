package dev.kefurelay.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import dev.kefurelay.message.InvalidMessageException;
import dev.kefurelay.store.KefuStore;
import dev.kefurelay.store.LocalStore;
import dev.kefurelay.store.StoreListener;
import dev.kefurelay.store.StoreSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RefreshTokensTest {

    @TempDir
    Path dir;

    @Test
    void aWithdrawalSurvivesARestartAndANewAuthorizationLiftsIt() {
        java.time.Instant at = java.time.Instant.parse("2026-12-02T05:00:00Z");
        RefreshTokens first = new RefreshTokens(open(dir), Map.of("wxa", "seed-1", "wxb", "seed-2"));
        first.withdraw("wxa", at);
        RefreshTokens restarted = new RefreshTokens(open(dir), Map.of("wxa", "seed-1", "wxb", "seed-2"));
        assertEquals(Optional.of(at), restarted.withdrawnAt("wxa"));
        assertEquals(Optional.empty(), restarted.withdrawnAt("wxb"));
        restarted.update("wxa", "refresh-of-new-authorization");
        assertEquals(Optional.empty(), restarted.withdrawnAt("wxa"));
        assertEquals(Optional.empty(), new RefreshTokens(open(dir), Map.of()).withdrawnAt("wxa"));
    }

    @Test
    void aSeedIsImportedOnceThenTheRotatedValueWins() {
        RefreshTokens first = new RefreshTokens(open(dir), Map.of("wxa", "seed-1"));
        assertEquals(Optional.of("seed-1"), first.current("wxa"));
        assertTrue(first.rotated("wxa", "seed-1", "rotated-2"));
        // a restart with the same seed still in the properties
        RefreshTokens again = new RefreshTokens(open(dir), Map.of("wxa", "seed-1"));
        assertEquals(Optional.of("rotated-2"), again.current("wxa"));
    }

    @Test
    void aChangedSeedIsANewAuthorizationAndWins() {
        RefreshTokens first = new RefreshTokens(open(dir), Map.of("wxa", "seed-1"));
        first.rotated("wxa", "seed-1", "rotated-2");
        RefreshTokens after = new RefreshTokens(open(dir), Map.of("wxa", "seed-of-new-authorization"));
        assertEquals(Optional.of("seed-of-new-authorization"), after.current("wxa"));
    }

    @Test
    void aRotationDoesNotOverwriteAnUpdateThatCameMeanwhile() {
        RefreshTokens tokens = new RefreshTokens(open(dir), Map.of("wxa", "seed-1"));
        tokens.update("wxa", "from-queue");
        assertFalse(tokens.rotated("wxa", "seed-1", "rotated-2"));
        assertEquals(Optional.of("from-queue"), tokens.current("wxa"));
    }

    @Test
    void anAppidThatIsNoFileNameIsRefused() {
        RefreshTokens tokens = new RefreshTokens(open(dir), Map.of());
        assertThrows(InvalidMessageException.class, () -> tokens.current("../etc/passwd"));
        assertEquals(Optional.empty(), tokens.current("wxunknown"));
    }

    private static KefuStore open(Path dir) {
        return LocalStore.open(dir, new StoreSettings(java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(1),
                10, java.time.Clock.systemUTC(), StoreListener.NONE));
    }
}
