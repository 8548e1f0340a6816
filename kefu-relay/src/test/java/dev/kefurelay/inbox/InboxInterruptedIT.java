package dev.kefurelay.inbox;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.kefurelay.Samples;
import dev.kefurelay.sandbox.WeChatSandbox;
import dev.kefurelay.testkit.RelayProcess;
import dev.kefurelay.testkit.TestRelays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 3,000-line inbox file interrupted half way, then the relay started again on the same folders, as an operator's
 * deploy or a crash would do it: the packaged relay in its own process, WeChat (the sandbox) in this JVM, so that
 * deliveries are counted per line across both runs. After a SIGTERM every line is delivered exactly once; after a
 * kill -9 none is lost and at most the lines in flight are delivered twice.
 */
class InboxInterruptedIT {

    private static final int LINES = 3000;
    /** kefu.jms.concurrency senders, as many queued parts, and the splitter's own thread (caller runs). */
    private static final int CONCURRENCY = 8;
    private static final int MAX_IN_FLIGHT = 2 * CONCURRENCY + 1;

    @TempDir
    Path dir;

    @Test
    void sigtermMidFileStopsTakingLinesAndTheRestartSendsEachLineExactlyOnce() throws Exception {
        Map<String, Long> perLine = interruptAndResume(true);
        assertEquals(LINES, perLine.size(), "every line delivered");
        assertEquals(Map.of(), twice(perLine), "no line delivered twice");
    }

    @Test
    void killMidFileLosesNoLineAndSendsAtMostTheInFlightOnesTwice() throws Exception {
        Map<String, Long> perLine = interruptAndResume(false);
        assertEquals(LINES, perLine.size(), "every line delivered");
        Map<String, Long> twice = twice(perLine);
        System.out.println("kill -9 mid-file: " + twice.size() + " line(s) delivered twice (bound " + MAX_IN_FLIGHT + ")");
        assertTrue(twice.size() <= MAX_IN_FLIGHT, "at most the in-flight lines twice: " + twice);
        assertTrue(twice.values().stream().allMatch(n -> n == 2), "none more than twice: " + twice);
    }

    /** Deliveries per line content, over both runs. */
    private Map<String, Long> interruptAndResume(boolean sigterm) throws Exception {
        Path jar = RelayProcess.copyPackage(dir.resolve("app"));
        Path work = dir.resolve("work");
        Path inbox = Files.createDirectories(work.resolve("data/inbox"));
        try (WeChatSandbox sandbox = WeChatSandbox.start(0).account(TestRelays.APPID, TestRelays.SECRET)) {
            sandbox.latency(Duration.ofMillis(20)); // ~3,000 lines take several seconds: room to stop in the middle
            Map<String, String> props = new LinkedHashMap<>();
            props.put("kefu.wechat.base-url", sandbox.baseUrl());
            props.put("kefu.appid", TestRelays.APPID);
            props.put("kefu.secret", TestRelays.SECRET);
            props.put("kefu.broker.port", "0");
            props.put("kefu.http.port", "0");
            props.put("kefu.jms.concurrency", String.valueOf(CONCURRENCY));
            props.put("kefu.shutdown.timeout", "20s");

            int atStop;
            try (RelayProcess first = RelayProcess.start(jar, work, props)) {
                first.awaitStarted();
                StringBuilder file = new StringBuilder();
                for (int i = 0; i < LINES; i++) {
                    file.append(Samples.text("line-" + i)).append('\n');
                }
                Path tmp = inbox.resolve("orders.jsonl.tmp");
                Files.writeString(tmp, file, StandardCharsets.UTF_8);
                Files.move(tmp, inbox.resolve("orders.jsonl"));
                await().atMost(Duration.ofSeconds(60)).until(() -> sandbox.deliveredCount() >= 500);
                if (sigterm) {
                    long start = System.nanoTime();
                    assertEquals(143, first.terminate(Duration.ofSeconds(40)), first.output());
                    long stopMs = (System.nanoTime() - start) / 1_000_000;
                    System.out.println("SIGTERM to exit: " + stopMs + " ms");
                    String out = first.output();
                    assertTrue(out.contains("inbox file orders.jsonl: stopped with"), out);
                    assertTrue(out.contains("kefu-relay stopped"), out);
                    // it stopped taking lines: it did not run the whole file to its end inside the shutdown budget
                    assertTrue(stopMs < 15_000, "SIGTERM to exit took " + stopMs + " ms");
                } else {
                    first.kill();
                }
                atStop = sandbox.deliveredCount();
            }
            System.out.println((sigterm ? "SIGTERM" : "kill -9") + " with " + atStop + " of " + LINES + " delivered");
            assertTrue(atStop < LINES, "stopped in the middle of the file (" + atStop + " delivered)");
            assertTrue(Files.exists(inbox.resolve("orders.jsonl")), "the file waits in the inbox");
            assertFalse(Files.exists(inbox.resolve(".error/orders.jsonl")), "never in .error/ without a reason");
            assertFalse(Files.exists(inbox.resolve(".done/orders.jsonl")));

            try (RelayProcess second = RelayProcess.start(jar, work, props)) {
                second.awaitStarted();
                await().atMost(Duration.ofSeconds(90)).until(() -> Files.exists(inbox.resolve(".done/orders.jsonl")));
                assertTrue(second.output().contains("inbox file orders.jsonl: going on after the"), second.output());
                second.terminate(Duration.ofSeconds(30));
            }
            assertFalse(Files.exists(inbox.resolve(".error/orders.jsonl.failed.jsonl")), "no line failed");
            return sandbox.delivered().stream().map(d -> d.body().path("text").path("content").asText())
                    .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        }
    }

    private static Map<String, Long> twice(Map<String, Long> perLine) {
        return perLine.entrySet().stream().filter(e -> e.getValue() > 1)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }
}
