package dev.kefurelay.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * What a JVM's counters in Linux's {@code /proc/<pid>} add to what Java shows: the CPU of the JIT's compiler threads
 * and of the GC's threads (no Java threads a ThreadMXBean lists, but each a task whose {@code comm} is its HotSpot
 * name, "C2 CompilerThre", "GC Thread#0", "G1 Conc#0", with its time on a CPU in ns in {@code schedstat}); the
 * process's time in the kernel (system calls: sockets, futexes for parking and waking threads); and the context
 * switches of all its threads, a thread's wait for another's work being two. Reads another process as well as this
 * one ({@link ProcessHandle#current()}). A thread that ended between two readings is lost to the per-thread
 * counts (HotSpot keeps at least one compiler thread of each kind), so those are lower bounds; elsewhere than Linux
 * all read 0.
 */
record ProcCpu(long compilerNanos, long gcNanos, long kernelNanos, long contextSwitches) {

    static final ProcCpu NONE = new ProcCpu(0, 0, 0, 0);

    /** USER_HZ, the unit of /proc/<pid>/stat's times: 100 on every Linux the JDK runs on. */
    private static final long TICK_NANOS = 10_000_000L;

    static ProcCpu of(long pid) {
        Path proc = Path.of("/proc", String.valueOf(pid));
        if (!Files.isDirectory(proc)) {
            return NONE;
        }
        long compiler = 0;
        long gc = 0;
        long switches = 0;
        long kernel;
        try (DirectoryStream<Path> all = Files.newDirectoryStream(proc.resolve("task"))) {
            String stat = Files.readString(proc.resolve("stat"));
            // after the command's closing parenthesis: state is field 3, stime field 15
            kernel = Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[12]) * TICK_NANOS;
            for (Path task : all) {
                try {
                    switches += switches(Files.readString(task.resolve("status")));
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
        } catch (IOException | RuntimeException e) {
            return NONE;
        }
        return new ProcCpu(compiler, gc, kernel, switches);
    }

    private static long switches(String status) {
        long n = 0;
        for (String line : status.split("\n")) {
            if (line.startsWith("voluntary_ctxt_switches:") || line.startsWith("nonvoluntary_ctxt_switches:")) {
                n += Long.parseLong(line.substring(line.indexOf(':') + 1).strip());
            }
        }
        return n;
    }

    ProcCpu minus(ProcCpu before) {
        return new ProcCpu(Math.max(0, compilerNanos - before.compilerNanos), Math.max(0, gcNanos - before.gcNanos),
                Math.max(0, kernelNanos - before.kernelNanos), Math.max(0, contextSwitches - before.contextSwitches));
    }
}
