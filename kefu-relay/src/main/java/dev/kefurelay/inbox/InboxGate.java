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
 * Closes the inbox while outcomes cannot be written (a full disk, a folder that became read-only): a file whose
 * messages cannot be accounted for is not taken at all, and one being sent is given up where it stands (its journal
 * says how far it got). Bound as the file endpoint's {@code filter}, so the file stays in the inbox untouched. While
 * closed, each poll tries at most every {@code retryMs} whether a record of a file's size can be written again, and
 * opens the inbox when it can. Readiness reports it (see {@link #problem()}).
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

    public InboxGate(Path inbox, long retryMs) {
        this(inbox, retryMs, System::currentTimeMillis);
    }

    InboxGate(Path inbox, long retryMs, LongSupplier clock) {
        this.inbox = inbox;
        this.retryMs = retryMs;
        this.clock = clock;
    }

    /** Why the inbox takes no file now, or null when it is open (as last tried: see {@link #isOpen}). */
    public String problem() {
        return problem;
    }

    /** Outcomes of the inbox could not be written: no file is taken until they can. */
    void close(String why) {
        if (problem == null) {
            LOG.error("inbox closed: {}; no file is taken until outcomes can be written again", why);
        }
        problem = why;
        lastTry = clock.getAsLong();
    }

    @Override
    public boolean accept(GenericFile<Object> file) {
        return isOpen();
    }

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
