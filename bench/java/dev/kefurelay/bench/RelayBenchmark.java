package dev.kefurelay.bench;

import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

import dev.kefurelay.Samples;
import dev.kefurelay.broker.JmsConnections;
import dev.kefurelay.testkit.TempDirs;
import jakarta.jms.Connection;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;

/**
 * The relay against the systems a team would use instead, in one run, against one fake WeChat that answers after a
 * fixed latency: the packaged relay ({@link RelayRun}), a bare java.net.http.HttpClient (the reference), WxJava
 * with its defaults and with a 64-connection pool, and the component alone in a DefaultCamelContext
 * ({@link PeerClient}); and the relay's broker alone ({@link BrokerOnlyRun}), whose CPU is the broker's share of the
 * relay's. Each in a JVM of its own, so that the CPU each one's counters show is its own, sending the same messages
 * ({@link BenchTexts}) with the same concurrency, in phases until its JIT is quiet. Before them, the relay's time to
 * ready. Not a test: run it with {@code mvn -q -Pbench -DskipTests package exec:exec}
 * (docs/performance.md).
 */
public final class RelayBenchmark {

    static final String QUEUE = "kefu.outbound";
    /** A warm-up stops once its JIT worked for less than this share of a round's wall time (jitShare). */
    static final double JIT_QUIET = Phase.JIT_QUIET;

    /** The JIT's compile time as a share of wall time (CompilationMXBean's time is per compiler thread, summed). */
    static double jitShare(long jitMillis, long nanos) {
        return jitMillis * 1e6 / nanos;
    }

    /**
     * The run's settings (system properties bench.*, docs/performance.md).
     *
     * @param jvm      the heap and GC of every measured JVM
     * @param relayJvm jvm, the launcher's jvm.options, bench.relayArgs
     * @param peerJvm  jvm, bench.peerArgs ({system} in them: the peer's name)
     */
    record Settings(int n, int cold, int concurrency, Duration latency, int accounts, int minPhases, int maxPhases,
            int starts, int heapCheck, int inboxPhases, List<String> systems, Path jar, Path archive, boolean cds,
            List<String> jvm, List<String> relayJvm, String peerJvm, Path logs) {

        static Settings fromSystemProperties() {
            Path jar = Path.of(System.getProperty("bench.jar", "target/kefu-relay.jar")).toAbsolutePath();
            Path archive = Path.of(jar.toString().replaceFirst("\\.jar$", ".jsa"));
            String cdsChoice = System.getProperty("bench.cds", "auto");
            List<String> jvm = List.of("-Xms" + System.getProperty("bench.heap", "512m"),
                    "-Xmx" + System.getProperty("bench.heap", "512m"), "-XX:+UseG1GC");
            return new Settings(Integer.getInteger("bench.n", 20_000), Integer.getInteger("bench.cold", 6_000),
                    Integer.getInteger("bench.concurrency", 64), duration(System.getProperty("bench.latency", "50ms")),
                    Integer.getInteger("bench.accounts", 2), Integer.getInteger("bench.phases", 5),
                    Integer.getInteger("bench.phases.max", 10), Integer.getInteger("bench.starts", 3),
                    Integer.getInteger("bench.heapcheck", 100_000), Integer.getInteger("bench.inbox", 2),
                    List.of(System.getProperty("bench.systems",
                            "jdk,wxjava,wxjava64,component,component-async,relay," + BrokerOnlyRun.SYSTEM).split(",")),
                    jar, archive, cdsChoice.equals("auto") ? Files.exists(archive) : Boolean.parseBoolean(cdsChoice),
                    jvm, ChildJvm.relayOptions(jar, jvm), System.getProperty("bench.peerArgs", "").strip(),
                    jar.getParent());
        }

        double bound() {
            return concurrency * 1000.0 / Math.max(1, latency.toMillis());
        }

        List<String> peerOptions(String system) {
            List<String> options = new ArrayList<>(jvm);
            String jfr = System.getProperty("bench.jfr", "").strip();
            if (!jfr.isEmpty()) {
                // a peer records its own phases (PhaseRecording)
                options.addAll(List.of("-Dbench.jfr=" + jfr,
                        "-Dbench.jfr.period=" + Long.getLong("bench.jfr.period", 2)));
            }
            if (!peerJvm.isEmpty()) {
                options.addAll(List.of(peerJvm.replace("{system}", system).split("\\s+")));
            }
            return options;
        }
    }

