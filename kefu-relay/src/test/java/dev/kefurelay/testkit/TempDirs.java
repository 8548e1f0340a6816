package dev.kefurelay.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Temp folders of the fixtures that outlive one test method (JUnit's {@code @TempDir} cannot be injected into an
 * extension), removed by the fixture when it stops.
 */
public final class TempDirs {

    private TempDirs() {
    }

    /** A new temp folder, named after {@code prefix}. */
    public static Path create(String prefix) throws IOException {
        return Files.createTempDirectory(prefix);
    }

    /** Removes {@code root} and all in it; null or already gone is fine. */
    public static void deleteQuietly(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp dir left behind is harmless
        }
    }
}
