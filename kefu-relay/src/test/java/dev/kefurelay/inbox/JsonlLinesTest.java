package dev.kefurelay.inbox;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonlLinesTest {

    @TempDir
    Path dir;

    @Test
    void readsOnlyAsFarAsTheLinesTaken() throws IOException {
        String line = "{\"touser\":\"o1\",\"msgtype\":\"text\",\"text\":{\"content\":\"" + "x".repeat(80) + "\"}}\n";
        CountingStream source = new CountingStream(bytes(line.repeat(10_000))); // ~1 MB
        JsonlLines lines = new JsonlLines(new java.io.BufferedInputStream(source, 1024));
        for (int i = 0; i < 3; i++) {
            Part part = lines.next();
            assertEquals(i + 1, part.n());
            assertEquals(line.strip(), text(part));
        }
        assertTrue(source.read < 4 * 1024, "read " + source.read + " bytes for 3 lines");
        lines.close();
        assertTrue(source.closed);
    }

    @Test
    void skipsBlankLinesHandlesCrlfNumbersLinesAndClosesAtTheEnd() throws IOException {
        CountingStream source = new CountingStream(bytes("\r\n{\"a\":1}\r\n   \n\n{\"b\":2}\n\t\n{\"c\":3}"));
        JsonlLines lines = new JsonlLines(source);
        List<String> all = new ArrayList<>();
        lines.forEachRemaining(p -> all.add(p.n() + ":" + text(p)));
        assertEquals(List.of("2:{\"a\":1}", "5:{\"b\":2}", "7:{\"c\":3}"), all);
        assertTrue(source.closed, "closed once the last line is taken");
        assertFalse(lines.hasNext());
        assertThrows(NoSuchElementException.class, lines::next);
    }

    @Test
    void aBlankFileIsRefusedByName() throws IOException {
        Path blank = Files.writeString(dir.resolve("blank.jsonl"), "\n  \r\n\n");
        UnreadableFileException e = assertThrows(UnreadableFileException.class,
                () -> InboxFile.lines("blank.jsonl", blank));
        assertEquals("'blank.jsonl' has no message: every line is blank", e.getMessage());
    }

    @Test
    void malformedUtf8IsHandedOnAsTheBytesOfItsOwnLine() throws IOException {
        Path file = dir.resolve("bad.jsonl");
        Files.write(file, new byte[] {'{', '}', '\n', (byte) 0xC3, '(', '\n', '[', ']', '\n'});
        Iterator<Part> lines = InboxFile.lines("bad.jsonl", file);
        assertEquals("{}", text(lines.next()));
        Part bad = lines.next();
        assertEquals(2, bad.n());
        assertArrayEquals(new byte[] {(byte) 0xC3, '('}, (byte[]) bad.body(), "not decoded, not replaced");
        assertEquals("[]", text(lines.next()));
        assertFalse(lines.hasNext());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(Part part) {
        return new String((byte[]) part.body(), StandardCharsets.UTF_8);
    }

    private static final class CountingStream extends FilterInputStream {
        long read;
        boolean closed;

        CountingStream(byte[] content) {
            super(new ByteArrayInputStream(content));
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            read += b < 0 ? 0 : 1;
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n = super.read(buf, off, len);
            read += Math.max(0, n);
            return n;
        }

        @Override
        public void close() throws IOException {
            closed = true;
            super.close();
        }
    }
}
