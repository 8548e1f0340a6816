package dev.kefurelay.inbox;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Where a handled file goes, written so that nothing already there is ever replaced and no reader ever sees half a
 * record: a file dropped under a name used before gets a free name of its own ({@code orders.jsonl}, then
 * {@code orders-2.jsonl}, …, the extension kept so it can be dropped again as it is), and its {@code .error.json}
 * or {@code .failed.jsonl} is written whole beside it (a temporary file, synced, then renamed) before the file moves.
 */
final class Filing {

    private Filing() {
    }

    /**
     * A name in {@code folder} that no file and no record of an earlier file uses. Only the inbox's one consumer
     * thread files into these folders, so a name free now is still free when the file moves there.
     */
    static String freeName(Path folder, String name) {
        int dot = name.lastIndexOf('.');
        String base = dot > 0 ? name.substring(0, dot) : name;
        String ext = dot > 0 ? name.substring(dot) : "";
        String candidate = name;
        for (int n = 2; taken(folder, candidate); n++) {
            candidate = base + "-" + n + ext;
        }
        return candidate;
    }

    private static boolean taken(Path folder, String name) {
        Path error = folder.resolveSibling(InboxSteps.ERROR);
        return Files.exists(folder.resolve(name)) || Files.exists(error.resolve(name + InboxSteps.ERROR_JSON))
                || Files.exists(error.resolve(name + InboxSteps.FAILED_JSONL));
    }

    /** Writes {@code content} as {@code target} all at once: a reader sees the whole file or none. */
    static void writeWhole(Path target, String content) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            var buffer = java.nio.ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8));
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Moves the dropped file (a symbolic link itself, never its target) to its new name, refusing to replace. */
    static void move(Path file, Path target) throws IOException {
        if (Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new FileAlreadyExistsException(target.toString());
        }
        Files.move(file, target);
    }
}
