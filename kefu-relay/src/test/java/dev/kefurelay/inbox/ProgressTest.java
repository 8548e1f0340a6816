package dev.kefurelay.inbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProgressTest {

    @TempDir
    Path inbox;

    private final Map<String, List<String>> carried = new HashMap<>();

    @Test
    void aFileTakenAgainKnowsWhichMessagesHaveAnOutcomeAndWhichFailed() throws IOException {
        Path file = Files.writeString(inbox.resolve("a.jsonl"), "{}\n{}\n{}\n");
        try (Progress p = Progress.open(inbox, "a.jsonl", file, carried)) {
            assertTrue(p.record(1, null));
            assertTrue(p.record(3, "{\"reason\":\"invalid-input\"}"));
        }
        try (Progress again = Progress.open(inbox, "a.jsonl", file, carried)) {
            assertTrue(again.isRecorded(1) && again.isRecorded(3));
            assertFalse(again.isRecorded(2));
            assertEquals(2, again.recordedCount());
            assertEquals(List.of("{\"reason\":\"invalid-input\"}"), again.failures());
        }
    }

    @Test
    void aLineCutShortByACrashIsDroppedAndWrittenOver() throws IOException {
        Path file = Files.writeString(inbox.resolve("b.jsonl"), "{}\n{}\n");
        try (Progress p = Progress.open(inbox, "b.jsonl", file, carried)) {
            p.record(1, null);
        }
        Path journal = inbox.resolve(".progress/b.jsonl.journal");
        Files.writeString(journal, "{\"n\":2,\"fai", StandardOpenOption.APPEND); // a kill in the middle of a write
        try (Progress again = Progress.open(inbox, "b.jsonl", file, carried)) {
            assertFalse(again.isRecorded(2));
            assertTrue(again.record(2, null));
        }
        List<String> lines = Files.readAllLines(journal, StandardCharsets.UTF_8);
        assertEquals(3, lines.size(), lines.toString());
        assertEquals("{\"n\":2}", lines.get(2));
    }

    @Test
    void theJournalOfAnEarlierFileOfTheSameNameDoesNotApplyToANewOne() throws IOException {
        Path file = Files.writeString(inbox.resolve("c.json"), "[{},{}]");
        try (Progress p = Progress.open(inbox, "c.json", file, carried)) {
            p.record(1, null);
            p.record(2, null);
        }
        // moved away before its journal was deleted; a new file of that name arrives
        Files.delete(file);
        Path other = Files.writeString(inbox.resolve("c.json"), "[{},{},{}]");
        Files.setLastModifiedTime(other, FileTime.fromMillis(System.currentTimeMillis() + 5_000));
        try (Progress p = Progress.open(inbox, "c.json", other, carried)) {
            assertEquals(0, p.recordedCount());
        }
    }

    @Test
    void outcomesThatCouldNotBeWrittenAreWrittenFirstWhenTheFileIsTakenAgain() throws IOException {
        Path file = Files.writeString(inbox.resolve("d.jsonl"), "{}\n{}\n");
        String key;
        try (Progress p = Progress.open(inbox, "d.jsonl", file, carried)) {
            key = p.file();
        }
        carried.put(key, List.of("{\"n\":2,\"failed\":{\"reason\":\"wechat-error\"}}"));
        try (Progress again = Progress.open(inbox, "d.jsonl", file, carried)) {
            assertTrue(again.isRecorded(2));
            assertEquals(List.of("{\"reason\":\"wechat-error\"}"), again.failures());
        }
        assertTrue(carried.isEmpty(), "written once, then forgotten");
        try (Progress third = Progress.open(inbox, "d.jsonl", file, carried)) {
            assertTrue(third.isRecorded(2), "and now in the journal itself");
        }
    }
}
