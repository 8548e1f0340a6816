package dev.kefurelay;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * How long each step of a start took, for one log line that says where the time to ready went (JVM, sandbox,
 * broker, Camel's configuration, Camel's start). Not thread-safe: the start runs on one thread.
 */
final class StartSteps {

    /** {@code beside}: it ran on another thread, beside the steps around it, so it is not part of the total. */
    record Step(String name, long millis, boolean beside) {
    }

    private final LongSupplier clockMillis;
    private final long begin;
    private final List<Step> steps = new ArrayList<>();
    private long last;

    /**
     * @param clockMillis  the wall clock in ms
     * @param beginMillis  when the first step began (the JVM's start for {@link #sinceJvmStart})
     */
    StartSteps(LongSupplier clockMillis, long beginMillis) {
        this.clockMillis = clockMillis;
        this.begin = beginMillis;
        this.last = beginMillis;
    }

    /** Steps counted from the JVM's start, so the first step is the JVM itself up to the relay's first line. */
    static StartSteps sinceJvmStart() {
        // the JVM's own start time in ms (ProcessHandle's start instant is only as exact as the boot time, 1 s)
        return new StartSteps(System::currentTimeMillis, ManagementFactory.getRuntimeMXBean().getStartTime());
    }

    /** Ends the current step under this name; the next one begins now. */
    void done(String name) {
        long now = clockMillis.getAsLong();
        steps.add(new Step(name, now - last, false));
        last = now;
    }

    /** A step that ran beside the others (on another thread), ending now after {@code millis}. */
    void beside(String name, long millis) {
        steps.add(new Step(name, millis, true));
    }

    List<Step> steps() {
        return List.copyOf(steps);
    }

    /** e.g. {@code jvm 410 ms, camel configure 500 ms, broker 620 ms beside, broker wait 120 ms; total 1130 ms}. */
    String summary() {
        StringBuilder s = new StringBuilder();
        for (Step step : steps) {
            s.append(s.length() == 0 ? "" : ", ").append(step.name()).append(' ').append(step.millis()).append(" ms")
                    .append(step.beside() ? " beside" : "");
        }
        return s.append("; total ").append(last - begin).append(" ms").toString();
    }
}
