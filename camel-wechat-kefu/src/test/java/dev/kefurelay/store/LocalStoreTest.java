package dev.kefurelay.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.kefurelay.media.LocalMediaIds;
import dev.kefurelay.media.MediaIds;
import dev.kefurelay.media.MediaKey;
import dev.kefurelay.media.SharedMediaIds;

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

    /** Over the local store, which keeps none, shared media ids are the relay's memory: the same as before. */
    @Test
    void sharedMediaIdsOverTheLocalStoreAreTheRelaysMemoryAlone() {
        AtomicLong nanos = new AtomicLong();
        KefuStore store = store();
        MediaIds ids = new SharedMediaIds(new LocalMediaIds(100, nanos::get), store, clock);
        MediaKey key = MediaKey.of("wx1", "image", new byte[] {1, 2, 3});
        ids.put(key, "media-1");
        assertEquals("media-1", ids.get(key));
        ids.remove(key, "media-1");
        assertNull(ids.get(key));
        ids.put(key, "media-2");
        nanos.addAndGet(LocalMediaIds.KEEP_FOR.toNanos());
        clock.advance(LocalMediaIds.KEEP_FOR);
        assertNull(ids.get(key), "expired in memory, and the store has no copy");
        ids.put(key, "media-3");
        // a restart: the new relay's memory is empty, and nothing was kept in the folder
        MediaIds restarted = new SharedMediaIds(new LocalMediaIds(100, nanos::get), another(store), clock);
        assertNull(restarted.get(key));
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
