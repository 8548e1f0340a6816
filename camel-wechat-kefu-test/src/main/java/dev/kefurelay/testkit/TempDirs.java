package dev.kefurelay.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Temp folders of the fixtures that outlive one test method (JUnit's {@code @TempDir} cannot be injected into an
 * extension), removed by the fixture when it stops. Links are removed, never followed (Camel's FileUtil.removeDir
 * follows a link to a folder and empties it: tests make such links to check the media folder's confinement).
 */
public final class TempDirs {

    private TempDirs() {
    }

    /** A new temp folder, named after {@code prefix}. */
    public static Path create(String prefix) throws IOException {
        return Files.createTempDirectory(prefix);
    }

    /**
     * Removes {@code root} and all in it; null or already gone is fine, and so is what cannot be removed: a component
     * still stopping may write as the folder goes, and what is left is the system's temporary folder's to clean.
     */
    public static void deleteQuietly(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // a temp dir left behind is harmless
        }
    }
}
