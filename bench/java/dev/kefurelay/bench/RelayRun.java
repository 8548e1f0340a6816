package dev.kefurelay.bench;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import dev.kefurelay.ops.BrokerProbe;

/**
 * The relay as a system of the benchmark: the packaged jar ({@code java -jar}, the launcher's jvm.options, its
 * embedded broker and bundled routes) against the fake WeChat, fed over JMS from the benchmark's JVM. Phases as the
 * peers' (cold, then until the JIT is quiet), all through JMS; then through the inbox (one .jsonl per phase) until
 * its JIT is quiet too, and the heap phase. Its CPU is read from outside over JMX (process, JIT, each Java
 * thread) and /proc (compiler and GC threads).
 */
final class RelayRun {

    private RelayRun() {
    }

    static SystemResult run(RelayBenchmark.Settings s, FakeWeChat wechat, HttpClient http, Path dir)
            throws Exception {
        List<String> appids = RelayBenchmark.appids(s.accounts());
        List<String> bodies = BenchTexts.relayBodies(Math.max(Math.max(s.n(), s.cold()), s.heapCheck()), appids);
        int httpPort = ChildJvm.freePort();
        int brokerPort = ChildJvm.freePort();
        Path inbox = dir.resolve("inbox");
        List<String> a = new ArrayList<>(s.relayJvm());
        if (s.cds()) {
            a.add("-XX:SharedArchiveFile=" + s.archive());
        }
        a.add("-Dkefu.wechat.base-url=" + wechat.baseUrl());
        a.addAll(accountSettings(appids));
        a.addAll(List.of("-Dkefu.jms.concurrency=" + s.concurrency(), "-Dkefu.inbox.dir=" + inbox,
                "-Dkefu.http.port=" + httpPort, "-Dkefu.broker.port=" + brokerPort,
                "-Dkefu.inbox.max-size=" + Math.max(64L << 20, s.n() * 1024L), "-jar", s.jar().toString()));
        String brokerUrl = "tcp://127.0.0.1:" + brokerPort;
        Path work = Files.createDirectories(dir.resolve("relay"));
        copyRoutes(work);
        List<String> notes = new ArrayList<>();
        List<Phase> phases = new ArrayList<>();
        long t0 = System.nanoTime();
        try (ChildJvm relay = ChildJvm.start(a, work, s.logs().resolve("bench-relay.log"));
                BrokerProbe depth = new BrokerProbe(brokerUrl, null, null)) {
            relay.awaitOk(http, "http://127.0.0.1:" + httpPort + "/observe/health/ready", Duration.ofMinutes(2));
            notes.add(String.format("relay: time to ready (fake WeChat, %s): %d ms; steps: %s",
                    s.cds() ? "AppCDS archive" : "no archive", (System.nanoTime() - t0) / 1_000_000,
                    relay.logLine("start steps:").replaceAll(".*start steps: ", "")));
            relay.attach();
            Phase last = jms("relay cold", relay, wechat, depth, brokerUrl, bodies.subList(0, s.cold()));
            phases.add(last);
            System.out.println(last.line());
            for (int done = 1; Phase.another(done, last, s.minPhases(), s.maxPhases()); done++) {
                last = jms("relay " + (done + 1), relay, wechat, depth, brokerUrl, bodies.subList(0, s.n()));
                phases.add(last);
                System.out.println(last.line());
            }
            Phase file = null;
            for (int done = 0; done < s.inboxPhases() || (file != null && !file.jitQuiet() && done < s.maxPhases());
                    done++) {
                file = file("relay-file " + (done + 1), relay, wechat, inbox, bodies.subList(0, s.n()));
                System.out.println(file.line());
            }
            Map<String, Integer> tokens = SystemResult.snapshot(wechat.tokenFetches());
            Phase settled = last;
            notes.add("relay, settled JMS phase: " + settled.line());
            if (file != null) {
                notes.add("relay, settled inbox phase: " + file.line());
            }
            // Artemis' threads (ChildJvm.threadGroup: the embedded broker's and its JMS client's) are the broker's
            // share of the relay's CPU; the rest is the relay's own code over the component
            notes.add(String.format("relay, settled JMS phase, CPU ms/msg: whole process %.3f = Artemis threads %.3f "
                    + "+ JMS consumers %.3f + the rest %.3f", settled.cpuMsPerMessage(),
                    settled.groupMsPerMessage("Artemis"), settled.groupMsPerMessage("JMS consumers"),
                    settled.cpuMsPerMessage() - settled.groupMsPerMessage("Artemis")
                            - settled.groupMsPerMessage("JMS consumers")));
            if (s.heapCheck() > 0) {
                notes.add(heap(relay, wechat, s.latency(), depth, brokerUrl, bodies.subList(0, s.heapCheck())));
            }
            return new SystemResult("relay", phases, tokens, notes);
        }
    }

