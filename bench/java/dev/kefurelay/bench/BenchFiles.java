package dev.kefurelay.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** The benchmarks' folders removed after a run. JDK only: {@link CdsTraining} runs with nothing else at hand. */
final class BenchFiles {

    private BenchFiles() {
    }

    /** The folder and all in it, deepest first; a link is removed, never followed. */
    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
