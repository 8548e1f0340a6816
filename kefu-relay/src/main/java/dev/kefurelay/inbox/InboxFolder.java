package dev.kefurelay.inbox;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

import dev.kefurelay.config.ConfigException;
import dev.kefurelay.config.Key;

/**
 * The inbox folder itself: made at start, and read as the file endpoint reads it. A real listing, not
 * {@link Files#isReadable}: that asks the permission bits, which root passes whatever they say, while what fails for
 * every user alike (a folder gone, replaced by a file, unmounted, or one an ordinary user may not read) fails the
 * listing, and with it every poll of the file endpoint, which alone would say nothing and find no file.
 */
public final class InboxFolder {

    private InboxFolder() {
    }

    /**
     * Creates the folder if it is not there and lists it once; one that cannot be created or read stops the start,
     * naming the key and the path.
     */
    public static void require(Path inbox) {
        try {
            Files.createDirectories(inbox);
            list(inbox);
        } catch (IOException e) {
            throw new ConfigException(Key.INBOX_DIR.key() + "=" + inbox + ": cannot create or read the inbox folder ("
                    + why(e) + "): choose another kefu.inbox.dir, or make " + inbox.toAbsolutePath()
                    + " a folder the relay's user can write");
        }
    }

    /** Opens the folder and reads its first entry, as a poll does; throws why it cannot. */
    static void list(Path folder) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
            entries.iterator().hasNext();
        } catch (DirectoryIteratorException e) {
            throw e.getCause();
        }
    }

    /** A file system error in words, without the stack of names Java gives its exceptions. */
    static String why(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "it does not exist (" + e.getMessage() + ")";
        }
        if (e instanceof NotDirectoryException || e instanceof FileAlreadyExistsException) {
            return "not a folder (" + e.getMessage() + ")";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied (" + e.getMessage() + ")";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
