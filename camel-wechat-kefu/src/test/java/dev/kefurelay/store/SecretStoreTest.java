package dev.kefurelay.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretStoreTest {

    @TempDir
    Path dir;

    @Test
    void aValueSurvivesReopeningWithOwnerOnlyPermissions() throws Exception {
        Path storeDir = dir.resolve("data").resolve("store");
        SecretStore.open(storeDir).put("authorizer-wx1.refresh-token", "refresh-value-1");
        assertEquals(Optional.of("refresh-value-1"), SecretStore.open(storeDir).get("authorizer-wx1.refresh-token"));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(storeDir)));
        // the folder above also holds the inbox: it gets the usual permissions (the umask's), not owner-only
        assertEquals(Files.getPosixFilePermissions(Files.createDirectory(dir.resolve("plain"))),
                Files.getPosixFilePermissions(storeDir.getParent()));
        assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(storeDir.resolve("authorizer-wx1.refresh-token"))));
    }

    @Test
    void aWriteKilledBeforeItsRenameLeavesTheOldValueAndItsTempIsCleanedUp() throws Exception {
        SecretStore.open(dir).put("k", "good-old-value");
        // kill -9 mid-write: a temp file cut short, never renamed
        byte[] full = StoreFile.encode("the-new-value-being-written");
        Path temp = dir.resolve(".k." + "crashed" + StoreFile.TEMP_SUFFIX);
        Files.write(temp, Arrays.copyOf(full, full.length / 2));
        SecretStore reopened = SecretStore.open(dir);
        assertEquals(Optional.of("good-old-value"), reopened.get("k"));
        assertFalse(Files.exists(temp), "the crashed write's temp file is removed on open");
    }

    @Test
    void aStoreFileCutShortFallsBackToThePreviousValue() throws Exception {
        SecretStore store = SecretStore.open(dir);
        store.put("k", "first-value");
        store.put("k", "second-value");
        Path file = dir.resolve("k");
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length - 3));
        assertEquals(Optional.of("first-value"), SecretStore.open(dir).get("k"));
        // changed bytes of the right length are caught by the checksum
        Files.write(file, new String(bytes, StandardCharsets.UTF_8).replace("second", "SECOND")
                .getBytes(StandardCharsets.UTF_8));
        assertEquals(Optional.of("first-value"), SecretStore.open(dir).get("k"));
        // and the next write repairs it
        SecretStore repaired = SecretStore.open(dir);
        repaired.put("k", "third-value");
        assertEquals(Optional.of("third-value"), SecretStore.open(dir).get("k"));
    }

    @Test
    void keysAreIndependentFiles() throws Exception {
        SecretStore store = SecretStore.open(dir);
        store.put("a", "value-a");
        store.put("b", "value-b");
        Files.write(dir.resolve("a"), new byte[] {1, 2, 3});
        assertEquals(Optional.of("value-b"), SecretStore.open(dir).get("b"));
        assertEquals(Optional.empty(), SecretStore.open(dir).get("missing"));
    }

    @Test
    void toStringShowsNoValue() {
        SecretStore store = SecretStore.open(dir);
        store.put("k", "super-secret-refresh-token");
        assertFalse(store.toString().contains("super-secret-refresh-token"), store.toString());
        assertTrue(store.toString().contains(dir.toString()));
    }

    @Test
    void noTempFileRemainsAfterWrites() throws Exception {
        SecretStore store = SecretStore.open(dir);
        for (int i = 0; i < 20; i++) {
            store.put("k", "v" + i);
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(java.util.Set.of("k", "k.prev"),
                    files.map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.toSet()));
        }
    }
}
