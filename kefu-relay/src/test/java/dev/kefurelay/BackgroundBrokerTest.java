package dev.kefurelay;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import dev.kefurelay.sandbox.WeChatSandbox;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With a fixed kefu.broker.port (what a deployed relay has) the embedded broker starts beside Camel's
 * configuration: the relay still takes JMS messages from its first one, and a broker that cannot start still
 * stops the start with the broker's own reason.
 */
class BackgroundBrokerTest {

    @TempDir
    static Path dir;
    static WeChatSandbox sandbox;

    @BeforeAll
    static void start() throws Exception {
        sandbox = WeChatSandbox.start(0).account(CoreDeliveryTest.APPID, CoreDeliveryTest.SECRET);
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void aRelayOnAFixedBrokerPortDeliversFromTheQueueAndSaysTheBrokerStartedBeside() throws Exception {
        int port = freePort();
        try (LogCapture log = LogCapture.open();
                KefuRelay relay = KefuRelay.start(TestRelays.properties(dir.resolve("fixed"), sandbox,
                        Map.of("kefu.broker.port", String.valueOf(port))))) {
            assertEquals("tcp://127.0.0.1:" + port, relay.broker().url());
            assertTrue(relay.broker().isRunning());
            try (JmsTestClient client = new JmsTestClient(relay.broker().url(), "kefu.outbound")) {
                client.sendText(Samples.text("from the first message on"));
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> sandbox.deliveredCount() == 1);
            assertTrue(log.text().matches("(?s).*start steps: .*broker \\d+ ms beside, broker wait \\d+ ms.*"),
                    log.text());
        }
    }

    @Test
    void aBrokerPortInUseStopsTheStartWithTheBrokersReason() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Map<String, String> p = TestRelays.properties(dir.resolve("busy"), sandbox,
                    Map.of("kefu.broker.port", String.valueOf(busy.getLocalPort())));
            // the broker's own exception, as when it starts in place: what KefuRelay.main prints
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> KefuRelay.start(p).close());
            assertTrue(e.getMessage().contains("could not listen on 127.0.0.1:" + busy.getLocalPort()), causes(e));
        }
    }

    private static String causes(Throwable e) {
        StringBuilder s = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            s.append(t).append(" <- ");
        }
        return s.toString();
    }
}
