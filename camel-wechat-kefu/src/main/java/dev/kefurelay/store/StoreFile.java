package dev.kefurelay.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;
import java.util.zip.CRC32C;

/**
 * One value in one file, written so that a crash at any point leaves either the old or the new file, never a
 * mix: the bytes go to a temp file in the same folder, are forced to disk, and the temp file is renamed over the
 * target atomically; then the folder itself is forced so the rename survives a power cut. A header with the
 * length and a CRC-32C lets a reader tell a complete file from one damaged some other way.
 */
final class StoreFile {

    static final String TEMP_SUFFIX = ".tmp";
    private static final String MAGIC = "kefu-store 1";
    static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
    static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");

    private StoreFile() {
    }

    /** The value in this file, or null if there is no file or it is not a complete, intact store file. */
    static String read(Path file) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return null;
        }
        return decode(bytes);
    }

    static void write(Path file, String value) throws IOException {
        Path dir = file.getParent();
        // a fresh name every time: two writers never share a temp file, and a crashed one's leftover is ignored
        Path temp = dir.resolve("." + file.getFileName() + "." + UUID.randomUUID() + TEMP_SUFFIX);
        try {
            try (FileChannel out = FileChannel.open(temp, EnumSet.of(StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE), ownerOnly(dir.getFileSystem(), OWNER_FILE))) {
                ByteBuffer buffer = ByteBuffer.wrap(encode(value));
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
                out.force(true);
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
        forceDirectory(dir);
    }

    static byte[] encode(String value) {
        byte[] body = value.getBytes(StandardCharsets.UTF_8);
        String header = MAGIC + " " + Long.toHexString(crc(body)) + " " + body.length + "\n";
        byte[] head = header.getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[head.length + body.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        return all;
    }

    static String decode(byte[] bytes) {
        int newline = -1;
        for (int i = 0; i < bytes.length && i < 64; i++) {
            if (bytes[i] == '\n') {
                newline = i;
                break;
            }
        }
        if (newline < 0) {
            return null;
        }
        String[] header = new String(bytes, 0, newline, StandardCharsets.US_ASCII).split(" ");
        if (header.length != 4 || !(header[0] + " " + header[1]).equals(MAGIC)) {
            return null;
        }
        try {
            long crc = Long.parseLong(header[2], 16);
            int length = Integer.parseInt(header[3]);
            if (length != bytes.length - newline - 1) {
                return null; // cut short, or something appended
            }
            byte[] body = new byte[length];
            System.arraycopy(bytes, newline + 1, body, 0, length);
            return crc(body) == crc ? new String(body, StandardCharsets.UTF_8) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static FileAttribute<?>[] ownerOnly(FileSystem fs, Set<PosixFilePermission> permissions) {
        return fs.supportedFileAttributeViews().contains("posix")
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(permissions)}
                : new FileAttribute<?>[0];
    }

    /** Makes a rename in this folder durable; some systems cannot open a folder for that, and then it is skipped. */
    private static void forceDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Windows cannot open a directory; its rename is durable enough for us there
        }
    }

    private static long crc(byte[] body) {
        CRC32C crc = new CRC32C();
        crc.update(body);
        return crc.getValue();
    }
}
