package dev.kefurelay.store;

import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A log of lines in the local store's folder that the store keeps in memory and replays at start: each change is
 * one line appended, and the whole is rewritten from memory (compacted) at start and when much of it is out of date.
 *
 * <p>Appended lines are written, not forced: the page cache outlives a crash or {@code kill -9} of the relay, and a
 * force per line would put an fsync in the path of every message; only a power cut can lose the last moments'
 * lines. A rewrite is forced before it replaces the log (it is rare, and it replaces everything). The file is
 * owner-only like the store's other files (it names accounts and users): created so, not changed after, and the
 * rename puts it in place of the old log whatever mode that one had.
 */
final class AppendLog implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AppendLog.class);

    private final Path file;
    /** What the log holds, for messages: {@code delivered ids}, {@code window book}. */
    private final String what;
    private FileChannel channel;
    /** Closed by the store's stop: what changes after it is not written. */
    private boolean closed;

    private AppendLog(Path file, String what) {
        this.file = file;
        this.what = what;
    }

    /**
     * The complete lines of the log: a last line without its line end was cut short by a crash and is left out
     * (what it was about to record is lost, nothing else).
     */
    static List<String> read(Path file, String what) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new StoreException("cannot read " + file + " (" + what + "): " + e, e);
        }
        List<String> lines = new ArrayList<>();
        int from = 0;
        for (int end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', from)) {
            if (end > from) {
                lines.add(text.substring(from, end));
            }
            from = end + 1;
        }
        return lines;
    }

    /** Replaces the log with these lines and opens it for appending. */
    static AppendLog start(Path file, String what, Collection<String> lines) {
        AppendLog log = new AppendLog(file, what);
        log.rewrite(lines);
        if (log.channel == null) {
            throw new StoreException("cannot open " + file + " (" + what + ") for appending", null);
        }
        return log;
    }

    synchronized void append(String line) {
        if (channel == null) {
            return; // closed, or could not be opened again (logged then)
        }
        try {
            ByteBuffer buffer = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        } catch (IOException e) {
            // kept in memory; only a restart before the next rewrite would forget it
            LOG.warn("could not append to {} ({}): {}", file, what, e.toString());
        }
    }

    /**
     * Writes these lines to a new file, forced, and puts it in place of the log; appends go on in the new one, or in
     * the old one when the rewrite failed.
     */
    synchronized void rewrite(Collection<String> lines) {
        if (closed) {
            return;
        }
        Path temp = file.resolveSibling("." + file.getFileName() + StoreFile.TEMP_SUFFIX);
        try {
            Files.deleteIfExists(temp);
            try (FileChannel out = FileChannel.open(temp, EnumSet.of(StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE), StoreFile.ownerOnly(temp.getFileSystem(), StoreFile.OWNER_FILE))) {
                StringBuilder text = new StringBuilder();
                lines.forEach(line -> text.append(line).append('\n'));
                ByteBuffer buffer = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
                out.force(false);
            }
            // closed first: a system that cannot replace an open file (Windows) would refuse the rename
            closeChannel();
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // the next rewrite deletes it
            }
            throw new StoreException("cannot write " + file + " (" + what + "): " + e, e);
        } finally {
            reopen();
        }
    }

    private void reopen() {
        if (channel != null) {
            return;
        }
        try {
            channel = FileChannel.open(file, EnumSet.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND), StoreFile.ownerOnly(file.getFileSystem(), StoreFile.OWNER_FILE));
        } catch (IOException e) {
            LOG.warn("cannot append to {} ({}): what changes is kept in memory only: {}", file, what, e.toString());
        }
    }

    /** Forces what was appended and closes the file; appends after it are dropped. */
    @Override
    public synchronized void close() {
        closed = true;
        try {
            if (channel != null) {
                channel.force(false);
            }
            closeChannel();
        } catch (IOException e) {
            LOG.warn("could not close {} ({}): {}", file, what, e.toString());
        }
    }

    private void closeChannel() throws IOException {
        if (channel != null) {
            FileChannel c = channel;
            channel = null;
            c.close();
        }
    }

    /** A field of a line: no space or line end in it whatever the caller's string holds. */
    static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
