package dev.kefurelay.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * CPU time of a JVM's native threads that Java cannot see, from Linux's own counters: the JIT's compiler threads
 * and the GC's threads are no Java threads a ThreadMXBean lists, but each is a task under {@code /proc/<pid>/task}
 * whose {@code comm} is its HotSpot name ("C2 CompilerThre", "GC Thread#0", "G1 Conc#0") and whose
 * {@code schedstat} holds its time on a CPU in ns. Reads another process as well as this one ({@code pid} of
 * {@link ProcessHandle#current()}). A thread that ended between two readings is lost to its group (HotSpot keeps
 * at least one compiler thread of each kind), so these are lower bounds; elsewhere than Linux they read 0.
 */
record ProcCpu(long compilerNanos, long gcNanos) {

    static final ProcCpu NONE = new ProcCpu(0, 0);

    static ProcCpu of(long pid) {
        Path tasks = Path.of("/proc", String.valueOf(pid), "task");
        if (!Files.isDirectory(tasks)) {
            return NONE;
        }
        long compiler = 0;
        long gc = 0;
        try (DirectoryStream<Path> all = Files.newDirectoryStream(tasks)) {
            for (Path task : all) {
                try {
                    String name = Files.readString(task.resolve("comm")).strip();
                    boolean isCompiler = name.contains("CompilerThre");
                    boolean isGc = name.startsWith("GC Thread") || name.startsWith("G1 ");
                    if (isCompiler || isGc) {
                        long nanos = Long.parseLong(Files.readString(task.resolve("schedstat")).split(" ")[0]);
                        if (isCompiler) {
                            compiler += nanos;
                        } else {
                            gc += nanos;
                        }
                    }
                } catch (NoSuchFileException ended) {
                    // the thread ended while the folder was read
                }
            }
        } catch (IOException e) {
            return NONE;
        }
        return new ProcCpu(compiler, gc);
    }

    ProcCpu minus(ProcCpu before) {
        return new ProcCpu(Math.max(0, compilerNanos - before.compilerNanos), Math.max(0, gcNanos - before.gcNanos));
    }
}