    public static void main(String[] args) {
        try {
            run();
        } catch (Throwable e) {
            // the fake WeChat's and the HTTP client's threads would keep this JVM (and mvn exec) waiting
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }

    private static void run() throws Exception {
        Settings s = Settings.fromSystemProperties();
        boolean relay = s.systems().contains("relay");
        if (relay && !Files.exists(s.jar())) {
            throw new IllegalStateException(s.jar() + " is missing: run the benchmark with package "
                    + "(docs/performance.md), or leave relay out of bench.systems");
        }
        Path dir = Files.createTempDirectory("kefu-bench");
        System.out.printf("bench: systems=%s n=%d cold=%d phases=%d..%d concurrency=%d latency=%dms accounts=%d "
                + "cores=%d relay JVM=%s cds=%s peers' JVM=%s dir=%s%n", s.systems(), s.n(), s.cold(), s.minPhases(),
                s.maxPhases(), s.concurrency(), s.latency().toMillis(), s.accounts(),
                Runtime.getRuntime().availableProcessors(), s.relayJvm(), s.cds(), s.peerOptions("{system}"), dir);
        HttpClient http = HttpClient.newHttpClient();
        List<String> starts = relay ? StartTimes.measure(s, dir, http) : List.of();
        List<SystemResult> results = new ArrayList<>();
        try (FakeWeChat wechat = new FakeWeChat(s.latency(), s.concurrency() * 2 + 16)) {
            // the fake WeChat (the JDK HttpServer in this JVM) warmed up first, so that it does not compile during
            // the first system's cold phase on the same two cores; custom/send only, no token fetch
            ExecutorService callers = Executors.newFixedThreadPool(s.concurrency());
            int warm = Math.max(s.n(), s.cold());
            long failed = PeerClient.sendAll(warm, new JdkSender(wechat.baseUrl(), s.accounts(), warm), callers,
                    s.concurrency());
            callers.shutdown();
            wechat.checkNoDelay(http);
            System.out.printf("fake WeChat warmed up: %d sends, %d failed; answers without delayed ACKs%n", warm,
                    failed);
            for (String system : s.systems()) {
                wechat.resetTokenFetches();
                results.add(switch (system) {
                    case "relay" -> RelayRun.run(s, wechat, http, dir);
                    case BrokerOnlyRun.SYSTEM -> BrokerOnlyRun.run(s, wechat, dir);
                    default -> peer(system, s, wechat, dir);
                });
            }
        }
        Report.print(s, results, starts);
        // the relays' folders (broker journals with the heap phase's backlog: hundreds of MB)
        TempDirs.deleteQuietly(dir);
    }

    /** One peer in a JVM of its own ({@link PeerClient}), its phases read back from its output. */
    static SystemResult peer(String system, Settings s, FakeWeChat wechat, Path dir) throws Exception {
        Path log = s.logs().resolve("bench-" + system + ".log");
        List<String> a = s.peerOptions(system);
        // the relay's logging (INFO to the console, here the peer's log): the component logs its outcome lines
        a.addAll(List.of("-Dlog4j2.configurationFile=log4j2.xml", "-Dbench.system=" + system, "-cp",
                System.getProperty("java.class.path"), PeerClient.class.getName(), system, wechat.baseUrl(),
                String.valueOf(s.cold()),
                // WxJava's default pool caps it near 190 msg/s: phases of bench.n would take minutes each
                String.valueOf(system.equals("wxjava") ? Math.min(s.n(), s.cold()) : s.n()),
                String.valueOf(s.concurrency()), String.valueOf(s.accounts()), String.valueOf(s.minPhases()),
                String.valueOf(s.maxPhases())));
        Path work = Files.createDirectories(dir.resolve(system));
        try (ChildJvm peer = ChildJvm.start(a, work, log)) {
            peer.waitFor(Duration.ofMinutes(20));
        }
        List<Phase> phases = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            if (line.startsWith("phase ")) {
                Phase p = Phase.parse(system, line);
                phases.add(p);
                System.out.println(p.line());
            }
        }
        if (phases.isEmpty()) {
            throw new IllegalStateException(system + " measured no phase; see " + log);
        }
        return new SystemResult(system, phases, SystemResult.snapshot(wechat.tokenFetches()), List.of());
    }

    static Thread produce(String url, List<String> bodies) {
        return produce(url, bodies, new AtomicLong(), () -> { });
    }

    /**
     * Sends the bodies on a thread of its own, committing every 200; {@code committed} counts the messages committed
     * so far, {@code sent} runs after the last commit.
     */
    static Thread produce(String url, List<String> bodies, AtomicLong committed, Runnable sent) {
        Thread t = new Thread(() -> {
            try (Connection c = JmsConnections.plain(url, null, null).createConnection()) {
                Session s = c.createSession(true, Session.SESSION_TRANSACTED);
                MessageProducer producer = s.createProducer(s.createQueue(QUEUE));
                int i = 0;
                for (String body : bodies) {
                    producer.send(s.createTextMessage(body));
                    if (++i % 200 == 0) {
                        s.commit();
                        committed.set(i);
                    }
                }
                s.commit();
                committed.set(i);
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

    /**
     * The WeChat bodies (a mix of all 11 types from {@code Samples}), made per index, not held: the class-data
     * archive's training run and the scale-out benchmark send these; the comparison sends {@link BenchTexts}.
     */
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
