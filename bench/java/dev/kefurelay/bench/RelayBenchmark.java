package dev.kefurelay.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

import com.sun.management.GarbageCollectionNotificationInfo;
import dev.kefurelay.KefuRelay;
import dev.kefurelay.Samples;
import dev.kefurelay.broker.JmsConnections;
import jakarta.jms.Connection;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import org.apache.camel.Exchange;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;

/**
 * Throughput of the relay against a fake WeChat that answers after a fixed latency, and against a plain
 * java.net.http.HttpClient posting the same bodies with the same concurrency (the baseline). Not a test: run it
 * with {@code mvn -q -Pbench test-compile exec:exec} (see docs/performance.md). Settings (system properties):
 * bench.n (20000), bench.concurrency (64), bench.latency (50ms), bench.accounts (2).
 */
public final class RelayBenchmark {

    static final String QUEUE = "kefu.outbound";
    /** Warm-up rounds at most, and the JIT's share of a round's time under which the warm-up stops. */
    static final int WARMUP_ROUNDS = Integer.getInteger("bench.warmup.rounds", 15);
    static final double JIT_QUIET = 0.05;

    public static void main(String[] args) throws Exception {
        int n = Integer.getInteger("bench.n", 20_000);
        int concurrency = Integer.getInteger("bench.concurrency", 64);
        Duration latency = duration(System.getProperty("bench.latency", "50ms"));
        int accounts = Integer.getInteger("bench.accounts", 2);
        double bound = concurrency * 1000.0 / Math.max(1, latency.toMillis());

        List<String> appids = new ArrayList<>();
        for (int i = 1; i <= accounts; i++) {
            appids.add("wxbench" + i);
        }
        // made per index, not held: the benchmark's own heap stays the same whatever N
        List<String> types = new ArrayList<>(Samples.contents().keySet());
        List<String> wechatBodies = new Lazy(n, i -> Samples.wechatBody(types.get(i % types.size())));
        List<String> bodies = new Lazy(n, i -> "{\"appid\":\"" + appids.get(i % accounts) + "\","
                + wechatBodies.get(i).substring(1));

        Heap heap = new Heap();
        Path dir = Files.createTempDirectory("kefu-bench");
        System.out.printf("bench: n=%d concurrency=%d latency=%dms accounts=%d cores=%d maxHeap=%dMB dir=%s%n", n,
                concurrency, latency.toMillis(), accounts, Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20, dir);

        // enough threads for every relay caller and every baseline caller to wait out the latency at once
        try (FakeWeChat wechat = new FakeWeChat(latency, concurrency * 2 + 16)) {
            Map<String, String> p = new LinkedHashMap<>();
            p.put("kefu.wechat.base-url", wechat.baseUrl());
            p.put("kefu.appid", appids.get(0));
            p.put("kefu.secret", "secret-" + appids.get(0));
            for (String appid : appids.subList(1, appids.size())) {
                p.put("kefu.accounts." + appid + ".secret", "secret-" + appid);
            }
            p.put("kefu.jms.concurrency", String.valueOf(concurrency));
            p.put("kefu.inbox.dir", dir.resolve("inbox").toString());
            p.put("kefu.store.dir", dir.resolve("store").toString());
            p.put("kefu.broker.data-dir", dir.resolve("broker").toString());
            p.put("kefu.broker.port", "0");
            p.put("kefu.http.port", "0");
            p.put("kefu.inbox.max-size", String.valueOf(Math.max(64L << 20, n * 1024L)));

            double jmsRate;
            double fileRate;
            double fileRateFromFirst;
            double jmsCpu;
            double fileCpu;
            double jmsJit;
            double fileJit;
            Latencies relayLatency = new Latencies();
            try (KefuRelay relay = KefuRelay.start(p)) {
                relay.camel().getManagementStrategy().addEventNotifier(relayLatency.notifier("kefu-jms-in"));
                // --- warm-up (untimed), in rounds through both inputs until the JIT is quiet: on 2 cores its
                // compiler threads otherwise take a third of the CPU well into the timed phases (measured: 35% of
                // the JMS phase after a single warm-up of 20,000 messages), which a long-running relay never pays
                int warm = Math.min(n, Integer.getInteger("bench.warmup", 10_000));
                Path inbox = dir.resolve("inbox");
                Files.createDirectories(inbox);
                for (int round = 1; warm > 0 && round <= WARMUP_ROUNDS; round++) {
                    long jit0 = jitMillis();
                    long w0 = System.nanoTime();
                    // the same way as the timed phase: a preloaded backlog taken by freshly started consumers
                    backlogThroughJms(relay, wechat, bodies.subList(0, warm), () -> { });
                    dropIntoInbox(inbox, "warm-" + round + ".jsonl", bodies.subList(0, warm));
                    Path warmDone = inbox.resolve(".done").resolve("warm-" + round + ".jsonl");
                    waitFor(() -> Files.exists(warmDone), "warm-up", wechat::sends);
                    double jitShare = (jitMillis() - jit0) * 1e6 / (System.nanoTime() - w0);
                    System.out.printf("warm-up round %d: %d messages through JMS and %d through a file; JIT busy %.0f%% "
                            + "of the round%n", round, warm, warm, 100 * jitShare);
                    if (jitShare < JIT_QUIET) {
                        break;
                    }
                }
                relayLatency.reset();
                // --- relay, JMS: N messages on the queue with the consumers stopped, then timed from their start
                long[] at = new long[3];
                long jmsNanos = backlogThroughJms(relay, wechat, bodies, () -> {
                    System.out.printf("preloaded %d messages on %s%n", relay.broker().messageCount(QUEUE), QUEUE);
                    System.gc();
                    jitQuiet();
                    heap.reset();
                    at[0] = cpuNanos();
                    at[1] = jitMillis();
                });
                long cpu0 = at[0];
                long jit0 = at[1];
                jmsCpu = (cpuNanos() - cpu0) / 1e6 / n;
                jmsJit = (jitMillis() - jit0) / 1e3;
                jmsRate = n * 1e9 / jmsNanos;
                String jmsHeap = heap.report();
                System.out.printf("relay-JMS done: %d messages in %.2f s%n", n, jmsNanos / 1e9);

                // --- relay, file inbox: one .jsonl of N lines, timed from its rename into the inbox until .done
                Path tmp = inbox.resolve("bench.jsonl.tmp");
                Files.write(tmp, bodies, StandardCharsets.UTF_8);
                System.gc();
                heap.reset();
                wechat.resetSends();
                cpu0 = cpuNanos();
                jit0 = jitMillis();
                long t0 = System.nanoTime();
                Files.move(tmp, inbox.resolve("bench.jsonl"));
                Path done = inbox.resolve(".done").resolve("bench.jsonl");
                waitFor(() -> Files.exists(done), "inbox file done", wechat::sends);
                long end = System.nanoTime();
                fileCpu = (cpuNanos() - cpu0) / 1e6 / n;
                fileJit = (jitMillis() - jit0) / 1e3;
                fileRate = n * 1e9 / (end - t0);
                fileRateFromFirst = n * 1e9 / (end - wechat.firstSendNanos());
                String fileHeap = heap.report();
                if (wechat.sends() != n) {
                    System.out.printf("WARNING: file inbox: %d sends for %d messages%n", wechat.sends(), n);
                }
                System.out.printf("relay-file done: %d messages in %.2f s%n", n, (end - t0) / 1e9);
                System.out.printf("heap relay-JMS: %s%n", jmsHeap);
                System.out.printf("heap relay-file: %s%n", fileHeap);
            }

            String relayTokenFetches = wechat.tokenFetches().toString();
            // --- baseline: plain HttpClient, same bodies, same concurrency, token fetched once per account
            System.gc();
            heap.reset();
            Latencies baseLatency = new Latencies();
            long cpu0 = cpuNanos();
            double baseRate = baseline(wechat, appids, wechatBodies, concurrency, baseLatency);
            double baseCpu = (cpuNanos() - cpu0) / 1e6 / n;
            String baseHeap = heap.report();

            long ms = latency.toMillis();
            System.out.println("---- results ----");
            System.out.printf("relay-JMS   msg/s: %8.1f%n", jmsRate);
            System.out.printf("relay-file  msg/s: %8.1f  (%.1f from its first send; the inbox waits ~1 s for a file to settle)%n",
                    fileRate, fileRateFromFirst);
            System.out.printf("baseline    msg/s: %8.1f  (java.net.http.HttpClient, %d callers)%n", baseRate, concurrency);
            System.out.printf("ratio relay-JMS/baseline: %.2f   relay-file/baseline: %.2f%n", jmsRate / baseRate,
                    fileRate / baseRate);
            System.out.printf("ratio to bound (%d/%dms = %.0f msg/s): relay-JMS %.2f  relay-file %.2f  baseline %.2f%n",
                    concurrency, ms, bound, jmsRate / bound, fileRate / bound, baseRate / bound);
            System.out.printf("token fetches per account (relay, whole run): %s%n", relayTokenFetches);
            System.out.printf("added latency relay-JMS (JMS exchange time - %dms): p50 %.1f ms  p99 %.1f ms  (n=%d)%n",
                    ms, relayLatency.percentile(0.50) - ms, relayLatency.percentile(0.99) - ms, relayLatency.count());
            System.out.printf("added latency baseline (request time - %dms):      p50 %.1f ms  p99 %.1f ms%n",
                    ms, baseLatency.percentile(0.50) - ms, baseLatency.percentile(0.99) - ms);
            System.out.printf("CPU per message (whole JVM: fake WeChat and load included): relay-JMS %.2f ms  "
                    + "relay-file %.2f ms  baseline %.2f ms  (of %d cores)%n", jmsCpu, fileCpu, baseCpu,
                    Runtime.getRuntime().availableProcessors());
            System.out.printf("JIT compile time during the phase: relay-JMS %.1f s  relay-file %.1f s%n", jmsJit, fileJit);
            System.out.printf("heap baseline: %s%n", baseHeap);
            System.out.printf("peak heap (whole run): %s%n", heap.whole());
        }
        System.exit(0);
    }

