package dev.kefurelay.bench;

import java.io.IOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

import com.sun.management.OperatingSystemMXBean;
import com.sun.management.ThreadMXBean;
import com.sun.tools.attach.VirtualMachine;

/**
 * A JVM the benchmark starts (the packaged relay with {@code java -jar}, or a peer, which measures itself) and
 * watches from outside: the relay's process CPU time, JIT compile time and heap come from its own platform MXBeans,
 * read over a local JMX connection (the Attach API starts the child's local management agent), so the benchmark's
 * JVM, where the fake WeChat and the JMS producer run, is never counted as the relay's.
 */
final class ChildJvm implements AutoCloseable {

    private final Process process;
    private final Path log;
    private JMXConnector jmx;
    private MBeanServerConnection connection;
    private OperatingSystemMXBean os;
    private CompilationMXBean jit;
    private MemoryMXBean memory;
    private ThreadMXBean threads;

    private ChildJvm(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts {@code java <args>} in {@code workDir}, its stdout and stderr to {@code log}. */
    static ChildJvm start(List<String> args, Path workDir, Path log) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(args);
        return run(command, workDir, log);
    }

    /**
     * Starts the launcher script beside {@code jar} ({@code sh kefu-relay.sh <args>}, which execs java: the same
     * process) on this JVM's JDK (JAVA_HOME), in {@code workDir}, its stdout and stderr to {@code log}.
     */
    static ChildJvm launch(Path jar, List<String> args, Path workDir, Path log) throws IOException {
        List<String> command = new ArrayList<>(List.of("sh", jar.resolveSibling("kefu-relay.sh").toString()));
        command.addAll(args);
        return run(command, workDir, log);
    }

