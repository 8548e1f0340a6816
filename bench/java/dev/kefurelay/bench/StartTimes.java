package dev.kefurelay.bench;

import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The relay's time to ready: {@code java -jar} with the embedded broker and the sandbox, from the process start to
 * readiness 200; a fresh working folder first, then restarts on the same one (a deploy); {@code bench.starts}
 * times with the archive (when there is one) and without it.
 */
final class StartTimes {

    private StartTimes() {
    }

    /** Returns one line for each kind of start. */
    static List<String> measure(RelayBenchmark.Settings s, Path dir, HttpClient http) throws Exception {
        List<String> results = new ArrayList<>();
        for (boolean withCds : s.cds() ? List.of(true, false) : List.of(false)) {
            Path work = Files.createDirectories(dir.resolve(withCds ? "start-cds" : "start-plain"));
            List<String> times = new ArrayList<>();
            String steps = "";
            for (int i = 1; i <= s.starts(); i++) {
                int port = ChildJvm.freePort();
                List<String> a = new ArrayList<>(s.relayJvm());
                if (withCds) {
                    a.add("-XX:SharedArchiveFile=" + s.archive());
                }
                int brokerPort = ChildJvm.freePort();
                a.addAll(List.of("-Dkefu.sandbox=true", "-Dkefu.sandbox.port=" + ChildJvm.freePort(),
                        "-Dkefu.http.port=" + port, "-Dkefu.broker.port=" + brokerPort, "-jar", s.jar().toString()));
                long t0 = System.nanoTime();
                try (ChildJvm relay = ChildJvm.start(a, work, s.logs().resolve("bench-start.log"))) {
                    relay.awaitOk(http, "http://127.0.0.1:" + port + "/observe/health/ready", Duration.ofMinutes(2));
                    times.add(String.format("%d", (System.nanoTime() - t0) / 1_000_000));
                    steps = relay.logLine("start steps:").replaceAll(".*start steps: ", "");
                    if (i == s.starts() && !withCds) {
                        // warms this JVM's producer (JMS client), so that the cold phase measures a cold relay
                        // fed by a warm producer; the sandbox refuses these accounts, so they only pass through
                        RelayBenchmark.produce("tcp://127.0.0.1:" + brokerPort,
                                BenchTexts.relayBodies(Math.max(s.n(), s.cold()),
                                        RelayBenchmark.appids(s.accounts()))).join();
                    }
                }
            }
            if (s.starts() > 0) {
                String r = String.format("relay: time to ready (sandbox, %s): %s ms (first start, then restarts); "
                        + "last start's steps: %s", withCds ? "AppCDS archive" : "no archive",
                        String.join(", ", times), steps);
                System.out.println(r);
                results.add(r);
            }
        }
        if (s.starts() == 0) {
            results.add("relay: no start measured (bench.starts=0), so the JMS producer was cold in the relay's "
                    + "cold phase");
        }
        return results;
    }
}
