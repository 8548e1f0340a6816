package dev.kefurelay.inbox;

import java.io.Closeable;
import java.io.IOException;
import java.util.Iterator;
import java.util.function.BooleanSupplier;

/**
 * One take of an inbox file: the messages still to send (those its journal does not name yet), handed to the splitter
 * one at a time until the file ends or the take must stop — the relay is shutting down, or outcomes can no longer be
 * written — so that on SIGTERM no new message is started and the file can go on from its journal later.
 */
final class InboxTake extends PartIterator {

    private final Iterator<Part> messages;
    private final Progress progress;
    private final BooleanSupplier mustStop;
    private int seen;
    private boolean ended;
    private boolean stopped;

    InboxTake(Iterator<Part> messages, Progress progress, BooleanSupplier mustStop) {
        this.messages = messages;
        this.progress = progress;
        this.mustStop = mustStop;
    }

    Progress progress() {
        return progress;
    }

    /** Every message of the file was handed out (none left unread), and every one has its outcome recorded. */
    boolean complete() {
        return ended && !stopped && progress.writeFailure() == null && progress.recordedCount() == seen;
    }

    /** The messages the file has, as far as it was read. */
    int seen() {
        return seen;
    }

    @Override
    protected Part advance() {
        while (true) {
            if (mustStop.getAsBoolean()) {
                stopped = true;
                return null;
            }
            if (!messages.hasNext()) {
                ended = true;
                return null;
            }
            Part part = messages.next();
            seen++;
            if (!progress.isRecorded(part.n())) {
                return part;
            }
        }
    }

    @Override
    public void close() throws IOException {
        if (messages instanceof Closeable c) {
            c.close();
        }
    }
}
