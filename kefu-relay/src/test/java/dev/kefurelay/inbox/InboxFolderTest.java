package dev.kefurelay.inbox;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import dev.kefurelay.KefuRelay;
import dev.kefurelay.LogCapture;
import dev.kefurelay.Samples;
import dev.kefurelay.config.ConfigException;
import dev.kefurelay.sandbox.WeChatSandbox;
import dev.kefurelay.testkit.Http;
import dev.kefurelay.testkit.TestRelays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The inbox folder itself: one the relay cannot create stops the start, naming the key and the path; one that cannot
 * be read after the start (here replaced by a regular file: tests run as root, who reads a chmod-000 folder all the
 * same, while a file where the folder was fails every listing) turns readiness DOWN naming the inbox, is logged once,
 * and comes back by itself.
 */
class InboxFolderTest {

    @TempDir
    Path dir;

    @Test
    void anInboxThatCannotBeCreatedStopsTheStartNamingTheKeyAndThePath() throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "not a folder");
        Path inbox = file.resolve("inbox");
        try (WeChatSandbox sandbox = WeChatSandbox.start(0).account(TestRelays.APPID, TestRelays.SECRET)) {
            ConfigException e = assertThrows(ConfigException.class, () -> KefuRelay.start(TestRelays.properties(dir,
                    sandbox, Map.of("kefu.inbox.dir", inbox.toString()))));
            assertTrue(e.getMessage().startsWith("kefu.inbox.dir=" + inbox + ": cannot create"), e.getMessage());
            System.out.println("start error: " + e.getMessage());
        }
    }

    @Test
    void anInboxThatCannotBeReadIsDownInReadinessLoggedOnceAndComesBackByItself() throws Exception {
        try (WeChatSandbox sandbox = WeChatSandbox.start(0).account(TestRelays.APPID, TestRelays.SECRET);
                LogCapture log = LogCapture.open();
                KefuRelay relay = KefuRelay.start(TestRelays.properties(dir, sandbox, Map.of()))) {
            Path inbox = dir.resolve("inbox");
            String ready = relay.httpUrl() + KefuRelay.HEALTH_PATH + "/ready";
            await().atMost(Duration.ofSeconds(20)).until(() -> Http.get(ready).status() == 200);

            Path away = Files.move(inbox, dir.resolve("inbox-away"));
            Files.writeString(inbox, "a file where the inbox was");
            await().atMost(Duration.ofSeconds(20)).until(() -> Http.get(ready).status() == 503);
            Http.Reply down = Http.get(ready);
            assertTrue(down.body().contains("inbox") && down.body().contains("not a folder"), down.body());
            System.out.println("readiness: " + down.body());
            // many polls later, still one line
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10))
                    .until(() -> Http.get(ready).status() == 503);
            assertEquals(1, log.lines().stream().filter(l -> l.contains("inbox unreadable")).count(), log.text());

            Files.delete(inbox);
            Files.move(away, inbox);
            await().atMost(Duration.ofSeconds(20)).until(() -> Http.get(ready).status() == 200);
            assertEquals(1, log.lines().stream().filter(l -> l.contains("inbox readable again")).count(), log.text());
            int before = sandbox.deliveredCount();
            Files.writeString(inbox.resolve("after.json"), Samples.text("after the inbox came back"));
            await().atMost(Duration.ofSeconds(20)).until(() -> sandbox.deliveredCount() == before + 1);
        }
    }
}
