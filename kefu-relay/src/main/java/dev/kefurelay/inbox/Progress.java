package dev.kefurelay.inbox;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * How far the relay got with one inbox file: a journal under {@code <inbox>/.progress/<name>.journal} with one line
 * per message whose outcome is recorded ({@code {"n":17}}, or {@code {"n":17,"failed":{…}}} with its
 * {@code .failed.jsonl} line). It is what makes a file resumable: a file that is taken again (after a SIGTERM, a crash,
 * or a full disk) skips every message the journal names, so nothing is sent twice by the relay itself.
 * <p>
 * Each line is written with one {@code write} as its message ends, so a killed process loses none (the kernel has
 * it). A write that fails (disk full) is cut back to the last whole line and the file is given up for now; the
 * outcomes that could not be written are kept ({@link #unwritten}) and written first when the file is taken again
 * by this process, so a full disk makes nothing be sent twice. The journal's first line names the file (size,
 * modification time, file key): a journal left by a file that was already moved away never applies to a new file
 * of the same name.
 */
final class Progress implements AutoCloseable {

    static final String FOLDER = ".progress";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path path;
    private final String header;
    private final FileChannel channel;
    private final BitSet recorded;
    private final List<String> failures;
    private final List<String> unwritten = new ArrayList<>();
    private volatile IOException writeFailure;
    private int count;

    private Progress(Path path, String header, FileChannel channel, BitSet recorded, List<String> failures) {
        this.path = path;
        this.header = header;
        this.channel = channel;
        this.recorded = recorded;
        this.failures = failures;
        this.count = recorded.cardinality();
    }

    /**
     * The journal of this inbox file: the one it left when it was taken before, or a new one.
     *
     * @param carried the {@link #unwritten} entries of an earlier take in this process, keyed by {@link #file()}:
     *                written first, so the outcomes they hold are not lost
     */
    static Progress open(Path inbox, String name, Path file, java.util.Map<String, List<String>> carried)
            throws IOException {
        Path path = Files.createDirectories(inbox.resolve(FOLDER)).resolve(name + ".journal");
        String header = header(name, file);
        BitSet recorded = new BitSet();
        List<String> failures = new ArrayList<>();
        FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        try {
            long whole = read(channel, header, recorded, failures);
            if (whole < 0) {
                // no journal, or one of an earlier file of this name (moved away before its journal was deleted)
                recorded.clear();
                failures.clear();
                channel.truncate(0);
                channel.write(ByteBuffer.wrap((header + "\n").getBytes(StandardCharsets.UTF_8)), 0);
                channel.force(false);
            } else {
                channel.truncate(whole); // a line cut short by a crash or a full disk goes
            }
            channel.position(channel.size());
            List<String> earlier = carried.get(header);
            if (earlier != null) {
                for (String entry : earlier) {
                    ByteBuffer line = ByteBuffer.wrap((entry + "\n").getBytes(StandardCharsets.UTF_8));
                    while (line.hasRemaining()) {
                        channel.write(line);
                    }
                    entry(entry, recorded, failures);
                }
                carried.remove(header);
            }
            return new Progress(path, header, channel, recorded, failures);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** Whether message {@code n} (1-based) already has an outcome. */
    synchronized boolean isRecorded(int n) {
        return recorded.get(n);
    }

    /** Messages with an outcome. */
    synchronized int recordedCount() {
        return count;
    }

    /**
     * Records message {@code n}'s outcome ({@code failedLine} its .failed.jsonl line, or null when it was delivered).
     * Returns false, and records nothing, once a write has failed: the rest of the file waits for another try.
     */
    synchronized boolean record(int n, String failedLine) {
        ObjectNode node = JSON.createObjectNode().put("n", n);
        if (failedLine != null) {
            node.putRawValue("failed", new com.fasterxml.jackson.databind.util.RawValue(failedLine));
        }
        String entry = node.toString();
        if (writeFailure != null) {
            unwritten.add(entry);
            return false;
        }
        ByteBuffer line = ByteBuffer.wrap((entry + "\n").getBytes(StandardCharsets.UTF_8));
        long before = -1;
        try {
            before = channel.position();
            while (line.hasRemaining()) {
                channel.write(line);
            }
        } catch (IOException e) {
            writeFailure = e;
            cutBack(before);
            unwritten.add(entry);
            return false;
        }
        recorded.set(n);
        count++;
        if (failedLine != null) {
            failures.add(failedLine);
        }
        return true;
    }

    /** Which file this journal is of (name, size, time, file key): the key of {@link #open}'s carried entries. */
    String file() {
        return header;
    }

    /** Outcomes that could not be written since the first failed write, as journal entries. */
    synchronized List<String> unwritten() {
        return List.copyOf(unwritten);
    }

    /** The first failed write, or null while every outcome was recorded. */
    IOException writeFailure() {
        return writeFailure;
    }

    /** The .failed.jsonl lines of the whole file, this take's and earlier ones'. */
    synchronized List<String> failures() {
        return List.copyOf(failures);
    }

    /** The file is filed under .done/ or .error/: its journal has done its work. */
    void delete() throws IOException {
        close();
        Files.deleteIfExists(path);
    }

    @Override
    public void close() throws IOException {
        if (channel.isOpen()) {
            try {
                if (writeFailure == null) {
                    channel.force(false);
                }
            } finally {
                channel.close();
            }
        }
    }

    private void cutBack(long length) {
        if (length < 0) {
            return;
        }
        try {
            channel.truncate(length);
            channel.position(length);
        } catch (IOException ignored) {
            // the next open cuts a half line away as well
        }
    }

    /**
     * Reads a journal into {@code recorded} and {@code failures}; returns the length of its whole lines, or -1 when it
     * is empty or belongs to another file.
     */
    private static long read(FileChannel channel, String header, BitSet recorded, List<String> failures)
            throws IOException {
        long size = channel.size();
        if (size == 0) {
            return -1;
        }
        ByteBuffer all = ByteBuffer.allocate(Math.toIntExact(size));
        while (all.hasRemaining() && channel.read(all, all.position()) > 0) {
            // read it whole: a journal is a few bytes per message
        }
        byte[] bytes = all.array();
        long whole = 0;
        int start = 0;
        boolean first = true;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] != '\n') {
                continue;
            }
            String line = new String(bytes, start, i - start, StandardCharsets.UTF_8);
            if (first) {
                if (!line.equals(header)) {
                    return -1;
                }
                first = false;
            } else if (!entry(line, recorded, failures)) {
                break;
            }
            start = i + 1;
            whole = start;
        }
        return first ? -1 : whole;
    }

    private static boolean entry(String line, BitSet recorded, List<String> failures) {
        try {
            JsonNode node = JSON.readTree(line);
            int n = node.path("n").asInt(0);
            if (n <= 0) {
                return false;
            }
            if (!recorded.get(n) && node.has("failed")) {
                failures.add(node.get("failed").toString()); // once, though an entry carried over may stand twice
            }
            recorded.set(n);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Which file this journal is of: the same name dropped again is another file (another size, time or inode). */
    private static String header(String name, Path file) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        return JSON.createObjectNode().put("file", name).put("size", attributes.size())
                .put("modified", attributes.lastModifiedTime().toMillis())
                .put("key", String.valueOf(attributes.fileKey())).toString();
    }
}
