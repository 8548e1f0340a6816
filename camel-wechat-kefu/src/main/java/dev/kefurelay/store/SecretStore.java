package dev.kefurelay.store;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Durable key → value store for secrets the relay cannot get back once lost (authorizer refresh tokens, the
 * latest verify ticket), in {@code kefu.store.dir}. One file per key, so damage to one never touches another.
 * Every write is atomic ({@link StoreFile}); the value a write replaces is kept as {@code <key>.prev}, so a file
 * damaged after the fact still leaves the value before it. Folder and files are owner-only (rwx------ and
 * rw-------). Values stay in memory once read or written: the newest value survives a failing disk for as long
 * as the process lives.
 */
public final class SecretStore {

    private static final Logger LOG = LoggerFactory.getLogger(SecretStore.class);
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9_.-]{0,150}");
    private static final String PREVIOUS = ".prev";

    private final Path dir;
    private final Map<String, String> values = new ConcurrentHashMap<>();

    private SecretStore(Path dir) {
        this.dir = dir;
    }

    /** Creates the folder (owner-only) if needed and removes temp files a crash left behind. */
    public static SecretStore open(Path dir) {
        Path abs = dir.toAbsolutePath();
        try {
            if (!Files.isDirectory(abs)) {
                // parents as usual (data/ also holds the inbox others write to); only the store itself owner-only
                Files.createDirectories(abs.getParent());
                try {
                    Files.createDirectory(abs, StoreFile.ownerOnly(abs.getFileSystem(), StoreFile.OWNER_DIR));
                } catch (java.nio.file.FileAlreadyExistsException e) {
                    // made meanwhile by another start: the permissions are set below
                }
            }
            if (abs.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                // createDirectories honours the umask; an existing folder may have been made by hand
                Files.setPosixFilePermissions(abs, StoreFile.OWNER_DIR);
            }
            try (DirectoryStream<Path> temps = Files.newDirectoryStream(abs, ".*" + StoreFile.TEMP_SUFFIX)) {
                for (Path temp : temps) {
                    // a write that never reached its rename: the target still holds the value before it
                    Files.deleteIfExists(temp);
                    LOG.warn("store {}: removed {} left by an interrupted write", abs, temp.getFileName());
                }
            }
        } catch (IOException e) {
            throw new StoreException("cannot use store folder " + abs + " (kefu.store.dir): " + e, e);
        }
        return new SecretStore(abs);
    }

    /** What is on disk for this key now, read without opening (and cleaning up) the store: for tools and tests. */
    public static Optional<String> peek(Path dir, String key) {
        try {
            Path file = dir.toAbsolutePath().resolve(check(key));
            String value = StoreFile.read(file);
            return Optional.ofNullable(value != null ? value : StoreFile.read(file.resolveSibling(key + PREVIOUS)));
        } catch (IOException e) {
            throw new StoreException("cannot read " + dir.resolve(key) + ": " + e, e);
        }
    }

    public Path dir() {
        return dir;
    }

    public synchronized Optional<String> get(String key) {
        String known = values.get(check(key));
        if (known != null) {
            return Optional.of(known);
        }
        try {
            String value = StoreFile.read(dir.resolve(key));
            if (value == null && Files.exists(dir.resolve(key))) {
                value = StoreFile.read(dir.resolve(key + PREVIOUS));
                LOG.warn("store file {} is damaged; {}", dir.resolve(key),
                        value == null ? "no earlier value either" : "using the value it replaced");
            } else if (value == null) {
                // a crash between the two renames of put(): only the previous generation was written
                value = StoreFile.read(dir.resolve(key + PREVIOUS));
            }
            if (value != null) {
                values.put(key, value);
            }
            return Optional.ofNullable(value);
        } catch (IOException e) {
            throw new StoreException("cannot read " + dir.resolve(key) + ": " + e, e);
        }
    }

    /**
     * Stores the value; returns once it is on disk. The value is kept in memory first, so that even when the
     * disk write fails (and this throws) the process goes on with the newest value.
     */
    public synchronized void put(String key, String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("store value of " + key + " must not be empty");
        }
        Path file = dir.resolve(check(key));
        values.put(key, value);
        try {
            String before = StoreFile.read(file);
            if (before != null && !before.equals(value)) {
                StoreFile.write(dir.resolve(key + PREVIOUS), before);
            }
            StoreFile.write(file, value);
        } catch (IOException e) {
            throw new StoreException("cannot write " + file + " (kefu.store.dir): " + e, e);
        }
    }

    private static String check(String key) {
        if (key == null || !KEY.matcher(key).matches() || key.endsWith(PREVIOUS) || key.endsWith(StoreFile.TEMP_SUFFIX)) {
            throw new IllegalArgumentException("not a store key: " + key);
        }
        return key;
    }

    /** Names the folder and how many values are held, never a value. */
    @Override
    public String toString() {
        return "SecretStore[dir=" + dir + ", values=" + values.size() + " held, not shown]";
    }
}
