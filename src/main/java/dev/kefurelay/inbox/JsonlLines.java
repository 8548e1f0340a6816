package dev.kefurelay.inbox;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The non-blank lines of a {@code .jsonl}, read one at a time as the splitter asks for them, so a file of any length
 * holds only the lines in flight in memory. Closes the reader when the last line is taken; Camel's splitter closes it
 * too (it is {@link Closeable}) when it stops early. Not Camel's {@code tokenize("\n")}: that would hand blank lines and
 * a trailing {@code \r} to kefu-send as messages, and could not tell an all-blank file (refused as a whole) apart.
 */
final class JsonlLines implements Iterator<String>, Closeable {

    private final BufferedReader reader;
    private String next;
    private boolean closed;

    JsonlLines(BufferedReader reader) {
        this.reader = reader;
    }

    @Override
    public boolean hasNext() {
        if (next != null) {
            return true;
        }
        if (closed) {
            return false;
        }
        try {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (!line.isBlank()) {
                    next = line;
                    return true;
                }
            }
            close();
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        String line = next;
        next = null;
        return line;
    }

    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            reader.close();
        }
    }
}
