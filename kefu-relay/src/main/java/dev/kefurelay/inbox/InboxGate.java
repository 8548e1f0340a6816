package dev.kefurelay.inbox;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.LongSupplier;

import org.apache.camel.component.file.GenericFile;
import org.apache.camel.component.file.GenericFileFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the inbox takes files. Bound as the file endpoint's {@code filter}, so a file it does not take stays in
 * the inbox untouched, and asked by a take between messages, so a file being sent is given up where it stands (its
 * journal says how far it got). It takes none while:
 * <ul>
 *   <li>outcomes cannot be written (a full disk, a folder that became read-only): while closed, each poll tries at
 *       most every {@code retryMs} whether a record of a file's size can be written again, and opens the inbox when
 *       it can;</li>
 *   <li>the folder cannot be read ({@link #checkReadable}, asked in the background): the file endpoint alone would
 *       find no file there and say nothing;</li>
 *   <li>the relay pauses its inputs ({@link #pause}: the store is away).</li>
 * </ul>
 * Readiness reports the first two ({@link #problem()}); the pause is the store's to report.
 */
public final class InboxGate implements GenericFileFilter<Object> {

    private static final Logger LOG = LoggerFactory.getLogger(InboxGate.class);
    /** What a probe writes and syncs: more than a journal needs for a while, so an almost full disk stays closed. */
    static final int PROBE_BYTES = 64 * 1024;

    private final Path inbox;
    private final long retryMs;
    private final LongSupplier clock;
    private volatile String problem;
    private volatile long lastTry;
    private volatile String unreadable;
    private volatile String paused;

    public InboxGate(Path inbox, long retryMs) {
        this(inbox, retryMs, System::currentTimeMillis);
    }

    InboxGate(Path inbox, long retryMs, LongSupplier clock) {
        this.inbox = inbox;
        this.retryMs = retryMs;
        this.clock = clock;
    }

    /** Why the inbox takes no file now for a fault of its own (outcomes not written, folder not read), or null. */
    public String problem() {
        String notRead = unreadable;
        if (notRead != null) {
            return notRead;
        }
        return isOpen() ? null : problem;
    }

    /** Outcomes of the inbox could not be written: no file is taken until they can. */
    void close(String why) {
        if (problem == null) {
            LOG.error("inbox closed: {}; no file is taken until outcomes can be written again", why);
        }
        problem = why;
        lastTry = clock.getAsLong();
    }

    /** The relay takes no message for now (why: for the log of a take that stops); {@link #resume} ends it. */
    public void pause(String why) {
        paused = why;
    }

    public void resume() {
        paused = null;
    }

    @Override
    public boolean accept(GenericFile<Object> file) {
        return isTaking();
    }

    /** Whether a file may be taken, or a take go on, now. */
    boolean isTaking() {
        return paused == null && unreadable == null && isOpen();
    }

    /** Why {@link #isTaking} is false, for a take that stops; null when it is true. */
    String whyNotTaking() {
        String p = problem();
        return p != null ? p : paused;
    }

    /** Whether outcomes can be written (as last tried: a closed inbox tries again at most every retryMs). */
    public boolean isOpen() {
        if (problem == null) {
            return true;
        }
        long now = clock.getAsLong();
        if (now - lastTry < retryMs) {
            return false;
        }
        lastTry = now;
        try {
            probe();
        } catch (IOException e) {
            problem = "cannot write in " + inbox + " (" + e.getMessage() + ")";
            return false;
        }
        LOG.info("inbox open again: outcomes can be written in {}", inbox);
        problem = null;
        return true;
    }

    /**
     * Lists the folder as the file endpoint does at each poll ({@link InboxFolder}), and keeps whether that worked:
     * one ERROR line when it stops working, one INFO line when it works again.
     */
    public boolean checkReadable() {
        String why;
        try {
            InboxFolder.list(inbox);
            why = null;
        } catch (IOException e) {
            why = "cannot read the inbox folder " + inbox + ": " + InboxFolder.why(e);
        }
        String before = unreadable;
        unreadable = why;
        if (why != null && before == null) {
            LOG.error("inbox unreadable: {}; no file is taken until it can be read (kefu.inbox.dir)", why);
        } else if (why == null && before != null) {
            LOG.info("inbox readable again: {}", inbox);
        }
        return why == null;
    }

    private void probe() throws IOException {
        Path probe = Files.createDirectories(inbox.resolve(Progress.FOLDER)).resolve(".probe");
        try (FileChannel channel = FileChannel.open(probe, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer zeros = ByteBuffer.allocate(PROBE_BYTES);
            while (zeros.hasRemaining()) {
                channel.write(zeros);
            }
            channel.force(true);
        } finally {
            Files.deleteIfExists(probe);
        }
    }
}
