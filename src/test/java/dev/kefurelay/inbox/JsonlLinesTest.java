package dev.kefurelay.inbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
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
        CountingReader source = new CountingReader(new StringReader(line.repeat(10_000))); // ~1 MB
        JsonlLines lines = new JsonlLines(new BufferedReader(source, 1024));
        for (int i = 0; i < 3; i++) {
            assertEquals(line.strip(), lines.next());
        }
        assertTrue(source.read < 4 * 1024, "read " + source.read + " chars for 3 lines");
        lines.close();
        assertTrue(source.closed);
    }

    @Test
    void skipsBlankLinesHandlesCrlfAndClosesAtTheEnd() throws IOException {
        CountingReader source = new CountingReader(new StringReader("\r\n{\"a\":1}\r\n   \n\n{\"b\":2}\n\t\n"));
        JsonlLines lines = new JsonlLines(new BufferedReader(source));
        List<String> all = new ArrayList<>();
        lines.forEachRemaining(all::add);
        assertEquals(List.of("{\"a\":1}", "{\"b\":2}"), all);
        assertTrue(source.closed, "closed once the last line is taken");
        assertFalse(lines.hasNext());
        assertThrows(NoSuchElementException.class, lines::next);
    }

    @Test
    void anEmptyOrBlankFileIsRefusedByName() throws IOException {
        Path blank = Files.writeString(dir.resolve("blank.jsonl"), "\n  \r\n\n");
        UnreadableFileException e = assertThrows(UnreadableFileException.class,
                () -> InboxFile.lines("blank.jsonl", blank));
        assertEquals("'blank.jsonl' is empty", e.getMessage());
    }

    @Test
    void malformedUtf8BecomesAReplacementCharacterInItsOwnLine() throws IOException {
        Path file = dir.resolve("bad.jsonl");
        Files.write(file, new byte[] {'{', '}', '\n', (byte) 0xC3, '(', '\n', '[', ']', '\n'});
        Iterator<String> lines = InboxFile.lines("bad.jsonl", file);
        assertEquals("{}", lines.next());
        assertEquals("\uFFFD(", lines.next());
        assertEquals("[]", lines.next());
        assertFalse(lines.hasNext());
    }

    private static final class CountingReader extends Reader {
        private final Reader in;
        long read;
        boolean closed;

        CountingReader(Reader in) {
            this.in = in;
        }

        @Override
        public int read(char[] buf, int off, int len) throws IOException {
            int n = in.read(buf, off, len);
            read += Math.max(0, n);
            return n;
        }

        @Override
        public void close() throws IOException {
            closed = true;
            in.close();
        }
    }
}
