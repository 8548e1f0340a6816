package dev.kefurelay.send;

import static dev.kefurelay.send.ComponentPlatform.AUTHORIZERS;
import static dev.kefurelay.send.ComponentPlatform.COMPONENT;
import static dev.kefurelay.send.ComponentPlatform.from;
import static dev.kefurelay.send.ComponentPlatform.seed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kefurelay.Samples;
import dev.kefurelay.config.SandboxDefaults;
import dev.kefurelay.store.TestPostgres;
import dev.kefurelay.testkit.ComponentRelay;
import dev.kefurelay.testkit.TestRelays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * kefu.token.mode=component end to end, its tokens and the store of its refresh tokens: sandbox over real HTTP,
 * embedded broker, store in a temp dir (and in PostgreSQL). Authorizers and tickets that change while the relay runs:
 * {@link ComponentUpdatesTest}.
 */
class ComponentModeTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    final ComponentRelay wechat = ComponentPlatform.relay();

    @Test
    void threeAuthorizersTimesOneHundredConcurrentMessagesFetchEachTokenOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(48);
        List<Callable<String>> tasks = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            String body = from(AUTHORIZERS.get(i % 3), "burst " + i);
            tasks.add(() -> wechat.relay().send(body));
        }
        try {
            for (Future<String> f : pool.invokeAll(tasks)) {
                assertTrue(f.get().contains("\"errcode\":0"), f.get());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(300, wechat.sandbox().deliveredCount());
        assertEquals(1, wechat.sandbox().tokenFetches(COMPONENT), "component token fetches");
        for (String appid : AUTHORIZERS) {
            assertEquals(1, wechat.sandbox().tokenFetches(appid), "authorizer token fetches of " + appid);
            assertEquals(100, wechat.sandbox().delivered().stream().filter(d -> d.appid().equals(appid)).count());
        }
    }

    @Test
    void aRotatedRefreshTokenIsOnDiskBeforeTheNextCallAndSurvivesARestart() throws Exception {
        String a = AUTHORIZERS.get(0);
        String key = "authorizer-" + a + ".refresh-token";
        assertEquals(0, wechat.send(from(a, "one")).path("errcode").asInt());
        String rotated = wechat.sandbox().currentRefreshToken(a);
        assertNotEquals(seed(a), rotated);
        assertEquals(Optional.of(rotated), wechat.stored(key));
        assertEquals("rw-------",
                PosixFilePermissions.toString(Files.getPosixFilePermissions(wechat.storeDir().resolve(key))));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(wechat.storeDir())));

        // the next token call presents the stored one (the sandbox takes nothing else)
        wechat.relay().tokens().invalidate(a);
        assertEquals(0, wechat.send(from(a, "two")).path("errcode").asInt());
        String again = wechat.sandbox().currentRefreshToken(a);
        assertEquals(Optional.of(again), wechat.stored(key));

        // a restart with the same (now stale) seed in the properties: the stored value wins
        wechat.start(wechat.properties());
        assertEquals(0, wechat.send(from(a, "after restart")).path("errcode").asInt());
        assertEquals(Optional.of(wechat.sandbox().currentRefreshToken(a)), wechat.stored(key));
        assertEquals(3, wechat.sandbox().tokenFetches(a));
    }

    @Test
    void aStoreWriteKilledHalfWayLosesNothingAcrossARestart() throws Exception {
        String a = AUTHORIZERS.get(0);
        String key = "authorizer-" + a + ".refresh-token";
        assertEquals(0, wechat.send(from(a, "one")).path("errcode").asInt());
        String rotated = wechat.sandbox().currentRefreshToken(a);
        wechat.stopRelay();
        // kill -9 in the middle of writing a newer value: a temp file cut short beside the good file
        Path temp = wechat.storeDir().resolve("." + key + ".crashed.tmp");
        Files.writeString(temp, "kefu-store 1 deadbeef 40\nhalf-writ");
        wechat.start(wechat.properties());
        assertFalse(Files.exists(temp));
        assertEquals(0, wechat.send(from(a, "after crash")).path("errcode").asInt());
        assertNotEquals(rotated, wechat.sandbox().currentRefreshToken(a));
        assertEquals(Optional.of(wechat.sandbox().currentRefreshToken(a)), wechat.stored(key));
    }

    @Test
    void theAccessTokenIsNotUsedWhenItsRefreshTokenCannotBeStored() throws Exception {
        String a = AUTHORIZERS.get(0);
        assertEquals(0, wechat.send(from(a, "one")).path("errcode").asInt());
        wechat.relay().tokens().invalidate(a);
        // a store the relay cannot write (tests run as root, so permissions would not stop it): the file's
        // place is taken by a folder
        Path file = wechat.storeDir().resolve("authorizer-" + a + ".refresh-token");
        Files.delete(file);
        Files.createDirectories(file.resolve("blocker"));
        try {
            JsonNode failed = wechat.send(from(a, "store not writable"));
            assertEquals("retries-exhausted", failed.path("reason").asText(), failed.toString());
            assertTrue(failed.path("errmsg").asText().contains("could not store the rotated refresh token"));
            assertEquals(1, wechat.sandbox().deliveredCount());
        } finally {
            Files.delete(file.resolve("blocker"));
            Files.delete(file);
        }
        // the relay kept the newest refresh token in memory: nothing was lost, the account is still usable
        assertEquals(0, wechat.send(from(a, "store writable again")).path("errcode").asInt());
        assertEquals(Optional.of(wechat.sandbox().currentRefreshToken(a)), wechat.stored("authorizer-" + a
                + ".refresh-token"));
    }

    @Test
    void aMessageWithoutAppidIsInvalidInputInComponentMode() throws Exception {
        JsonNode outcome = wechat.send(Samples.text("no appid"));
        assertEquals("invalid-input", outcome.path("reason").asText());
        assertTrue(outcome.path("errmsg").asText().contains("appid is missing"), outcome.toString());
        assertEquals(0, wechat.sandbox().sendCalls());
    }

    @Test
    void theSandboxRunsComponentModeAcrossRestarts() throws Exception {
        wechat.stopRelay();
        Map<String, String> p = new LinkedHashMap<>(TestRelays.properties(wechat.dir().resolve("demo"),
                wechat.sandbox(), Map.of()));
        p.remove("kefu.appid");
        p.remove("kefu.secret");
        p.remove("kefu.wechat.base-url");
        p.put("kefu.sandbox", "true");
        p.put("kefu.token.mode", "component");
        String demo = from(SandboxDefaults.AUTHORIZER_APPID, "demo");
        wechat.start(p);
        assertEquals(0, JSON.readTree(wechat.relay().send(demo)).path("errcode").asInt());
        wechat.stopRelay();
        // the refresh token rotated in the first run; the new sandbox is told the stored one
        wechat.start(p);
        assertEquals(0, JSON.readTree(wechat.relay().send(demo)).path("errcode").asInt(), wechat.relay().send(demo));
    }

    /**
     * kefu.sandbox=true with kefu.store.url: the sandbox is told the refresh tokens and ticket the PostgreSQL store
     * holds, which are the ones the relay presents. Each run has a local store folder of its own, empty: only the
     * database knows the refresh token that rotated in the first run.
     */
    @Test
    void theSandboxRunsComponentModeOnThePostgreSqlStoreAcrossRestarts() throws Exception {
        wechat.stopRelay();
        String db = TestPostgres.newDatabase();
        String demo = from(SandboxDefaults.AUTHORIZER_APPID, "demo");
        for (String run : List.of("pg-run-1", "pg-run-2")) {
            Map<String, String> p = new LinkedHashMap<>(TestRelays.properties(wechat.dir().resolve(run),
                    wechat.sandbox(), Map.of()));
            p.remove("kefu.appid");
            p.remove("kefu.secret");
            p.remove("kefu.wechat.base-url");
            p.put("kefu.sandbox", "true");
            p.put("kefu.token.mode", "component");
            p.put("kefu.store.url", TestPostgres.url(db));
            p.put("kefu.store.user", "postgres");
            wechat.start(p);
            String reply = wechat.relay().send(demo);
            assertEquals(0, JSON.readTree(reply).path("errcode").asInt(), run + ": " + reply);
            wechat.stopRelay();
        }
    }
}