    private static ChildJvm run(List<String> command, Path workDir, Path log) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        // the launcher would add a JAVA_OPTS of the shell that runs the build to what is trained or measured
        builder.environment().remove("JAVA_OPTS");
        return new ChildJvm(builder.start(), log);
    }

    /**
     * The relay's JVM options: {@code base}, then the launcher's own (jvm.options beside the jar, which kefu-relay.sh
     * passes: the relay as users run it), then {@code -Dbench.relayArgs} (e.g. a JFR recording), which come last
     * and so win ({@code -Dbench.relayArgs=-XX:TieredStopAtLevel=4}: C2 as well).
     */
    static List<String> relayOptions(Path jar, List<String> base) {
        List<String> options = new ArrayList<>(base);
        Path launcher = jar.resolveSibling("jvm.options");
        if (Files.exists(launcher)) {
            options.add("@" + launcher);
        }
        String extra = System.getProperty("bench.relayArgs", "").strip();
        if (!extra.isEmpty()) {
            options.addAll(List.of(extra.split("\\s+")));
        }
        return options;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Polls the URL every 10 ms until it answers 200; returns when it did. Fails if the child exits first. */
    void awaitOk(HttpClient http, String url, Duration timeout) throws Exception {
        long until = System.nanoTime() + timeout.toNanos();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build();
        while (System.nanoTime() < until) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the child JVM exited with " + process.exitValue() + "; see " + log);
            }
            try {
                if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(10);
        }
        throw new IllegalStateException(url + " not 200 within " + timeout + "; see " + log);
    }

    /** Polls the child's log every 10 ms until a line contains {@code text}. Fails if the child exits first. */
    void awaitLine(String text, Duration timeout) throws Exception {
        long until = System.nanoTime() + timeout.toNanos();
        while (logLine(text).isEmpty()) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the child JVM exited with " + process.exitValue() + "; see " + log);
            }
            if (System.nanoTime() > until) {
                throw new IllegalStateException("'" + text + "' not logged within " + timeout + "; see " + log);
            }
            Thread.sleep(10);
        }
    }

    /** Connects to the child's platform MXBeans (once). */
    ChildJvm attach() throws Exception {
        VirtualMachine vm = VirtualMachine.attach(String.valueOf(process.pid()));
        String address;
        try {
            address = vm.startLocalManagementAgent();
        } finally {
            vm.detach();
        }
        jmx = JMXConnectorFactory.connect(new JMXServiceURL(address));
        MBeanServerConnection c = jmx.getMBeanServerConnection();
        connection = c;
        os = ManagementFactory.newPlatformMXBeanProxy(c, ManagementFactory.OPERATING_SYSTEM_MXBEAN_NAME,
                OperatingSystemMXBean.class);
        jit = ManagementFactory.newPlatformMXBeanProxy(c, ManagementFactory.COMPILATION_MXBEAN_NAME,
                CompilationMXBean.class);
        memory = ManagementFactory.newPlatformMXBeanProxy(c, ManagementFactory.MEMORY_MXBEAN_NAME, MemoryMXBean.class);
        threads = ManagementFactory.newPlatformMXBeanProxy(c, ManagementFactory.THREAD_MXBEAN_NAME, ThreadMXBean.class);
        return this;
    }

    /** The child's MBeans (after {@link #attach}). */
    MBeanServerConnection connection() {
        return connection;
    }

    long pid() {
        return process.pid();
    }

    /** CPU time the child process has used, all its threads, in ns. */
    long cpuNanos() {
        return os.getProcessCpuTime();
    }

    /** One live Java thread's CPU time so far, in ns, and the group its name puts it in. */
    record ThreadCpu(String group, long nanos) {
    }

    /**
     * CPU time so far of each of the child's live Java threads, by thread id. Phases diff two of these thread by
     * thread ({@code RelayBenchmark.since}): summing by group first would count a thread that ended in between as
     * negative CPU of its group. The JIT's and the GC's threads are not Java threads: they, and threads that ended,
     * are the process's CPU time less these.
     */
    Map<Long, ThreadCpu> threadCpu() {
        long[] ids = threads.getAllThreadIds();
        long[] cpu = threads.getThreadCpuTime(ids);
        java.lang.management.ThreadInfo[] info = threads.getThreadInfo(ids);
        Map<Long, ThreadCpu> live = new HashMap<>();
        for (int i = 0; i < ids.length; i++) {
            if (info[i] != null && cpu[i] > 0) {
                live.put(ids[i], new ThreadCpu(threadGroup(info[i].getThreadName()), cpu[i]));
            }
        }
        return live;
    }

    static final List<String> THREAD_GROUPS = List.of("JMS consumers", "inbox senders", "Artemis", "other");

    static String threadGroup(String name) {
        if (name.contains("JmsConsumer[")) {
            return "JMS consumers";
        }
        if (name.contains("kefu-inbox-send")) {
            return "inbox senders";
        }
        return name.toLowerCase(java.util.Locale.ROOT).contains("activemq") ? "Artemis" : "other";
    }

    /** Time the child's JIT compilers have spent so far, in ms. */
    long jitMillis() {
        return jit.getTotalCompilationTime();
    }

    /** Heap in use right after a full GC of the child (its live set), in bytes. */
    long liveHeapBytes() {
        memory.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }

    /** The first line of the child's log that contains {@code text}, or "" when none does (yet). */
    String logLine(String text) throws IOException {
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            if (line.contains(text)) {
                return line;
            }
        }
        return "";
    }

    /** Waits for the child to exit by itself; fails if it does not within the timeout or exits with an error. */
    void waitFor(Duration timeout) throws Exception {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("the child JVM did not exit within " + timeout + "; see " + log);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("the child JVM exited with " + process.exitValue() + "; see " + log);
        }
    }

    /** SIGTERM, as a service manager stops the relay, then waits for the exit. */
    @Override
    public void close() throws Exception {
        if (jmx != null) {
            try {
                jmx.close();
            } catch (IOException gone) {
                // the child stopped first
            }
        }
        process.destroy();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
