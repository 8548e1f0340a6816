package dev.kefurelay.inbox;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;

/**
 * The non-blank lines of a {@code .jsonl}, read one at a time as the splitter asks for them, so a file of any length
 * holds only the lines in flight in memory. Lines are split on bytes and handed on as bytes: decoding them here would
 * turn malformed UTF-8 into U+FFFD and send altered text to a customer; kefu-send decodes each strictly instead.
 * Closes the stream when the last line is taken; Camel's splitter closes it too (it is {@link Closeable}) when it
 * stops early. Not Camel's {@code tokenize("\n")}: that would hand blank lines and a trailing {@code \r} to kefu-send
 * as messages, and could not tell an all-blank file (refused as a whole) apart.
 */
final class JsonlLines extends PartIterator {

    private final InputStream in;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    private int lineNumber;
    private boolean closed;

    /** @param in a buffered stream: it is read a byte at a time */
    JsonlLines(InputStream in) {
        this.in = in;
    }

    @Override
    protected Part advance() throws IOException {
        while (!closed) {
            boolean end = readLine();
            if (end && line.size() == 0) {
                break;
            }
            lineNumber++;
            byte[] bytes = stripCr(line.toByteArray());
            if (!isBlank(bytes)) {
                return new Part(lineNumber, bytes);
            }
            if (end) {
                break;
            }
        }
        close();
        return null;
    }

    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            in.close();
        }
    }

    /** Reads up to the next '\n' into {@link #line}; true when the stream ended instead. */
    private boolean readLine() throws IOException {
        line.reset();
        for (int b = in.read(); b >= 0; b = in.read()) {
            if (b == '\n') {
                return false;
            }
            line.write(b);
        }
        return true;
    }

    private static byte[] stripCr(byte[] bytes) {
        return bytes.length > 0 && bytes[bytes.length - 1] == '\r'
                ? java.util.Arrays.copyOf(bytes, bytes.length - 1) : bytes;
    }

    /** JSON's white space only: a byte of a multi-byte UTF-8 character is never one of these. */
    private static boolean isBlank(byte[] bytes) {
        for (byte b : bytes) {
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }
}