    /**
     * Stops the JMS consumers, puts the bodies on the queue, runs {@code beforeStart}, then starts the consumers and
     * returns the time from their start until the queue is empty and the fake WeChat has seen every body.
     */
    static long backlogThroughJms(KefuRelay relay, FakeWeChat wechat, List<String> bodies, Runnable beforeStart)
            throws Exception {
        relay.camel().getRouteController().stopRoute("kefu-jms-in");
        preload(relay.broker().url(), bodies);
        beforeStart.run();
        wechat.resetSends();
        long t0 = System.nanoTime();
        relay.camel().getRouteController().startRoute("kefu-jms-in");
        waitFor(() -> relay.broker().messageCount(QUEUE) == 0 && wechat.sends() >= bodies.size(), "JMS backlog",
                wechat::sends);
        return System.nanoTime() - t0;
    }

    /**
     * Waits (up to 30 s) until the JIT has compiled nothing for a second: compilations the preload started would
     * otherwise run on into the timed phase.
     */
    static void jitQuiet() {
        long until = System.nanoTime() + 30_000_000_000L;
        long last = jitMillis();
        while (System.nanoTime() < until) {
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            long now = jitMillis();
            if (now - last < 10) {
                return;
            }
            last = now;
        }
    }

        /** Time the JIT compilers have spent so far, in ms. */
    static long jitMillis() {
        return ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
    }

