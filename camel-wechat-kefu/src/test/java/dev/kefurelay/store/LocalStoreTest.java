package dev.kefurelay.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store contract for the embedded default: files in one folder, one relay at a time. */
class LocalStoreTest extends KefuStoreContract {

    @TempDir
    Path dir;

    @Override
    protected KefuStore open(StoreSettings settings) {
        return LocalStore.open(dir.resolve("store"), settings);
    }

    @Override
    protected boolean sharedAtOnce() {
        return false;
    }

    /** It names accounts and callers' ids: owner-only like the store's other files, whatever the umask made before. */
    @Test
    void theDeliveredIdsLogIsOwnerOnlyWhenCreatedAndWhenFoundReadableByOthers() throws Exception {
        Assumptions.assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"), "POSIX only");
        KefuStore first = store();
        first.claimId("wx1", "id-1").get(10, TimeUnit.SECONDS).delivered();
        first.close();
        Path log = dir.resolve("store").resolve(LocalIds.FILE);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(log)));

        // as an older relay left it
        Files.setPosixFilePermissions(log, PosixFilePermissions.fromString("rw-r--r--"));
        KefuStore again = store();
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(log)));
        assertEquals(IdClaim.Verdict.DUPLICATE, again.claimId("wx1", "id-1").get(10, TimeUnit.SECONDS).verdict());
    }
}
