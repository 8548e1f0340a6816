package dev.kefurelay.bench;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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

/**
 * The baseline, in a JVM of its own like the relay: a plain java.net.http.HttpClient (HTTP/1.1) with
 * {@code concurrency} caller threads posting the benchmark's WeChat bodies to the fake WeChat, a token fetched once
 * per account. It runs {@code cold} messages right after its start, then warm-up rounds of {@code warmup} messages
 * until its JIT is busy under {@link RelayBenchmark#JIT_QUIET} of a round (at most {@code rounds}), as the relay's
 * warm-up does, then {@code n} more; it prints one line per phase for {@link RelayBenchmark}:
 * {@code phase <name> <messages> <nanos> <cpuNanos> <jitMillis>}, CPU and JIT from this JVM's own MXBeans.
 * Arguments: baseUrl n cold concurrency accounts warmup rounds.
 */
public final class BaselineClient {

    public static void main(String[] args) throws Exception {
        String baseUrl = args[0];
        int n = Integer.parseInt(args[1]);
        int cold = Integer.parseInt(args[2]);
        int concurrency = Integer.parseInt(args[3]);
        List<String> appids = RelayBenchmark.appids(Integer.parseInt(args[4]));
        int warmup = Integer.parseInt(args[5]);
        int rounds = Integer.parseInt(args[6]);
        List<String> bodies = RelayBenchmark.wechatBodies(Math.max(Math.max(n, cold), warmup));
        ExecutorService callers = Executors.newFixedThreadPool(concurrency);
        HttpClient http = client();
        Map<String, String> tokens = new LinkedHashMap<>();
        for (String appid : appids) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(baseUrl
                    + "/cgi-bin/token?grant_type=client_credential&appid=" + appid + "&secret=s")).build(),
                    HttpResponse.BodyHandlers.ofString());
            tokens.put(appid, r.body().replaceAll(".*\"access_token\":\"([^\"]+)\".*", "$1"));
        }
        phase("cold", bodies.subList(0, cold), appids, tokens, baseUrl, http, callers, concurrency);
        // without these, the baseline's "warm" phase still compiled (2.5-7.3 s of JIT in it): its CPU per message,
        // the denominator of the relay's ratio, moved between 0.27 and 0.50 ms from run to run
        for (int round = 1; warmup > 0 && round <= rounds; round++) {
            long[] r = phase("warm-up-" + round, bodies.subList(0, warmup), appids, tokens, baseUrl, http, callers,
                    concurrency);
            if (RelayBenchmark.jitShare(r[1], r[0]) < RelayBenchmark.JIT_QUIET) {
                break;
            }
        }
        phase("warm", bodies.subList(0, n), appids, tokens, baseUrl, http, callers, concurrency);
        System.exit(0);
    }

    /** Returns {wall nanos, JIT millis} of the phase. */
    private static long[] phase(String name, List<String> bodies, List<String> appids, Map<String, String> tokens,
            String baseUrl, HttpClient http, ExecutorService callers, int concurrency) throws Exception {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        var jit = ManagementFactory.getCompilationMXBean();
        long cpu0 = os.getProcessCpuTime();
        long jit0 = jit.getTotalCompilationTime();
        long t0 = System.nanoTime();
        long failures = postAll(bodies, appids, tokens, baseUrl, http, callers, concurrency);
        long nanos = System.nanoTime() - t0;
        if (failures > 0) {
            System.out.printf("WARNING: baseline %s: %d failed requests%n", name, failures);
        }
        long jitMillis = jit.getTotalCompilationTime() - jit0;
        System.out.printf("phase %s %d %d %d %d%n", name, bodies.size(), nanos, os.getProcessCpuTime() - cpu0,
                jitMillis);
        return new long[] {nanos, jitMillis};
    }

    /** A plain HTTP/1.1 java.net.http.HttpClient, as the baseline posts with. */
    static HttpClient client() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).executor(Executors.newFixedThreadPool(4)).build();
    }

    /** Posts the bodies to custom/send from {@code concurrency} callers; returns how many failed. */
    static long postAll(List<String> bodies, List<String> appids, Map<String, String> tokens, String baseUrl,
            HttpClient http, ExecutorService callers, int concurrency) throws Exception {
        AtomicInteger next = new AtomicInteger();
        AtomicLong failures = new AtomicLong();
        List<Future<?>> all = new ArrayList<>();
        for (int c = 0; c < concurrency; c++) {
            all.add(callers.submit(() -> {
                for (int i = next.getAndIncrement(); i < bodies.size(); i = next.getAndIncrement()) {
                    HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl
                            + "/cgi-bin/message/custom/send?access_token=" + tokens.get(appids.get(i % appids.size()))))
                            .header("Content-Type", "application/json; charset=UTF-8")
                            .POST(HttpRequest.BodyPublishers.ofString(bodies.get(i))).build();
                    try {
                        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() != 200 || !r.body().contains("\"errcode\":0")) {
                            failures.incrementAndGet();
                        }
                    } catch (Exception e) {
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