    /** Writes the lines beside the inbox's folder under a .tmp name and renames them in, as the README says to. */
    static void dropIntoInbox(Path inbox, String name, List<String> lines) throws Exception {
        Path tmp = inbox.resolve(name + ".tmp");
        Files.write(tmp, lines, StandardCharsets.UTF_8);
        Files.move(tmp, inbox.resolve(name));
    }

    /** CPU time this JVM has used, all threads together. */
    static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** Puts the bodies on the queue as persistent text messages, committed 500 at a time (it is only the setup). */
    static void preload(String url, List<String> bodies) throws Exception {
        try (Connection c = JmsConnections.plain(url, null, null).createConnection()) {
            Session s = c.createSession(true, Session.SESSION_TRANSACTED);
            MessageProducer producer = s.createProducer(s.createQueue(QUEUE));
            int i = 0;
            for (String body : bodies) {
                producer.send(s.createTextMessage(body));
                if (++i % 500 == 0) {
                    s.commit();
                }
            }
            s.commit();
        }
    }

    static double baseline(FakeWeChat wechat, List<String> appids, List<String> bodies, int concurrency,
            Latencies latencies) throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(concurrency);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).executor(Executors.newFixedThreadPool(4)).build();
        try {
            Map<String, String> tokens = new LinkedHashMap<>();
            for (String appid : appids) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(wechat.baseUrl()
                        + "/cgi-bin/token?grant_type=client_credential&appid=" + appid + "&secret=s")).build(),
                        HttpResponse.BodyHandlers.ofString());
                tokens.put(appid, r.body().replaceAll(".*\"access_token\":\"([^\"]+)\".*", "$1"));
            }
            AtomicInteger next = new AtomicInteger();
            AtomicLong failures = new AtomicLong();
            long t0 = System.nanoTime();
            List<Future<?>> all = new ArrayList<>();
            for (int c = 0; c < concurrency; c++) {
                all.add(callers.submit(() -> {
                    for (int i = next.getAndIncrement(); i < bodies.size(); i = next.getAndIncrement()) {
                        String token = tokens.get(appids.get(i % appids.size()));
                        HttpRequest request = HttpRequest.newBuilder(URI.create(wechat.baseUrl()
                                + "/cgi-bin/message/custom/send?access_token=" + token))
                                .header("Content-Type", "application/json; charset=UTF-8")
                                .POST(HttpRequest.BodyPublishers.ofString(bodies.get(i))).build();
                        long s = System.nanoTime();
                        try {
                            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
                            if (r.statusCode() != 200 || !r.body().contains("\"errcode\":0")) {
                                failures.incrementAndGet();
                            }
                        } catch (Exception e) {
                            failures.incrementAndGet();
                        }
                        latencies.record(System.nanoTime() - s);
                    }
                    return null;
                }));
            }
            for (Future<?> f : all) {
                f.get();
            }
            long nanos = System.nanoTime() - t0;
            if (failures.get() > 0) {
                System.out.printf("WARNING: baseline: %d failed requests%n", failures.get());
            }
            System.out.printf("baseline done: %d messages in %.2f s%n", bodies.size(), nanos / 1e9);
            return bodies.size() * 1e9 / nanos;
        } finally {
            callers.shutdownNow();
        }
    }

    /** A read-only list whose elements are made when asked for. */
    static final class Lazy extends java.util.AbstractList<String> {
        private final int size;
        private final java.util.function.IntFunction<String> make;

        Lazy(int size, java.util.function.IntFunction<String> make) {
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
        long lastPrint = System.nanoTime();
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
            if (now - lastPrint > 5_000_000_000L) {
                System.out.printf("  ... %s: %d sent%n", what, p);
                lastPrint = now;
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

    /** Latencies in 0.1 ms steps up to 60 s: fixed memory whatever N. */
    static final class Latencies {
        private final AtomicLongArray counts = new AtomicLongArray(600_001);
        private final AtomicLong total = new AtomicLong();

        void record(long nanos) {
            counts.incrementAndGet((int) Math.min(counts.length() - 1, Math.max(0, nanos / 100_000)));
            total.incrementAndGet();
        }

        void reset() {
            for (int i = 0; i < counts.length(); i++) {
                counts.set(i, 0);
            }
            total.set(0);
        }

        long count() {
            return total.get();
        }

        double percentile(double q) {
            long want = (long) Math.ceil(q * total.get());
            long seen = 0;
            for (int i = 0; i < counts.length(); i++) {
                seen += counts.get(i);
                if (seen >= want && seen > 0) {
                    return i / 10.0;
                }
            }
            return Double.NaN;
        }

        /** Time of every exchange of the route, from its creation (the JMS message taken) to its completion. */
        EventNotifierSupport notifier(String routeId) {
            return new EventNotifierSupport() {
                @Override
                public void notify(CamelEvent event) {
                    Exchange e = ((CamelEvent.ExchangeCompletedEvent) event).getExchange();
                    if (routeId.equals(e.getFromRouteId())) {
                        record(e.getClock().elapsed() * 1_000_000);
                    }
                }

                @Override
                public boolean isEnabled(CamelEvent event) {
                    return event instanceof CamelEvent.ExchangeCompletedEvent;
                }
            };
        }
    }

    /** Peak heap in use (sum of the heap pools' peaks) and the largest heap left after a GC (the live set). */
    static final class Heap {
        private final AtomicLong maxAfterGc = new AtomicLong();
        private final AtomicLong wholeAfterGc = new AtomicLong();
        private long wholePeak;

        Heap() {
            for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                ((NotificationEmitter) gc).addNotificationListener((notification, handback) -> {
                    if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                        return;
                    }
                    var info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
                    long used = 0;
                    for (Map.Entry<String, MemoryUsage> e : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
                        if (isHeap(e.getKey())) {
                            used += e.getValue().getUsed();
                        }
                    }
                    long u = used;
                    maxAfterGc.accumulateAndGet(u, Math::max);
                    wholeAfterGc.accumulateAndGet(u, Math::max);
                }, null, null);
            }
        }

        private static boolean isHeap(String pool) {
            for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
                if (p.getName().equals(pool)) {
                    return p.getType() == MemoryType.HEAP;
                }
            }
            return false;
        }

        void reset() {
            maxAfterGc.set(0);
            for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
                if (p.getType() == MemoryType.HEAP) {
                    p.resetPeakUsage();
                }
            }
        }

        private long peak() {
            long sum = 0;
            for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
                if (p.getType() == MemoryType.HEAP) {
                    sum += p.getPeakUsage().getUsed();
                }
            }
            return sum;
        }

        String report() {
            long peak = peak();
            wholePeak = Math.max(wholePeak, peak);
            return String.format("sum of heap pool peaks %d MB, max live after GC %d MB", peak >> 20, maxAfterGc.get() >> 20);
        }

        String whole() {
            return String.format("sum of heap pool peaks %d MB, max live after GC %d MB", wholePeak >> 20, wholeAfterGc.get() >> 20);
        }
    }
}
