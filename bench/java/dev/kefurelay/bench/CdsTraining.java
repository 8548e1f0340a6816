package dev.kefurelay.bench;

import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.kefurelay.ops.BrokerProbe;
import dev.kefurelay.testkit.TempDirs;

/**
 * Builds the relay's AppCDS archive at package time (docs/operations.md): runs the packaged jar through its
 * launcher, target/kefu-relay.sh, as users do, with the sandbox and the embedded broker; with no archive there the
 * script has the JVM write one as it exits, and notes what it fits (kefu-relay.jsa.dir). Sends messages through the
 * JMS queue and the inbox so the send path's classes are loaded too, then stops it with SIGTERM. Java 17 has no
 * auto-created archive (JDK 19's -XX:+AutoCreateSharedArchive), so it is made here. Argument: the jar.
 */
public final class CdsTraining {

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args[0]).toAbsolutePath();
        // where kefu-relay.sh keeps it (its folder is the build's, writable); gone, so that this run writes it
        Path archive = jar.resolveSibling("kefu-relay.jsa");
        Path work = Files.createTempDirectory("kefu-cds");
        Files.deleteIfExists(archive);
        int httpPort = ChildJvm.freePort();
        int brokerPort = ChildJvm.freePort();
        String brokerUrl = "tcp://127.0.0.1:" + brokerPort;
        int messages = 500;
        List<String> bodies = RelayBenchmark.wechatBodies(messages);
        Path log = jar.resolveSibling("cds-training.log");
        long t0 = System.nanoTime();
        try (ChildJvm relay = ChildJvm.launch(jar, List.of("-Dkefu.sandbox=true",
                "-Dkefu.sandbox.port=" + ChildJvm.freePort(), "-Dkefu.http.port=" + httpPort,
                "-Dkefu.broker.port=" + brokerPort), work, log);
                BrokerProbe depth = new BrokerProbe(brokerUrl, null, null)) {
            HttpClient http = HttpClient.newHttpClient();
            relay.awaitOk(http, "http://127.0.0.1:" + httpPort + "/observe/health/ready", Duration.ofMinutes(2));
            RelayBenchmark.produce(brokerUrl, bodies).join();
            Path inbox = work.resolve("data/inbox");
            Files.write(inbox.resolve("training.jsonl.tmp"), bodies, StandardCharsets.UTF_8);
            Files.move(inbox.resolve("training.jsonl.tmp"), inbox.resolve("training.jsonl"));
            Path done = inbox.resolve(".done/training.jsonl");
            long until = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (!(Files.exists(done) && depth.messageCount(RelayBenchmark.QUEUE) == 0)) {
                if (System.nanoTime() > until) {
                    throw new IllegalStateException("the training messages were not delivered in 2 minutes; see " + log);
                }
                Thread.sleep(50);
            }
            http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                    "http://127.0.0.1:" + httpPort + "/observe/metrics")).build(),
                    java.net.http.HttpResponse.BodyHandlers.discarding());
        }
        // the training relay's folder (broker journal, inbox) is of no further use
        TempDirs.deleteQuietly(work);
        if (!Files.exists(archive)) {
            throw new IllegalStateException("no archive written to " + archive + "; see " + log);
        }
        System.out.printf("AppCDS archive %s (%d MB) in %.1f s%n", archive, Files.size(archive) >> 20,
                (System.nanoTime() - t0) / 1e9);
    }
}
