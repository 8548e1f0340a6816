package dev.kefurelay.bench;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One timed phase of a measured JVM: its messages, wall time, and what the JVM's own counters say it used meanwhile,
 * all its threads: process CPU time, JIT compile time (CompilationMXBean, summed over the compiler threads), and the
 * CPU of its compiler and GC threads ({@link ProcCpu}).
 *
 * @param sentNanos   JMS phases: when the producer had committed the last message (0: not a JMS phase)
 * @param perSecond   JMS phases: the messages the fake WeChat saw in each second (how the rate ramps)
 * @param threadNanos the relay's CPU by thread group (RelayBenchmark.since); empty: not read
 * @param failures    messages that did not end delivered
 */
record Phase(String name, int messages, long nanos, long cpuNanos, long jitMillis, ProcCpu hotspot, long sentNanos,
        List<Long> perSecond, Map<String, Long> threadNanos, long failures) {

    /** A warm-up is over once the JIT worked for less than this share of a phase's wall time. */
    static final double JIT_QUIET = 0.05;

    /** The line a peer prints for each phase, read back by {@link #parse}. */
    String wire() {
        return String.format("phase %s %d %d %d %d %d %d %d %d %d", name, messages, nanos, cpuNanos, jitMillis,
                hotspot.compilerNanos(), hotspot.gcNanos(), hotspot.kernelNanos(), hotspot.contextSwitches(),
                failures);
    }

    static Phase parse(String system, String line) {
        String[] f = line.split(" ");
        return new Phase(system + " " + f[1], Integer.parseInt(f[2]), Long.parseLong(f[3]), Long.parseLong(f[4]),
                Long.parseLong(f[5]), new ProcCpu(Long.parseLong(f[6]), Long.parseLong(f[7]), Long.parseLong(f[8]),
                Long.parseLong(f[9])), 0, List.of(), Map.of(), Long.parseLong(f[10]));
    }

    double rate() {
        return messages * 1e9 / nanos;
    }

    double cpuMsPerMessage() {
        return cpuNanos / 1e6 / messages;
    }

    /** CPU per message without the compiler threads' (what the code costs once compiled). */
    double cpuMsPerMessageWithoutJit() {
        return Math.max(0, cpuNanos - hotspot.compilerNanos()) / 1e6 / messages;
    }

    double gcMsPerMessage() {
        return hotspot.gcNanos() / 1e6 / messages;
    }

    /** The process's CPU in the kernel a message: system calls (sockets, futexes), all threads. */
    double kernelMsPerMessage() {
        return hotspot.kernelNanos() / 1e6 / messages;
    }

    double switchesPerMessage() {
        return (double) hotspot.contextSwitches() / messages;
    }

    /** The JIT's compile time as a share of wall time. */
    double jitShare() {
        return jitMillis * 1e6 / nanos;
    }

    boolean jitQuiet() {
        return jitShare() < JIT_QUIET;
    }

    /**
     * Whether a JVM that ran {@code done} phases, {@code last} the latest, runs another: at least {@code min}, then
     * on until the JIT is quiet in one, at most {@code max}.
     */
    static boolean another(int done, Phase last, int min, int max) {
        return done < min || (!last.jitQuiet() && done < max);
    }

    /** One thread group's CPU in ms a message (0 when the phase did not read threads). */
    double groupMsPerMessage(String group) {
        return threadNanos.getOrDefault(group, 0L) / 1e6 / messages;
    }

    /** "JMS consumers 0.31, Artemis 0.15, ..., JIT, GC and ended threads 0.01" in ms a message. */
    String byThread() {
        StringBuilder b = new StringBuilder();
        long rest = cpuNanos;
        for (Map.Entry<String, Long> e : threadNanos.entrySet()) {
            rest -= e.getValue();
            if (e.getValue() > 0) {
                b.append(String.format("%s %.3f, ", e.getKey(), groupMsPerMessage(e.getKey())));
            }
        }
        return b.append(String.format("JIT, GC and ended threads %.3f", Math.max(0, rest) / 1e6 / messages))
                .toString();
    }

    String line() {
        return String.format("%-28s %6d msg in %6.2f s = %7.1f msg/s, CPU %.3f ms/msg (%.3f without the compiler "
                + "threads; GC threads %.3f, kernel %.3f; %.1f context switches/msg), JIT %.1f s (%.0f%% of the "
                + "phase)%s%s", name, messages, nanos / 1e9, rate(), cpuMsPerMessage(), cpuMsPerMessageWithoutJit(),
                gcMsPerMessage(), kernelMsPerMessage(), switchesPerMessage(), jitMillis / 1e3, 100 * jitShare(),
                failures > 0 ? ", " + failures + " FAILED" : "",
                sentNanos > 0 ? String.format(" (all on the queue after %.2f s)", sentNanos / 1e9) : "")
                + (threadNanos.isEmpty() ? "" : "; CPU ms/msg by thread: " + byThread())
                + (perSecond.isEmpty() ? "" : "; per second: " + perSecond.stream().map(String::valueOf)
                        .collect(Collectors.joining(", ")));
    }
}
