package dev.kefurelay.ops;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.kefurelay.Samples;
import dev.kefurelay.broker.JmsConnections;
import dev.kefurelay.sandbox.WeChatSandbox;
import dev.kefurelay.testkit.Http;
import dev.kefurelay.testkit.RelayProcess;
import dev.kefurelay.testkit.TestRelays;
import jakarta.jms.Connection;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM in the middle of 1,000 JMS messages: the packaged relay stops taking messages, finishes or rolls
 * back the ones in flight and stops its broker; started again on the same data, it delivers the rest.
 * Every message reaches WeChat exactly once.
 */
class GracefulShutdownIT {

    private static final int N = 1000;

    @TempDir
    Path dir;

    @Test
    void sigtermMidRunLosesNoneAndDuplicatesNone() throws Exception {
        Path jar = RelayProcess.copyPackage(dir.resolve("app"));
        Path work = dir.resolve("work");
        try (WeChatSandbox sandbox = WeChatSandbox.start(0).account(TestRelays.APPID, TestRelays.SECRET)) {
            sandbox.latency(Duration.ofMillis(20));
            Map<String, String> props = new LinkedHashMap<>();
            props.put("kefu.wechat.base-url", sandbox.baseUrl());
            props.put("kefu.appid", TestRelays.APPID);
            props.put("kefu.secret", TestRelays.SECRET);
            props.put("kefu.broker.port", "0");
            props.put("kefu.broker.data-dir", dir.resolve("broker").toString());
            props.put("kefu.http.port", "0");
            props.put("kefu.shutdown.timeout", "10s");

            int deliveredAtStop;
            try (RelayProcess first = RelayProcess.start(jar, work, props)) {
                first.awaitStarted();
                // in transactions of 100: one journal sync per batch, so all are on the queue within a second
                try (Connection c = JmsConnections.plain(first.brokerUrl(), null, null).createConnection()) {
                    Session session = c.createSession(true, Session.SESSION_TRANSACTED);
                    MessageProducer producer = session.createProducer(session.createQueue("kefu.outbound"));
                    for (int i = 0; i < N; i++) {
                        producer.send(session.createTextMessage(Samples.text("g-" + i)));
                        if (i % 100 == 99) {
                            session.commit();
                        }
                    }
                }
                await().atMost(Duration.ofSeconds(30)).until(() -> sandbox.deliveredCount() >= 150);
                int exit = first.terminate(Duration.ofSeconds(30));
                deliveredAtStop = sandbox.deliveredCount();
                // for the report: how the stop went, without the thousand outcome lines
                first.output().lines().filter(l -> !l.contains(" outcome - ")).forEach(System.out::println);
                System.out.println("delivered at stop: " + deliveredAtStop);
                assertEquals(143, exit, first.output());
                String out = first.output();
                assertTrue(out.contains("Embedded Artemis broker stopped"), out);
                assertTrue(out.contains("kefu-relay stopped"), out);
            }
            assertTrue(deliveredAtStop < N, "stopped mid-run (" + deliveredAtStop + " delivered)");

            try (RelayProcess second = RelayProcess.start(jar, work, props)) {
                String http = second.awaitStarted();
                await().atMost(Duration.ofSeconds(60)).until(() -> sandbox.deliveredCount() >= N);
                // settled: nothing left on the queue, nothing dead-lettered
                await().atMost(Duration.ofSeconds(10)).until(() -> {
                    String m = Http.get(http + "/observe/metrics").body();
                    return Http.sample(m, "kefu_queue_depth", Map.of("queue", "kefu.outbound")) == 0.0;
                });
                String m = Http.get(http + "/observe/metrics").body();
                assertEquals(0.0, Http.sample(m, "kefu_queue_depth", Map.of("queue", "kefu.outbound.dlq")));
                List<String> contents = sandbox.delivered().stream()
                        .map(d -> d.body().path("text").path("content").asText()).toList();
                assertEquals(N, new HashSet<>(contents).size(), "every message delivered");
                assertEquals(N, contents.size(), "none delivered twice");
                second.terminate(Duration.ofSeconds(30));
            }
        }
    }
}
