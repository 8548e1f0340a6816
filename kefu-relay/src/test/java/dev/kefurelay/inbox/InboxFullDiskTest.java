package dev.kefurelay.inbox;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kefurelay.KefuRelay;
import dev.kefurelay.Samples;
import dev.kefurelay.sandbox.WeChatSandbox;
import dev.kefurelay.testkit.Http;
import dev.kefurelay.testkit.TestRelays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The inbox on a small, full filesystem (a real tmpfs, mounted for the test; it needs root, as CI has): outcomes that
 * cannot be written close the inbox, readiness says so, no record is left with half a line, the file stays where it
 * is; when space returns the file goes on and ends with every message accounted for once.
 */
class InboxFullDiskTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int LINES = 1500;

    @TempDir
    Path dir;
    Path mount;

    @BeforeEach
    void mountTmpfs() throws Exception {
        mount = Files.createDirectories(dir.resolve("small-disk"));
        int rc = run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", mount.toString());
        Assumptions.assumeTrue(rc == 0, "cannot mount a tmpfs here (needs root): full-disk test skipped");
    }

    @AfterEach
    void unmount() throws Exception {
        if (mount != null) {
            run("umount", "-l", mount.toString());
        }
    }

    @Test
    void aFullDiskClosesTheInboxWithoutHalfRecordsAndTheFileGoesOnWhenSpaceReturns() throws Exception {
        Path inbox = Files.createDirectories(mount.resolve("inbox"));
        // half the lines fail before WeChat (no media_id), so the journal grows by a failure record for each
        StringBuilder file = new StringBuilder();
        for (int i = 0; i < LINES; i++) {
            file.append(i % 2 == 0 ? Samples.text("full-" + i)
                    : "{\"touser\":\"o1\",\"msgtype\":\"image\",\"image\":{\"media_id\":\"\"},\"id\":\"bad-" + i + "\"}")
                    .append('\n');
        }
        try (WeChatSandbox sandbox = WeChatSandbox.start(0).account(TestRelays.APPID, TestRelays.SECRET);
                KefuRelay relay = KefuRelay.start(TestRelays.properties(dir, sandbox,
                        Map.of("kefu.inbox.dir", inbox.toString(), "kefu.inbox.max-size", "1MB")))) {
            String ready = relay.httpUrl() + KefuRelay.HEALTH_PATH + "/ready";
            await().atMost(Duration.ofSeconds(20)).until(() -> Http.get(ready).status() == 200);
            Path tmp = inbox.resolve("orders.jsonl.tmp");
            Files.writeString(tmp, file, StandardCharsets.UTF_8);
            // leave ~100 KB: the journal (~250 KB of failure records) cannot be written whole
            fill(mount.resolve("filler"), Files.getFileStore(mount).getUsableSpace() - 100 * 1024);
            Files.move(tmp, inbox.resolve("orders.jsonl"));

            await().atMost(Duration.ofSeconds(30)).until(() -> Http.get(ready).status() == 503);
            Http.Reply down = Http.get(ready);
            assertTrue(down.body().contains("inbox closed"), down.body());
            assertTrue(Files.exists(inbox.resolve("orders.jsonl")), "the file stays in the inbox");
            assertFalse(Files.exists(inbox.resolve(".error/orders.jsonl.failed.jsonl")), "no record of a part");
            assertWholeLines(inbox.resolve(".progress/orders.jsonl.journal"));
            int deliveredWhileFull = sandbox.deliveredCount();
            assertTrue(deliveredWhileFull < LINES / 2, "stopped mid-file: " + deliveredWhileFull + " delivered");

            Files.delete(mount.resolve("filler"));
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(inbox.resolve(".done/orders.jsonl")));
            await().atMost(Duration.ofSeconds(10)).until(() -> Http.get(ready).status() == 200);
            List<String> failed = Files.readAllLines(inbox.resolve(".error/orders.jsonl.failed.jsonl"));
            assertEquals(LINES / 2, failed.size(), "one record per failed line");
            assertEquals(LINES / 2, new HashSet<>(failed).size(), "none recorded twice");
            for (String line : failed) {
                JsonNode record = JSON.readTree(line);
                assertEquals("invalid-input", record.path("reason").asText(), line);
                assertTrue(record.path("message").path("id").asText().startsWith("bad-"), line);
            }
            List<String> delivered = sandbox.delivered().stream()
                    .map(d -> d.body().path("text").path("content").asText()).toList();
            assertEquals(LINES / 2, new HashSet<>(delivered).size(), "every good line delivered");
            assertEquals(LINES / 2, delivered.size(), "none twice: the outcomes kept while the disk was full count");
            assertFalse(Files.exists(inbox.resolve(".progress/orders.jsonl.journal")), "journal gone once filed");
        }
    }

    /** Every line ends with a newline and is JSON: a reader never meets half a record. */
    private static void assertWholeLines(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        assertTrue(bytes.length > 0 && bytes[bytes.length - 1] == '\n', "the journal ends with a whole line");
        for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
            JSON.readTree(line);
        }
    }

    private static void fill(Path file, long bytes) throws IOException {
        try (var out = Files.newOutputStream(file)) {
            byte[] chunk = new byte[64 * 1024];
            for (long left = bytes; left > 0; left -= chunk.length) {
                out.write(chunk, 0, (int) Math.min(chunk.length, left));
            }
        }
    }

    private static int run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }
}
