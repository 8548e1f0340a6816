package dev.kefurelay.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One of the systems the relay is measured against, in a JVM of its own (so that its CPU counters are its own):
 * {@code concurrency} caller threads hand messages {@code 0..size-1} of {@link BenchTexts} to a {@link Sender}, which
 * delivers them to the fake WeChat as that system does. The first phase ({@code cold} messages) starts right after
 * the system was set up, before any message; then phases of {@code n} until the JIT is quiet in one, at least
 * {@code minPhases} in all, at most {@code maxPhases} ({@link Phase#another}). Prints one {@link Phase#wire} line per
 * phase for {@link RelayBenchmark}, CPU and JIT from this JVM's own counters, all its threads.
 *
 * <p>Arguments: system baseUrl cold n concurrency accounts minPhases maxPhases. Systems: {@code jdk} (a bare
 * java.net.http.HttpClient posting prepared bodies with tokens fetched before the first phase), {@code component}
 * and {@code component-async} (wechat-kefu:send in a DefaultCamelContext, its defaults and {@code synchronous=false}),
 * {@code wxjava} and {@code wxjava64} (WxJava's WxMpKefuService with its default pool, and with 64 connections; only
 * with the bench profile, which adds WxJava and bench/wxjava).
 */
public final class PeerClient {

    /** A system that delivers message {@code i} of {@link BenchTexts}; true when it reports it delivered. */
    interface Sender extends AutoCloseable {
        boolean send(int i) throws Exception;

        @Override
        default void close() throws Exception {
        }
    }

    public static void main(String[] args) throws Exception {
        String system = args[0];
        String baseUrl = args[1];
        int cold = Integer.parseInt(args[2]);
        int n = Integer.parseInt(args[3]);
        int concurrency = Integer.parseInt(args[4]);
        List<String> appids = RelayBenchmark.appids(Integer.parseInt(args[5]));
        int minPhases = Integer.parseInt(args[6]);
        int maxPhases = Integer.parseInt(args[7]);
        ExecutorService callers = Executors.newFixedThreadPool(concurrency);
        try (Sender sender = sender(system, baseUrl, appids, Math.max(cold, n))) {
            Phase last = phase("cold", cold, sender, callers, concurrency);
            for (int done = 1; Phase.another(done, last, minPhases, maxPhases); done++) {
                last = phase(String.valueOf(done + 1), n, sender, callers, concurrency);
            }
        }
        System.exit(0);
    }

    static Sender sender(String system, String baseUrl, List<String> appids, int size) throws Exception {
        return switch (system) {
            case "jdk" -> new JdkSender(baseUrl, appids, size);
            case "component" -> new ComponentSender(baseUrl, appids, "", Path.of("component-store"), size);
            case "component-async" -> new ComponentSender(baseUrl, appids, "?synchronous=false",
                    Path.of("component-store"), size);
            // compiled only with the bench profile (bench/wxjava): looked up by name so that bench/java builds alone
            case "wxjava", "wxjava64" -> (Sender) Class.forName("dev.kefurelay.bench.WxJavaSender")
                    .getDeclaredConstructor(String.class, List.class, int.class, int.class)
                    .newInstance(baseUrl, appids, system.equals("wxjava64") ? 64 : 0, size);
            default -> throw new IllegalArgumentException("unknown system '" + system + "' in bench.systems: jdk, "
                    + "wxjava, wxjava64, component, component-async, relay, broker-only");
        };
    }

    private static Phase phase(String name, int messages, Sender sender, ExecutorService callers, int concurrency)
            throws Exception {
        try (PhaseRecording recording = PhaseRecording.start(name)) {
            return measure(name, messages, sender, callers, concurrency);
        }
    }

    private static Phase measure(String name, int messages, Sender sender, ExecutorService callers, int concurrency)
            throws Exception {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        var jit = ManagementFactory.getCompilationMXBean();
        long pid = ProcessHandle.current().pid();
        ProcCpu hotspot0 = ProcCpu.of(pid);
        long cpu0 = os.getProcessCpuTime();
        long jit0 = jit.getTotalCompilationTime();
        long t0 = System.nanoTime();
        long failures = sendAll(messages, sender, callers, concurrency);
        long nanos = System.nanoTime() - t0;
        Phase p = new Phase(name, messages, nanos, os.getProcessCpuTime() - cpu0, jit.getTotalCompilationTime() - jit0,
                ProcCpu.of(pid).minus(hotspot0), 0, List.of(), java.util.Map.of(), failures);
        System.out.println(p.wire());
        return p;
    }

    /** Messages 0..messages-1 from {@code concurrency} callers, each taking the next; returns how many failed. */
    static long sendAll(int messages, Sender sender, ExecutorService callers, int concurrency) throws Exception {
        AtomicInteger next = new AtomicInteger();
        AtomicLong failures = new AtomicLong();
        AtomicLong firstFailure = new AtomicLong();
        List<Future<?>> all = new ArrayList<>();
        for (int c = 0; c < concurrency; c++) {
            all.add(callers.submit(() -> {
                for (int i = next.getAndIncrement(); i < messages; i = next.getAndIncrement()) {
                    boolean ok;
                    try {
                        ok = sender.send(i);
                    } catch (Exception e) {
                        ok = false;
                        if (firstFailure.compareAndSet(0, 1)) {
                            // one per phase, for the log; the count is in the phase line
                            System.out.println("first failure: " + e);
                        }
                    }
                    if (!ok) {
                        failures.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : all) {
            f.get();
        }
        return failures.get();
    }
}
