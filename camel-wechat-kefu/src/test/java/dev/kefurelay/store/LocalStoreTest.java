package dev.kefurelay.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.kefurelay.media.LocalMediaIds;
import dev.kefurelay.media.MediaIds;
import dev.kefurelay.media.MediaKey;
import dev.kefurelay.media.SharedMediaIds;
import dev.kefurelay.window.Interaction;
import dev.kefurelay.window.WindowPlace;

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
    public boolean sharedAtOnce() {
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

    /** At a stop the log is rewritten to one line a user; a line a crash cut short is skipped, the others kept. */
    @Test
    void theWindowBookIsOneLineAUserAfterAStopOwnerOnlyAndALineCutShortIsSkipped() throws Exception {
        KefuStore first = store();
        Instant t0 = clock.instant();
        first.recordInteraction("wx1", "o1", Interaction.MESSAGE, t0);
        for (int i = 0; i < 5; i++) {
            first.takeWindowPlace("wx1", "o1", t0);
        }
        first.recordInteraction("wx1", "o2", Interaction.MENU_CLICK, t0);
        Path log = dir.resolve("store").resolve(LocalWindows.FILE);
        assertEquals(7, Files.readAllLines(log).size(), "each change appended");
        first.close();
        assertEquals(2, Files.readAllLines(log).size());
        if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(log)));
        }
        Files.writeString(log, "wx1 o3 " + t0.toEpochMilli() * 1000, StandardOpenOption.APPEND);
        KefuStore again = store();
        assertEquals(WindowPlace.CLOSED, again.takeWindowPlace("wx1", "o1", t0), "five used");
        assertEquals(WindowPlace.taken(t0), again.takeWindowPlace("wx1", "o2", t0));
        assertEquals(WindowPlace.UNKNOWN, again.takeWindowPlace("wx1", "o3", t0), "cut short: not recorded");
    }

    /**
     * A relay killed (no stop, nothing forced): the next start reads the book from what was appended, which the
     * page cache holds. Copying the folder while the store is open is what a kill leaves.
     */
    @Test
    void afterAKillTheBookIsReadFromTheLogAsAppended() throws Exception {
        KefuStore running = store();
        Instant t0 = clock.instant();
        running.recordInteraction("wx1", "o1", Interaction.MESSAGE, t0);
        running.takeWindowPlace("wx1", "o1", t0);
        running.takeWindowPlace("wx1", "o1", t0);
        running.closeWindow("wx1", "o2", t0);
        running.rememberChannelMsgId("wx1", "200228332", "order-1");
        Path killed = dir.resolve("killed");
        Files.createDirectories(killed);
        try (var files = Files.list(dir.resolve("store"))) {
            for (Path f : files.toList()) {
                Files.copy(f, killed.resolve(f.getFileName()));
            }
        }
        KefuStore restarted = LocalStore.open(killed, new StoreSettings(Duration.ofSeconds(5), Duration.ofSeconds(5),
                100, clock, StoreListener.NONE));
        try {
            int taken = 0;
            for (int i = 0; i < 5; i++) {
                taken += restarted.takeWindowPlace("wx1", "o1", t0).verdict() == WindowPlace.Verdict.TAKEN ? 1 : 0;
            }
            assertEquals(3, taken);
            assertEquals(WindowPlace.CLOSED, restarted.takeWindowPlace("wx1", "o2", t0));
            assertEquals(Optional.of("order-1"), restarted.messageIdOf("wx1", "200228332"));
        } finally {
            restarted.close();
        }
    }
}
