package dev.kefurelay.inbox;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kefurelay.LogCapture;
import dev.kefurelay.Samples;
import dev.kefurelay.sandbox.WeChatSandbox;
import dev.kefurelay.testkit.KefuSandboxExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The file inbox end to end: real files in a temp folder, the sandbox over real HTTP (the test kit's relay). */
class InboxTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    static final KefuSandboxExtension wechat = new KefuSandboxExtension().withProperty("kefu.inbox.max-size", "64KB");
    static Path inbox;
    static WeChatSandbox sandbox;

    @BeforeAll
    static void folders() {
        inbox = wechat.folder("inbox"); // the relay's kefu.inbox.dir
        sandbox = wechat.sandbox();
    }

    private static Path done(String name) {
        return inbox.resolve(".done").resolve(name);
    }

    private static Path error(String name) {
        return inbox.resolve(".error").resolve(name);
    }

    private static void drop(String name, String content) throws Exception {
        Files.createDirectories(inbox);
        Path tmp = inbox.resolve(name + ".tmp");
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        Files.move(tmp, inbox.resolve(name));
    }

    private static List<String> contents() {
        return sandbox.delivered().stream().map(d -> d.body().path("text").path("content").asText()).toList();
    }

    @Test
    void aSingleMessageFileIsDeliveredAndMovedToDone() throws Exception {
        drop("single.json", Samples.text("来自文件"));
        await().atMost(WAIT).until(() -> Files.exists(done("single.json")));
        assertEquals(List.of("来自文件"), contents());
        assertFalse(Files.exists(inbox.resolve("single.json")));
    }

    @Test
    void anArrayFileDeliversEveryMessage() throws Exception {
        drop("array.json", "[" + Samples.text("a1") + "," + Samples.text("a2") + "," + Samples.text("a3") + "]");
        await().atMost(WAIT).until(() -> Files.exists(done("array.json")));
        assertEquals(List.of("a1", "a2", "a3"), contents().stream().sorted().toList());
    }

    @Test
    void aPartlyFailedFileGoesToDoneAndItsFailuresToFailedJsonl() throws Exception {
        String bad = "{\"touser\":\"o1\",\"msgtype\":\"image\",\"image\":{}}";
        drop("mixed.jsonl", Samples.text("m1") + "\n\n" + bad + "\n" + "this is not json\n" + Samples.text("m2") + "\n");
        await().atMost(WAIT).until(() -> Files.exists(done("mixed.jsonl")));
        assertEquals(List.of("m1", "m2"), contents().stream().sorted().toList());
        List<String> failed = Files.readAllLines(error("mixed.jsonl.failed.jsonl"), StandardCharsets.UTF_8);
        assertEquals(2, failed.size(), failed.toString());
        JsonNode first = JSON.readTree(failed.stream().filter(l -> l.contains("image")).findFirst().orElseThrow());
        assertEquals("invalid-input", first.path("reason").asText());
        assertTrue(first.has("errcode") && first.path("errcode").isNull());
        assertTrue(first.path("errmsg").asText().contains("image.media_id"));
        assertEquals(JSON.readTree(bad), first.path("message"));
        JsonNode second = JSON.readTree(failed.stream().filter(l -> l.contains("not json")).findFirst().orElseThrow());
        assertEquals("this is not json", second.path("message").asText());
    }

    @Test
    void aLongJsonlIsStreamedAndEveryLineGetsExactlyOneOutcome() throws Exception {
        int lines = 500; // ~50 KB, under this relay's 64KB limit; far more lines than senders and queue slots
        StringBuilder file = new StringBuilder();
        for (int i = 0; i < lines; i++) {
            file.append(i % 50 == 7 ? "broken line " + i : Samples.text("line " + i)).append(i % 2 == 0 ? "\r\n" : "\n");
        }
        sandbox.latency(Duration.ofMillis(5)); // sends slower than reading, so the senders' queue fills up
        try {
            drop("long.jsonl", file.toString());
            await().atMost(WAIT).until(() -> Files.exists(done("long.jsonl")));
        } finally {
            sandbox.latency(Duration.ZERO);
        }
        List<String> delivered = contents();
        List<String> failed = Files.readAllLines(error("long.jsonl.failed.jsonl"), StandardCharsets.UTF_8);
        assertEquals(10, failed.size(), "one failure line per broken line");
        assertEquals(lines - failed.size(), delivered.size(), "nothing lost, nothing sent twice");
        assertEquals(delivered.size(), delivered.stream().distinct().count());
        for (String line : failed) {
            assertTrue(JSON.readTree(line).path("message").asText().startsWith("broken line "), line);
        }
    }

    @Test
    void aWeChatRefusalIsWrittenWithWeChatsErrcodeAndCanBeDroppedAgain() throws Exception {
        sandbox.failNext(43004, 1);
        drop("refused.json", Samples.text("late reply"));
        await().atMost(WAIT).until(() -> Files.exists(done("refused.json")));
        Path failed = error("refused.json.failed.jsonl");
        JsonNode line = JSON.readTree(Files.readAllLines(failed).get(0));
        assertEquals("wechat-error", line.path("reason").asText());
        assertEquals(43004, line.path("errcode").asInt());
        assertEquals("custom", line.path("channel").asText());
        assertEquals(JSON.readTree(Samples.text("late reply")), line.path("message"));
        // fixed (here: WeChat accepts it now) and dropped again as a .jsonl of just the messages
        drop("refused-again.jsonl", line.path("message").toString() + "\n");
        await().atMost(WAIT).until(() -> Files.exists(done("refused-again.jsonl")));
        assertEquals(List.of("late reply"), contents());
    }

    @Test
    void aFileThatIsNotJsonGoesToErrorWithAReason() throws Exception {
        drop("broken.json", "{\"touser\": oops");
        // the reason is written while the file is handled, the file moved after: two moments
        await().atMost(WAIT).until(() -> Files.exists(error("broken.json.error.json")) && Files.exists(error("broken.json")));
        JsonNode why = JSON.readTree(error("broken.json.error.json").toFile());
        assertEquals("invalid-input", why.path("reason").asText());
        assertTrue(why.path("errmsg").asText().contains("not valid JSON"), why.toString());
        assertEquals(0, sandbox.sendCalls());
    }

    @Test
    void otherFileTypesAndOversizedFilesGoToError() throws Exception {
        drop("notes.txt", "hello");
        drop("huge.jsonl", (Samples.text("x".repeat(1000)) + "\n").repeat(80));
        await().atMost(WAIT).until(() -> Files.exists(error("notes.txt.error.json"))
                && Files.exists(error("huge.jsonl.error.json")));
        assertTrue(JSON.readTree(error("notes.txt.error.json").toFile()).path("errmsg").asText()
                .contains("neither *.json nor *.jsonl"));
        assertTrue(JSON.readTree(error("huge.jsonl.error.json").toFile()).path("errmsg").asText()
                .contains("kefu.inbox.max-size"));
        assertTrue(Files.exists(error("notes.txt")) && Files.exists(error("huge.jsonl")));
        assertEquals(0, sandbox.sendCalls());
    }

    @Test
    void aFileStillBeingWrittenUnderATempNameIsNotRead() throws Exception {
        Files.createDirectories(inbox);
        Path partial = inbox.resolve("growing.jsonl.part");
        Files.writeString(partial, Samples.text("g1") + "\n");
        drop("marker.json", Samples.text("marker"));
        await().atMost(WAIT).until(() -> Files.exists(done("marker.json")));
        assertTrue(Files.exists(partial), "a .part file is left alone");
        Files.writeString(partial, Samples.text("g2") + "\n", java.nio.file.StandardOpenOption.APPEND);
        Files.move(partial, inbox.resolve("growing.jsonl"));
        await().atMost(WAIT).until(() -> Files.exists(done("growing.jsonl")));
        assertEquals(List.of("g1", "g2", "marker"), contents().stream().sorted().toList());
    }

    @Test
    void emptyFilesAreRefusedAtOnceAndDoNotHoldUpOtherFiles() throws Exception {
        Files.createDirectories(inbox);
        Files.write(inbox.resolve("empty.json"), new byte[0]);
        Files.write(inbox.resolve("empty.jsonl"), new byte[0]);
        long start = System.nanoTime();
        drop("after-empty.json", Samples.text("after the empty ones"));
        await().atMost(WAIT).until(() -> Files.exists(done("after-empty.json")));
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        await().atMost(WAIT).until(() -> Files.exists(error("empty.json.error.json"))
                && Files.exists(error("empty.jsonl.error.json")));
        assertTrue(JSON.readTree(error("empty.json.error.json").toFile()).path("errmsg").asText().contains("empty"));
        assertTrue(Files.exists(error("empty.json")) && Files.exists(error("empty.jsonl")));
        assertFalse(Files.exists(inbox.resolve("empty.json.camelLock")), "no lock left behind");
        // read lock (1 s unchanged) plus polls, with room for a busy machine; the hostile test saw 26.5 s while
        // empty files blocked every poll
        assertTrue(tookMs < 12_000, "a good file beside empty ones took " + tookMs + " ms");
        assertEquals(List.of("after the empty ones"), contents());
    }

    @Test
    void aFileDroppedUnderAUsedNameNeverReplacesTheEarlierOneOrItsRecords() throws Exception {
        drop("again.json", "{\"touser\": oops");
        await().atMost(WAIT).until(() -> Files.exists(error("again.json")));
        drop("again.json", "[not json either");
        await().atMost(WAIT).until(() -> Files.exists(error("again-2.json")));
        assertEquals("{\"touser\": oops", Files.readString(error("again.json")), "the first refused file is kept");
        assertEquals("[not json either", Files.readString(error("again-2.json")));
        assertTrue(Files.exists(error("again.json.error.json")) && Files.exists(error("again-2.json.error.json")));

        sandbox.failNext(43004, 1);
        drop("twice.jsonl", Samples.text("first drop") + "\n");
        await().atMost(WAIT).until(() -> Files.exists(done("twice.jsonl")));
        drop("twice.jsonl", Samples.text("second drop") + "\n");
        await().atMost(WAIT).until(() -> Files.exists(done("twice-2.jsonl")));
        assertTrue(Files.readString(done("twice.jsonl")).contains("first drop"));
        assertTrue(Files.readString(done("twice-2.jsonl")).contains("second drop"));
        assertTrue(Files.readString(error("twice.jsonl.failed.jsonl")).contains("first drop"),
                "the failures of the first file stay beside its own name");
        assertFalse(Files.exists(error("twice-2.jsonl.failed.jsonl")), "the second file had no failure");
        assertEquals(List.of("second drop"), contents());
    }

    @Test
    void aSymbolicLinkIsRefusedWithoutReadingOrQuotingItsTarget() throws Exception {
        Path outside = Files.writeString(wechat.folder("outside").resolve("secret.json"),
                Samples.text("must never be sent") + " root:x:0:0");
        Files.createDirectories(inbox);
        Files.createSymbolicLink(inbox.resolve("link.json"), outside);
        await().atMost(WAIT).until(() -> Files.exists(error("link.json.error.json")));
        String why = Files.readString(error("link.json.error.json"));
        assertTrue(why.contains("symbolic link"), why);
        assertFalse(why.contains("root:x") || why.contains("must never"), "nothing of the target quoted: " + why);
        assertTrue(Files.isSymbolicLink(error("link.json")), "the link itself moved, not its target");
        assertTrue(Files.exists(outside), "the target is untouched");
        assertEquals(0, sandbox.sendCalls());
    }

    @Test
    void aNameWithANewlineIsLoggedOnOneLine() throws Exception {
        try (LogCapture log = LogCapture.open()) {
            drop("two\nlines.json", Samples.text("odd name"));
            await().atMost(WAIT).until(() -> Files.exists(done("two\nlines.json")));
            assertTrue(log.lines().stream().anyMatch(l -> l.contains("inbox file two\\nlines.json")), log.text());
            assertFalse(log.lines().stream().anyMatch(l -> l.startsWith("lines.json")), log.text());
        }
    }

    @Test
    void aJsonFileNestedTooDeeplyOrNotUtf8IsRefusedAsInvalidInputNamingTheProblem() throws Exception {
        drop("deep.json", "[".repeat(30_000) + "]".repeat(30_000)); // under this relay's 64KB limit
        Files.createDirectories(inbox);
        Path tmp = inbox.resolve("latin1.json.tmp");
        Files.write(tmp, ("{\"touser\":\"o1\",\"msgtype\":\"text\",\"text\":{\"content\":\"caf\u00e9\"}}")
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        Files.move(tmp, inbox.resolve("latin1.json"));
        await().atMost(WAIT).until(() -> Files.exists(error("deep.json.error.json"))
                && Files.exists(error("latin1.json.error.json")));
        JsonNode deep = JSON.readTree(error("deep.json.error.json").toFile());
        assertEquals("invalid-input", deep.path("reason").asText());
        assertTrue(deep.path("errmsg").asText().contains(String.valueOf(dev.kefurelay.message.StrictJson.MAX_DEPTH)),
                deep.toString());
        JsonNode latin1 = JSON.readTree(error("latin1.json.error.json").toFile());
        assertEquals("invalid-input", latin1.path("reason").asText());
        assertTrue(latin1.path("errmsg").asText().contains("not valid UTF-8 at byte 54"), latin1.toString());
        assertEquals(0, sandbox.sendCalls());
    }

    @Test
    void aJsonlLineNestedTooDeeplyOrNotUtf8FailsAloneAsInvalidInputAndIsNeverSentAltered() throws Exception {
        java.io.ByteArrayOutputStream file = new java.io.ByteArrayOutputStream();
        file.writeBytes((Samples.text("good line") + "\n").getBytes(StandardCharsets.UTF_8));
        file.writeBytes(("[".repeat(20_000) + "]".repeat(20_000) + "\n").getBytes(StandardCharsets.UTF_8));
        file.writeBytes(Samples.text("caf\u00e9").getBytes(StandardCharsets.ISO_8859_1)); // é as one Latin-1 byte
        file.write('\n');
        Files.createDirectories(inbox);
        Path tmp = inbox.resolve("strict.jsonl.tmp");
        Files.write(tmp, file.toByteArray());
        Files.move(tmp, inbox.resolve("strict.jsonl"));
        await().atMost(WAIT).until(() -> Files.exists(done("strict.jsonl")));
        assertEquals(List.of("good line"), contents(), "the bad lines are not sent, not even with U+FFFD");
        List<JsonNode> failed = new java.util.ArrayList<>();
        for (String line : Files.readAllLines(error("strict.jsonl.failed.jsonl"), StandardCharsets.UTF_8)) {
            failed.add(JSON.readTree(line));
        }
        assertEquals(2, failed.size(), failed.toString());
        assertTrue(failed.stream().allMatch(f -> f.path("reason").asText().equals("invalid-input")), failed.toString());
        assertTrue(failed.stream().anyMatch(f -> f.path("errmsg").asText()
                .contains(String.valueOf(dev.kefurelay.message.StrictJson.MAX_DEPTH))), failed.toString());
        assertTrue(failed.stream().anyMatch(f -> f.path("errmsg").asText().contains("not valid UTF-8 at byte")),
                failed.toString());
    }
}
