package dev.kefurelay.inbox;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.NoSuchElementException;

/** The messages of a file, one looked ahead: subclasses say how the next one is found ({@link #advance}). */
abstract class PartIterator implements Iterator<Part>, Closeable {

    private Part next;
    private boolean ended;

    /** The next part, or null when there is none (then it is not asked again). */
    protected abstract Part advance() throws IOException;

    @Override
    public final boolean hasNext() {
        if (next == null && !ended) {
            try {
                next = advance();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            ended = next == null;
        }
        return next != null;
    }

    @Override
    public final Part next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Part part = next;
        next = null;
        return part;
    }
}
