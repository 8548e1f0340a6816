package dev.kefurelay.media;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import dev.kefurelay.message.InvalidMessageException;

/**
 * Reads a file source inside one folder and nowhere else. A message is input from other systems: a path that is
 * absolute, climbs out with {@code ..}, or reaches out through a symbolic link would let any sender upload whatever
 * the relay can read (its store, keys) to WeChat. The file is resolved to its real path and must stay under the
 * folder's real path; a link inside the folder to a file inside it is fine.
 */
public final class MediaFolder {

    private MediaFolder() {
    }

    /**
     * @param folder   the folder the path is relative to
     * @param relative the path as the message gives it
     * @param what     names the source in errors, e.g. {@code image.file 'promo.jpg'}
     * @param limits   a file over its type's limit is refused before it is read
     * @return the file's content
     */
    public static byte[] read(Path folder, String relative, String what, MediaLimits limits, String uploadType) {
        Path real = resolve(folder, relative, what);
        try {
            long size = Files.size(real);
            limits.checkSize(uploadType, size, what);
            try (InputStream in = Files.newInputStream(real, LinkOption.NOFOLLOW_LINKS)) {
                // the size may have grown since: never read past the limit
                byte[] content = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limits.of(uploadType) + 1));
                if (content.length > limits.of(uploadType)) {
                    throw limits.overLimit(uploadType, what);
                }
                return content;
            }
        } catch (IOException e) {
            throw new InvalidMessageException(what + " cannot be read (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** The file's real path, once it is known to be a regular file inside the folder. */
    static Path resolve(Path folder, String relative, String what) {
        Path path;
        try {
            path = Path.of(relative);
        } catch (InvalidPathException e) {
            // a NUL, or whatever else this file system refuses in a name: the sender's mistake, not the relay's
            throw new InvalidMessageException(what + " is not a valid path (" + e.getReason() + ")");
        }
        if (path.isAbsolute() || relative.startsWith("/") || relative.startsWith("\\")) {
            throw new InvalidMessageException(what + " is an absolute path: give a path relative to the media folder");
        }
        for (Path part : path) {
            if (part.toString().equals("..")) {
                throw new InvalidMessageException(what + " leaves the media folder ('..' is not allowed)");
            }
        }
        Path root;
        try {
            root = folder.toRealPath();
        } catch (IOException e) {
            throw new InvalidMessageException(what + ": the media folder " + folder + " does not exist");
        }
        Path real;
        try {
            real = root.resolve(path).toRealPath();
        } catch (NoSuchFileException e) {
            throw new InvalidMessageException(what + " is not in the media folder " + folder);
        } catch (IOException e) {
            throw new InvalidMessageException(what + " cannot be read (" + e.getClass().getSimpleName() + ")");
        }
        if (!real.startsWith(root)) {
            throw new InvalidMessageException(what + " leaves the media folder (a symbolic link points outside)");
        }
        if (!Files.isRegularFile(real)) {
            throw new InvalidMessageException(what + " is not a regular file");
        }
        return real;
    }
}
