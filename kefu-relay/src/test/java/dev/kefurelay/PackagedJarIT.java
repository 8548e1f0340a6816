package dev.kefurelay;

import static dev.kefurelay.testkit.RelayProcess.copyPackage;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.kefurelay.testkit.Http;
import dev.kefurelay.testkit.RelayProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** target/kefu-relay.jar with target/lib copied to an empty folder runs there, and checks its settings. */
class PackagedJarIT {

    @TempDir
    Path dir;

    @Test
    void startsFromACleanFolderWithTheBundledRoutes() throws Exception {
        Path jar = copyPackage(dir.resolve("app"));
        Path work = dir.resolve("work");
        Files.createDirectories(work);
        // a property in application.properties beside the relay, as an operator would set it
        Files.writeString(work.resolve("application.properties"), "kefu.jms.concurrency = 3\n");
        try (RelayProcess relay = RelayProcess.start(jar, work, Map.of("kefu.sandbox", "true",
                "kefu.http.port", "0", "kefu.broker.port", "0"))) {
            String http = relay.awaitStarted();
            await().atMost(Duration.ofSeconds(30)).until(() -> Http.get(http + "/observe/health/ready").status() == 200);
            assertEquals(200, Http.get(http + "/observe/health/live").status());
            assertTrue(relay.output().contains("kefu.jms.concurrency = 3"), "read ./application.properties");

            // the inbox route is the YAML one bundled in the jar: there is no routes/ folder here
            Path inbox = work.resolve("data/inbox");
            Files.createDirectories(inbox);
            Files.writeString(inbox.resolve("hello.json.part"), Samples.text("from a clean folder"));
            Files.move(inbox.resolve("hello.json.part"), inbox.resolve("hello.json"), StandardCopyOption.ATOMIC_MOVE);
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(inbox.resolve(".done/hello.json")));
            String metrics = Http.get(http + "/observe/metrics").body();
            assertEquals(1.0, Http.sample(metrics, "kefu_messages_delivered_total", Map.of()), metrics);

            int exit = relay.terminate(Duration.ofSeconds(40));
            assertEquals(143, exit, "stopped by SIGTERM");
            String out = relay.output();
            assertTrue(out.contains("Embedded Artemis broker stopped"), out);
            assertTrue(out.contains("kefu-relay stopped"), out);
        }
    }

    /** The local store keeps delivered ids across a kill -9: the same id dropped again is a duplicate. */
    @Test
    void aDeliveredIdIsADuplicateAfterAKill9AndARestart() throws Exception {
        Path jar = copyPackage(dir.resolve("app"));
        Path work = dir.resolve("work");
        Path inbox = work.resolve("data/inbox");
        Map<String, String> props = Map.of("kefu.sandbox", "true", "kefu.http.port", "0", "kefu.broker.port", "0");
        try (RelayProcess relay = RelayProcess.start(jar, work, props)) {
            relay.awaitStarted();
            drop(inbox, "first.json", Samples.textWithId("kill-1", "once"));
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(inbox.resolve(".done/first.json")));
            relay.kill();
        }
        try (RelayProcess relay = RelayProcess.start(jar, work, props)) {
            String http = relay.awaitStarted();
            drop(inbox, "again.json", Samples.textWithId("kill-1", "once"));
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(inbox.resolve(".done/again.json")));
            String metrics = Http.get(http + "/observe/metrics").body();
            assertEquals(1.0, Http.sample(metrics, "kefu_messages_duplicate_total", Map.of()), metrics);
            // there from the start, and nothing delivered after the restart
            assertEquals(0.0, Http.sample(metrics, "kefu_messages_delivered_total", Map.of()), metrics);
        }
    }

    private static void drop(Path inbox, String name, String body) throws IOException {
        Files.createDirectories(inbox);
        Files.writeString(inbox.resolve(name + ".part"), body);
        Files.move(inbox.resolve(name + ".part"), inbox.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * A typo or a value out of range, as -D or as an environment variable (which Camel reads but cannot list), stops
     * the start with one line naming the key as it was given, and exit status 2; no value is printed.
     */
    @Test
    void aTypoOrABadValueStopsTheStartWithOneLineNamingTheKey() throws Exception {
        Path jar = copyPackage(dir.resolve("app"));
        record Case(Map<String, String> props, Map<String, String> env, String named) {
        }
        for (Case c : List.of(
                new Case(Map.of("kefu.retry.maxx", "3"), Map.of(), "kefu.retry.maxx"),
                new Case(Map.of(), Map.of("KEFU_RETRY_MAXX", "3"), "KEFU_RETRY_MAXX"),
                // a key in the wrong case is not ignored
                new Case(Map.of("KEFU.retry.max", "3"), Map.of(), "-DKEFU.retry.max"),
                new Case(Map.of("kefu.push.port", "70000"), Map.of(), "kefu.push.port=70000"),
                new Case(Map.of("kefu.inbox.max-size", "0"), Map.of(), "kefu.inbox.max-size=0"))) {
            Map<String, String> props = new java.util.HashMap<>(c.props());
            props.put("kefu.sandbox", "true");
            try (RelayProcess relay = RelayProcess.start(jar, dir.resolve("work"), props, c.env())) {
                assertEquals(2, relay.awaitExit(Duration.ofSeconds(30)), relay.output());
                List<String> lines = withoutCamelsStartLines(relay.output());
                assertEquals(1, lines.size(), relay.output());
                assertTrue(lines.get(0).startsWith("kefu-relay cannot start: ")
                        && lines.get(0).contains(c.named()), lines.get(0));
            }
        }
    }

    @Test
    void environmentVariablesAreReadAndATicketIsMaskedInCamelsSummary() throws Exception {
        Path jar = copyPackage(dir.resolve("app"));
        String ticket = "ticket@@@from-the-environment";
        try (RelayProcess relay = RelayProcess.start(jar, dir.resolve("work"),
                Map.of("kefu.sandbox", "true", "kefu.http.port", "0", "kefu.broker.port", "0"),
                Map.of("KEFU_TOKEN_MODE", "component", "KEFU_COMPONENT_TICKET", ticket,
                        "KEFU_JMS_CONCURRENCY", "2"))) {
            relay.awaitStarted();
            String out = relay.output();
            assertTrue(out.contains("token mode component"), out);
            assertTrue(out.contains("kefu.jms.concurrency = 2"), "KEFU_JMS_CONCURRENCY read:\n" + out);
            assertTrue(out.contains("kefu.component.ticket = xxxxxx"), "the ticket is listed, masked:\n" + out);
            assertFalse(out.contains(ticket), "the ticket reached the output");
        }
    }

    @Test
    void missingCredentialsStopTheStartWithOneLineNamingThem() throws Exception {
        Path jar = copyPackage(dir.resolve("app"));
        try (RelayProcess relay = RelayProcess.start(jar, dir.resolve("work"), Map.of())) {
            assertEquals(2, relay.awaitExit(Duration.ofSeconds(30)));
            List<String> lines = withoutCamelsStartLines(relay.output());
            assertEquals(1, lines.size(), relay.output());
            assertTrue(lines.get(0).contains("kefu.appid, kefu.secret"), lines.get(0));
            assertFalse(Files.exists(dir.resolve("work/data")), "nothing started, nothing written");
        }
    }

    @Test
    void aBusyHealthPortStopsTheStartWithOneLineNamingTheKey() throws Exception {
        Path jar = copyPackage(dir.resolve("app"));
        try (ServerSocket busy = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                RelayProcess relay = RelayProcess.start(jar, dir.resolve("work"), Map.of("kefu.sandbox", "true",
                        "kefu.broker.port", "0", "kefu.http.port", String.valueOf(busy.getLocalPort())))) {
            assertEquals(2, relay.awaitExit(Duration.ofSeconds(30)), relay.output());
            List<String> lines = withoutCamelsStartLines(relay.output());
            assertEquals(1, lines.size(), relay.output());
            assertTrue(lines.get(0).startsWith("kefu-relay cannot start: kefu.http.port=" + busy.getLocalPort()),
                    lines.get(0));
        }
    }

    /** kefu-relay.jar and lib/ in a folder of their own; returns the jar there. */
    /**
     * A refused start prints one line on stderr; before it, Camel logs that it is starting and where it reads
     * properties from (two INFO lines on stdout): the settings are checked inside Camel's start.
     */
    private static List<String> withoutCamelsStartLines(String output) {
        List<String> lines = output.lines().toList();
        List<String> rest = lines.stream().filter(l -> !l.matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  \\[main\\] "
                + "(MainSupport - Apache Camel \\(Main\\) .* is starting|BaseMainSupport - Properties location: .*)")).toList();
        assertTrue(lines.size() - rest.size() <= 2, output);
        return rest;
    }
}
