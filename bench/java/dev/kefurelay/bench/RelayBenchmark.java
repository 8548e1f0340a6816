package dev.kefurelay.bench;

import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.IntFunction;

import dev.kefurelay.Samples;
import dev.kefurelay.broker.JmsConnections;
import dev.kefurelay.ops.BrokerProbe;
import jakarta.jms.Connection;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;

/**
 * Throughput, CPU, JIT and start time of the packaged relay ({@code java -jar kefu-relay.jar} in a process of its
 * own, embedded broker, as users run it) against a fake WeChat that answers after a fixed latency, beside a plain
 * java.net.http.HttpClient posting the same bodies with the same concurrency (the baseline, in a process of its own
 * too). Not a test: run it with {@code mvn -q -Pbench -DskipTests package exec:exec} (docs/performance.md).
 */
public final class RelayBenchmark {

    static final String QUEUE = "kefu.outbound";
    /** A warm-up stops once its JIT worked for less than this share of a round's wall time (jitShare). */
    static final double JIT_QUIET = 0.05;

    /** The JIT's compile time as a share of wall time (CompilationMXBean's time is per compiler thread, summed). */
    static double jitShare(long jitMillis, long nanos) {
        return jitMillis * 1e6 / nanos;
    }

    /** One timed phase of a child JVM: messages, wall time, the child's CPU time and JIT compile time in it. */
    /** perSecond: the messages the fake WeChat saw in each second of the phase (JMS phases; how the rate ramps). */
    /** threadNanos: the relay's CPU in the phase by thread group (since(...)); empty: not read (the baseline). */
    record Phase(String name, int messages, long nanos, long cpuNanos, long jitMillis, long sentNanos,
            List<Long> perSecond, Map<String, Long> threadNanos) {
        double rate() {
            return messages * 1e9 / nanos;
        }

        double cpuMsPerMessage() {
            return cpuNanos / 1e6 / messages;
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
                    b.append(String.format("%s %.2f, ", e.getKey(), groupMsPerMessage(e.getKey())));
                }
            }
            return b.append(String.format("JIT, GC and ended threads %.2f", Math.max(0, rest) / 1e6 / messages))
                    .toString();
        }

        String line() {
            return String.format("%-26s %6d msg in %6.2f s = %7.1f msg/s, CPU %.2f ms/msg, JIT %.1f s%s", name,
                    messages, nanos / 1e9, rate(), cpuMsPerMessage(), jitMillis / 1e3,
                    sentNanos > 0 ? String.format(" (all on the queue after %.2f s)", sentNanos / 1e9) : "")
                    + (threadNanos.isEmpty() ? "" : "; CPU ms/msg by thread: " + byThread())
                    + (perSecond.isEmpty() ? "" : "; per second: " + perSecond.stream().map(String::valueOf)
                            .collect(java.util.stream.Collectors.joining(", ")));
        }
    }

    public static void main(String[] args) throws Exception {
        int n = Integer.getInteger("bench.n", 20_000);
        int cold = Integer.getInteger("bench.cold", 6_000);
        int concurrency = Integer.getInteger("bench.concurrency", 64);
        Duration latency = duration(System.getProperty("bench.latency", "50ms"));
        int accounts = Integer.getInteger("bench.accounts", 2);
        // as many as the timed phase by default: a backlog of 20,000 passes kefu.broker.queue-memory (16 MB) and the
        // broker pages (JFR: page reads in the timed phase, none in rounds of 10,000), code that smaller warm-up
        // rounds never run and the timed phase then compiled (with C2: 2.7 s of JIT in it, 0.1 s in the last round)
        int warm = Integer.getInteger("bench.warmup", n);
        int rounds = Integer.getInteger("bench.warmup.rounds", 6);
        int starts = Integer.getInteger("bench.starts", 3);
        int heapCheck = Integer.getInteger("bench.heapcheck", 100_000);
        Path jar = Path.of(System.getProperty("bench.jar", "target/kefu-relay.jar")).toAbsolutePath();
        Path archive = Path.of(jar.toString().replaceFirst("\\.jar$", ".jsa"));
        String cdsChoice = System.getProperty("bench.cds", "auto");
        boolean cds = cdsChoice.equals("auto") ? Files.exists(archive) : Boolean.parseBoolean(cdsChoice);
        // the relay's and the baseline's JVMs alike; the launcher's options and bench.relayArgs for the relay only
        List<String> jvm = List.of("-Xms" + System.getProperty("bench.heap", "512m"),
                "-Xmx" + System.getProperty("bench.heap", "512m"), "-XX:+UseG1GC");
        List<String> relayJvm = ChildJvm.relayOptions(jar, jvm);
        Path logs = jar.getParent();
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: run the benchmark with package (docs/performance.md)");
        }
        double bound = concurrency * 1000.0 / Math.max(1, latency.toMillis());
        List<String> appids = appids(accounts);
        List<String> bodies = relayBodies(Math.max(Math.max(n, cold), Math.max(warm, heapCheck)), appids);
        Path dir = Files.createTempDirectory("kefu-bench");
        System.out.printf("bench: n=%d cold=%d concurrency=%d latency=%dms accounts=%d cores=%d relay JVM=%s cds=%s "
                + "(%s) dir=%s%n", n, cold, concurrency, latency.toMillis(), accounts,
                Runtime.getRuntime().availableProcessors(), relayJvm, cds, archive, dir);
        HttpClient http = HttpClient.newHttpClient();
        List<String> results = new ArrayList<>();

        // --- time to ready: java -jar with the embedded broker and the sandbox, from the process start to
        // readiness 200; a fresh working folder first, then restarts on the same one (a deploy)
        for (boolean withCds : Files.exists(archive) ? List.of(true, false) : List.of(false)) {
            Path work = Files.createDirectories(dir.resolve(withCds ? "start-cds" : "start-plain"));
            List<String> times = new ArrayList<>();
            String steps = "";
            for (int i = 1; i <= starts; i++) {
                int port = ChildJvm.freePort();
                List<String> a = new ArrayList<>(relayJvm);
                if (withCds) {
                    a.add("-XX:SharedArchiveFile=" + archive);
                }
                int brokerPort = ChildJvm.freePort();
                a.addAll(List.of("-Dkefu.sandbox=true", "-Dkefu.sandbox.port=" + ChildJvm.freePort(),
                        "-Dkefu.http.port=" + port, "-Dkefu.broker.port=" + brokerPort, "-jar", jar.toString()));
                long t0 = System.nanoTime();
                try (ChildJvm relay = ChildJvm.start(a, work, logs.resolve("bench-start.log"))) {
                    relay.awaitOk(http, "http://127.0.0.1:" + port + "/observe/health/ready", Duration.ofMinutes(2));
                    times.add(String.format("%d", (System.nanoTime() - t0) / 1_000_000));
                    steps = relay.logLine("start steps:").replaceAll(".*start steps: ", "");
                    if (i == starts && !withCds) {
                        // warms this JVM's producer (JMS client), so that the cold phase measures a cold relay
                        // fed by a warm producer; the sandbox refuses these accounts, so they only pass through
                        produce("tcp://127.0.0.1:" + brokerPort, bodies.subList(0, warm)).join();
                    }
                }
            }
            String r = String.format("time to ready (sandbox, %s): %s ms (first start, then restarts); last start's "
                    + "steps: %s", withCds ? "AppCDS archive" : "no archive", String.join(", ", times), steps);
            System.out.println(r);
            results.add(r);
        }

        try (FakeWeChat wechat = new FakeWeChat(latency, concurrency * 2 + 16)) {
            // the fake WeChat (the JDK HttpServer in this JVM) warmed up first, as the baseline meets it after the
            // relay's phases: otherwise it compiled during the relay's cold phase, on the same two cores (in one
            // cold phase this JVM used 6.6 s of CPU in 9.1 s, the relay 9.3 s). custom/send only, no token fetch.
            ExecutorService callers = Executors.newFixedThreadPool(concurrency);
            Map<String, String> noTokens = new LinkedHashMap<>();
            appids.forEach(appid -> noTokens.put(appid, "BENCH-WARM-UP"));
            long failed = BaselineClient.postAll(wechatBodies(warm), appids, noTokens, wechat.baseUrl(),
                    BaselineClient.client(), callers, concurrency);
            callers.shutdown();
            System.out.printf("fake WeChat warmed up: %d sends, %d failed%n", warm, failed);
            int httpPort = ChildJvm.freePort();
            int brokerPort = ChildJvm.freePort();
            Path inbox = dir.resolve("inbox");
            List<String> a = new ArrayList<>(relayJvm);
            if (cds) {
                a.add("-XX:SharedArchiveFile=" + archive);
            }
            a.add("-Dkefu.wechat.base-url=" + wechat.baseUrl());
            a.add("-Dkefu.appid=" + appids.get(0));
            a.add("-Dkefu.secret=secret-" + appids.get(0));
            for (String appid : appids.subList(1, appids.size())) {
                a.add("-Dkefu.accounts." + appid + ".secret=secret-" + appid);
            }
            a.addAll(List.of("-Dkefu.jms.concurrency=" + concurrency, "-Dkefu.inbox.dir=" + inbox,
                    "-Dkefu.http.port=" + httpPort, "-Dkefu.broker.port=" + brokerPort,
                    "-Dkefu.inbox.max-size=" + Math.max(64L << 20, n * 1024L), "-jar", jar.toString()));
            String brokerUrl = "tcp://127.0.0.1:" + brokerPort;
            Path work = Files.createDirectories(dir.resolve("relay"));
            long t0 = System.nanoTime();
            try (ChildJvm relay = ChildJvm.start(a, work, logs.resolve("bench-relay.log"));
                    BrokerProbe depth = new BrokerProbe(brokerUrl, null, null)) {
                relay.awaitOk(http, "http://127.0.0.1:" + httpPort + "/observe/health/ready", Duration.ofMinutes(2));
                String ready = String.format("time to ready (this relay, fake WeChat, %s): %d ms; steps: %s",
                        cds ? "AppCDS archive" : "no archive", (System.nanoTime() - t0) / 1_000_000,
                        relay.logLine("start steps:").replaceAll(".*start steps: ", ""));
                System.out.println(ready);
                results.add(ready);
                relay.attach();
                // --- cold: the first messages after the start, no warm-up
                Phase coldJms = jms("relay-JMS cold", relay, wechat, depth, brokerUrl, bodies.subList(0, cold));
                System.out.println(coldJms.line());
                // --- warm-up, untimed, in rounds through both inputs until the JIT is quiet
                for (int round = 1; warm > 0 && round <= rounds; round++) {
                    Phase j = jms("warm-up " + round + " JMS", relay, wechat, depth, brokerUrl, bodies.subList(0, warm));
                    Phase f = file("warm-up " + round + " file", relay, wechat, inbox, bodies.subList(0, warm));
                    double share = jitShare(j.jitMillis() + f.jitMillis(), j.nanos() + f.nanos());
                    System.out.printf("%s; %s; JIT busy %.0f%%%n", j.line(), f.line(), 100 * share);
                    if (share < JIT_QUIET) {
                        break;
                    }
                }
                Phase warmJms = jms("relay-JMS warm", relay, wechat, depth, brokerUrl, bodies.subList(0, n));
                System.out.println(warmJms.line());
                Phase warmFile = file("relay-file warm", relay, wechat, inbox, bodies.subList(0, n));
                System.out.println(warmFile.line());
                String tokens = "token fetches per account (relay, whole run): " + wechat.tokenFetches();
                String heap = heapCheck > 0
                        ? heap(relay, wechat, latency, depth, brokerUrl, bodies.subList(0, heapCheck)) : "";
                relay.close();
                // --- baseline: its own JVM, same JVM options, the same bodies without the envelope
                Path baseLog = logs.resolve("bench-baseline.log");
                List<String> b = new ArrayList<>(jvm);
                b.addAll(List.of("-cp", System.getProperty("java.class.path"), BaselineClient.class.getName(),
                        wechat.baseUrl(), String.valueOf(n), String.valueOf(cold), String.valueOf(concurrency),
                        String.valueOf(accounts), String.valueOf(warm), String.valueOf(rounds)));
                try (ChildJvm base = ChildJvm.start(b, dir, baseLog)) {
                    base.waitFor(Duration.ofMinutes(10));
                }
                Map<String, Phase> basePhases = new LinkedHashMap<>();
                for (String line : Files.readAllLines(baseLog)) {
                    if (line.startsWith("phase ")) {
                        String[] f = line.split(" ");
                        basePhases.put(f[1], new Phase("baseline " + f[1], Integer.parseInt(f[2]),
                                Long.parseLong(f[3]), Long.parseLong(f[4]), Long.parseLong(f[5]), 0, List.of(),
                                Map.of()));
                    } else if (line.startsWith("WARNING")) {
                        results.add(line);
                    }
                }
                basePhases.values().stream().filter(p -> p.name().startsWith("baseline warm-up"))
                        .forEach(p -> System.out.println(p.line()));
                Phase baseCold = basePhases.get("cold");
                Phase baseWarm = basePhases.get("warm");
                System.out.println("---- results (one run; ratios against the baseline of this run) ----");
                for (Phase p : List.of(coldJms, warmJms, warmFile, baseCold, baseWarm)) {
                    System.out.println(p.line());
                }
                results.forEach(System.out::println);
                System.out.println(heap);
                System.out.println(tokens);
                System.out.printf("ratio relay-JMS/baseline: cold %.2f  warm %.2f   relay-file/baseline warm %.2f%n",
                        coldJms.rate() / baseWarm.rate(), warmJms.rate() / baseWarm.rate(),
                        warmFile.rate() / baseWarm.rate());
                System.out.printf("ratio CPU per message relay-JMS/baseline: cold %.2f  warm %.2f%n",
                        coldJms.cpuMsPerMessage() / baseCold.cpuMsPerMessage(),
                        warmJms.cpuMsPerMessage() / baseWarm.cpuMsPerMessage());
                // Artemis' threads (ChildJvm.threadGroup: the embedded broker's, and those of the JMS client it
                // feeds) against the whole baseline: a floor under the CPU ratio that no change to the relay's own
                // code can go below, as long as the broker runs in the relay's process
                System.out.printf("ratio warm CPU per message of the relay's threads/baseline: JMS consumers %.2f, "
                        + "Artemis %.2f%n", warmJms.groupMsPerMessage("JMS consumers") / baseWarm.cpuMsPerMessage(),
                        warmJms.groupMsPerMessage("Artemis") / baseWarm.cpuMsPerMessage());
                System.out.printf("ratio to bound (%d/%dms = %.0f msg/s): relay-JMS cold %.2f warm %.2f  baseline %.2f%n",
                        concurrency, latency.toMillis(), bound, coldJms.rate() / bound, warmJms.rate() / bound,
                        baseWarm.rate() / bound);
            }
        }
        // the relays' folders (broker journals with the heap phase's backlog: hundreds of MB)
        try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
        System.exit(0);
    }

    /**
     * Puts the bodies on the relay's queue from this JVM (a producer thread, commits of 200) while the relay's
     * consumers run; timed from the first send until the fake WeChat has seen every body and the queue is empty.
     */
    static Phase jms(String name, ChildJvm relay, FakeWeChat wechat, BrokerProbe depth, String brokerUrl,
            List<String> bodies) throws Exception {
        wechat.resetSends();
        Map<Long, ChildJvm.ThreadCpu> threads0 = relay.threadCpu();
        long cpu0 = relay.cpuNanos();
        long jit0 = relay.jitMillis();
        long t0 = System.nanoTime();
        long[] sent = new long[1];
        Thread producer = produce(brokerUrl, bodies, () -> sent[0] = System.nanoTime() - t0);
        List<Long> perSecond = new ArrayList<>();
        long[] counted = new long[1];
        waitFor(() -> wechat.sends() >= bodies.size() && depth.messageCount(QUEUE) == 0, name, () -> {
            long sends = wechat.sends();
            // a second ended since the last poll (polls are 5 ms apart): its count is what came since the last
            while ((System.nanoTime() - t0) / 1_000_000_000L > perSecond.size()) {
                perSecond.add(sends - counted[0]);
                counted[0] = sends;
            }
            return sends;
        });
        long nanos = System.nanoTime() - t0;
        perSecond.add(wechat.sends() - counted[0]);
        producer.join();
        return new Phase(name, bodies.size(), nanos, relay.cpuNanos() - cpu0, relay.jitMillis() - jit0, sent[0],
                perSecond, since(threads0, relay.threadCpu()));
    }

    /** One .jsonl of the bodies renamed into the inbox; timed from the rename until the file is in .done/. */
    static Phase file(String name, ChildJvm relay, FakeWeChat wechat, Path inbox, List<String> bodies)
            throws Exception {
        String file = name.replace(' ', '-') + ".jsonl";
        Path tmp = inbox.resolve(file + ".tmp");
        Files.write(tmp, bodies, StandardCharsets.UTF_8);
        wechat.resetSends();
        Map<Long, ChildJvm.ThreadCpu> threads0 = relay.threadCpu();
        long cpu0 = relay.cpuNanos();
        long jit0 = relay.jitMillis();
        long t0 = System.nanoTime();
        Files.move(tmp, inbox.resolve(file));
        Path done = inbox.resolve(".done").resolve(file);
        waitFor(() -> Files.exists(done), name, wechat::sends);
        long nanos = System.nanoTime() - t0;
        if (wechat.sends() != bodies.size()) {
            System.out.printf("WARNING: %s: %d sends for %d messages%n", name, wechat.sends(), bodies.size());
        }
        return new Phase(name, bodies.size(), nanos, relay.cpuNanos() - cpu0, relay.jitMillis() - jit0, 0, List.of(),
                since(threads0, relay.threadCpu()));
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
        produce(brokerUrl, bodies.subList(0, first)).join();
        long at20k = depth.messageCount(QUEUE);
        long heap20k = relay.liveHeapBytes();
        produce(brokerUrl, bodies.subList(first, bodies.size())).join();
        long atAll = depth.messageCount(QUEUE);
        long heapAll = relay.liveHeapBytes();
        wechat.latency(latency);
        return String.format("live heap of the relay after a full GC: idle %d MB, %d queued %d MB, %d queued %d MB",
                before >> 20, at20k, heap20k >> 20, atAll, heapAll >> 20);
    }

    static Thread produce(String url, List<String> bodies) {
        return produce(url, bodies, () -> { });
    }

    /** Sends the bodies on a thread of its own; {@code sent} runs after the last commit. */
    static Thread produce(String url, List<String> bodies, Runnable sent) {
        Thread t = new Thread(() -> {
            try (Connection c = JmsConnections.plain(url, null, null).createConnection()) {
                Session s = c.createSession(true, Session.SESSION_TRANSACTED);
                MessageProducer producer = s.createProducer(s.createQueue(QUEUE));
                int i = 0;
                for (String body : bodies) {
                    producer.send(s.createTextMessage(body));
                    if (++i % 200 == 0) {
                        s.commit();
                    }
                }
                s.commit();
                sent.run();
            } catch (Exception e) {
                throw new IllegalStateException("producer: " + e, e);
            }
        }, "bench-producer");
        t.start();
        return t;
    }

    static List<String> appids(int accounts) {
        List<String> appids = new ArrayList<>();
        for (int i = 1; i <= accounts; i++) {
            appids.add("wxbench" + i);
        }
        return appids;
    }

    /** The WeChat bodies (a mix of all 11 types from {@code Samples}), made per index, not held. */
    static List<String> wechatBodies(int n) {
        List<String> types = new ArrayList<>(Samples.contents().keySet());
        return new Lazy(n, i -> Samples.wechatBody(types.get(i % types.size())));
    }

    /** The relay's messages: the WeChat bodies with the envelope's appid, alternating the accounts. */
    static List<String> relayBodies(int n, List<String> appids) {
        List<String> wechat = wechatBodies(n);
        return new Lazy(n, i -> "{\"appid\":\"" + appids.get(i % appids.size()) + "\"," + wechat.get(i).substring(1));
    }

    /** A read-only list whose elements are made when asked for. */
    static final class Lazy extends java.util.AbstractList<String> {
        private final int size;
        private final IntFunction<String> make;

        Lazy(int size, IntFunction<String> make) {
            this.size = size;
            this.make = make;
        }

        @Override
        public String get(int index) {
            return make.apply(index);
        }

        @Override
        public int size() {
            return size;
        }
    }

    interface Check {
        boolean done() throws Exception;
    }

    static void waitFor(Check check, String what, java.util.function.LongSupplier progress) throws Exception {
        long last = -1;
        long lastChange = System.nanoTime();
        while (!check.done()) {
            Thread.sleep(5);
            long now = System.nanoTime();
            long p = progress.getAsLong();
            if (p != last) {
                last = p;
                lastChange = now;
            } else if (now - lastChange > 60_000_000_000L) {
                throw new IllegalStateException(what + ": no progress for 60 s at " + p);
            }
        }
    }

    static Duration duration(String s) {
        String t = s.strip().toLowerCase();
        if (t.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
        }
        if (t.endsWith("s")) {
            return Duration.ofMillis(Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 1000));
        }
        return Duration.ofMillis(Long.parseLong(t));
    }
}