    /**
     * With {@code -Dbench.relayRoutes=<folder>}, its *.camel.yaml are the relay's edges (routes/ in its working
     * folder, which replaces the bundled ones, as an operator's do): to measure an edge of one's own, or a change to
     * the bundled ones without a new jar.
     */
    static void copyRoutes(Path work) throws IOException {
        String from = System.getProperty("bench.relayRoutes", "").strip();
        if (from.isEmpty()) {
            return;
        }
        Path routes = Files.createDirectories(work.resolve("routes"));
        try (DirectoryStream<Path> yaml = Files.newDirectoryStream(Path.of(from), "*.camel.yaml")) {
            for (Path file : yaml) {
                Files.copy(file, routes.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /** The relay's accounts: the first as kefu.appid, the others under kefu.accounts. */
    static List<String> accountSettings(List<String> appids) {
        List<String> a = new ArrayList<>();
        a.add("-Dkefu.appid=" + appids.get(0));
        a.add("-Dkefu.secret=secret-" + appids.get(0));
        for (String appid : appids.subList(1, appids.size())) {
            a.add("-Dkefu.accounts." + appid + ".secret=secret-" + appid);
        }
        return a;
    }

    /**
     * Puts the bodies on the relay's queue from this JVM (a producer thread, commits of 200) while the relay's
     * consumers run; timed from the first send until the fake WeChat has seen every body and the queue is empty.
     */
    static Phase jms(String name, ChildJvm relay, FakeWeChat wechat, BrokerProbe depth, String brokerUrl,
            List<String> bodies) throws Exception {
        wechat.resetSends();
        return jms(name, relay, depth, brokerUrl, bodies, committed -> wechat.sends());
    }

    /** How many of a JMS phase's messages have reached their end so far, given how many the producer committed. */
    interface Delivered {
        long count(AtomicLong committed) throws Exception;
    }

    /**
     * A JMS phase of a child JVM that consumes the queue (the relay, the broker-only peer): the bodies put on its
     * queue from this JVM (a producer thread, commits of 200), timed from the first send until {@code delivered}
     * counts them all and the queue is empty; the child's CPU read meanwhile over JMX and /proc.
     */
    static Phase jms(String name, ChildJvm child, BrokerProbe depth, String brokerUrl, List<String> bodies,
            Delivered delivered) throws Exception {
        try (PhaseRecording recording = PhaseRecording.of(child, name)) {
            return measure(child, depth, brokerUrl, bodies, delivered, name);
        }
    }

    private static Phase measure(ChildJvm child, BrokerProbe depth, String brokerUrl, List<String> bodies,
            Delivered delivered, String name) throws Exception {
        Map<Long, ChildJvm.ThreadCpu> threads0 = child.threadCpu();
        ProcCpu hotspot0 = ProcCpu.of(child.pid());
        long cpu0 = child.cpuNanos();
        long jit0 = child.jitMillis();
        long t0 = System.nanoTime();
        long[] sent = new long[1];
        AtomicLong committed = new AtomicLong();
        Thread producer = RelayBenchmark.produce(brokerUrl, bodies, committed, () -> sent[0] = System.nanoTime() - t0);
        List<Long> perSecond = new ArrayList<>();
        long[] counted = new long[1];
        long[] now = new long[1];
        RelayBenchmark.waitFor(() -> (now[0] = delivered.count(committed)) >= bodies.size()
                && depth.messageCount(RelayBenchmark.QUEUE) == 0, name, () -> {
                    // a second ended since the last poll (polls are 5 ms apart): its count is what came since the last
                    while ((System.nanoTime() - t0) / 1_000_000_000L > perSecond.size()) {
                        perSecond.add(now[0] - counted[0]);
                        counted[0] = now[0];
                    }
                    return now[0];
                });
        long nanos = System.nanoTime() - t0;
        perSecond.add(now[0] - counted[0]);
        producer.join();
        return new Phase(name, bodies.size(), nanos, child.cpuNanos() - cpu0, child.jitMillis() - jit0,
                ProcCpu.of(child.pid()).minus(hotspot0), sent[0], perSecond, since(threads0, child.threadCpu()),
                Math.max(0, bodies.size() - now[0]));
    }

    /** One .jsonl of the bodies renamed into the inbox; timed from the rename until the file is in .done/. */
    static Phase file(String name, ChildJvm relay, FakeWeChat wechat, Path inbox, List<String> bodies)
            throws Exception {
        try (PhaseRecording recording = PhaseRecording.of(relay, name)) {
            return measureFile(name, relay, wechat, inbox, bodies);
        }
    }

    private static Phase measureFile(String name, ChildJvm relay, FakeWeChat wechat, Path inbox, List<String> bodies)
            throws Exception {
        String file = name.replace(' ', '-') + ".jsonl";
        Path tmp = inbox.resolve(file + ".tmp");
        Files.write(tmp, bodies, StandardCharsets.UTF_8);
        wechat.resetSends();
        Map<Long, ChildJvm.ThreadCpu> threads0 = relay.threadCpu();
        ProcCpu hotspot0 = ProcCpu.of(relay.pid());
        long cpu0 = relay.cpuNanos();
        long jit0 = relay.jitMillis();
        long t0 = System.nanoTime();
        Files.move(tmp, inbox.resolve(file));
        Path done = inbox.resolve(".done").resolve(file);
        RelayBenchmark.waitFor(() -> Files.exists(done), name, wechat::sends);
        long nanos = System.nanoTime() - t0;
        return new Phase(name, bodies.size(), nanos, relay.cpuNanos() - cpu0, relay.jitMillis() - jit0,
                ProcCpu.of(relay.pid()).minus(hotspot0), 0, List.of(), since(threads0, relay.threadCpu()),
                Math.abs(bodies.size() - wechat.sends()));
    }

    /**
     * What each thread group used between two readings, thread by thread: a thread started in between counts whole,
     * one that ended in between is left to the rest of the process's CPU (Phase.byThread).
     */
    static Map<String, Long> since(Map<Long, ChildJvm.ThreadCpu> before, Map<Long, ChildJvm.ThreadCpu> after) {
        Map<String, Long> d = new LinkedHashMap<>();
        ChildJvm.THREAD_GROUPS.forEach(group -> d.put(group, 0L));
        after.forEach((id, now) -> {
            ChildJvm.ThreadCpu then = before.get(id);
            d.merge(now.group(), now.nanos() - (then == null ? 0 : then.nanos()), Long::sum);
        });
        return d;
    }

    /**
     * Live heap of the relay (after a full GC) with 20,000 messages queued and with all of them queued: the fake
     * WeChat answers after 5 s meanwhile, so the relay's consumers take only a trickle while the backlog builds.
     * Last phase: the relay is stopped afterwards with the backlog on its queue.
     */
    static String heap(ChildJvm relay, FakeWeChat wechat, Duration latency, BrokerProbe depth, String brokerUrl,
            List<String> bodies) throws Exception {
        wechat.latency(Duration.ofSeconds(5));
        long before = relay.liveHeapBytes();
        int first = Math.min(20_000, bodies.size());
        RelayBenchmark.produce(brokerUrl, bodies.subList(0, first)).join();
        long at20k = depth.messageCount(RelayBenchmark.QUEUE);
        long heap20k = relay.liveHeapBytes();
        RelayBenchmark.produce(brokerUrl, bodies.subList(first, bodies.size())).join();
        long atAll = depth.messageCount(RelayBenchmark.QUEUE);
        long heapAll = relay.liveHeapBytes();
        wechat.latency(latency);
        return String.format("relay: live heap after a full GC: idle %d MB, %d queued %d MB, %d queued %d MB",
                before >> 20, at20k, heap20k >> 20, atAll, heapAll >> 20);
    }
}
