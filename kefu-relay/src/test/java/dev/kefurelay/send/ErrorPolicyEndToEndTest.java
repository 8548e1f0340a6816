package dev.kefurelay.send;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kefurelay.KefuRelay;
import dev.kefurelay.Samples;
import dev.kefurelay.sandbox.WeChatSandbox;
import dev.kefurelay.testkit.TestRelays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rows of the contract's error policy that need their own relay settings. */
class ErrorPolicyEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final String OTHER = "wxpolicytest000002";

    @TempDir
    Path dir;
    WeChatSandbox sandbox;

    @BeforeEach
    void startSandbox() {
        sandbox = WeChatSandbox.start(0).account(TestRelays.APPID, TestRelays.SECRET)
                .account(OTHER, "other-secret");
    }

    @AfterEach
    void stopSandbox() {
        sandbox.close();
    }

    private static JsonNode send(KefuRelay relay, String body) throws Exception {
        return JSON.readTree(relay.send(body));
    }

    private static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void aHostThatRefusesConnectionsFailsOverToTheNext() throws Exception {
        String urls = "http://127.0.0.1:" + closedPort() + "," + sandbox.baseUrl();
        try (KefuRelay relay = KefuRelay.start(TestRelays.properties(dir, sandbox, Map.of("kefu.wechat.base-url", urls)))) {
            assertEquals(0, send(relay, Samples.text("via the second host")).path("errcode").asInt());
            assertEquals(1, sandbox.sendCalls());
            assertEquals(1, sandbox.deliveredCount());
        }
    }

    @Test
    void noHostReachableIsRetriedThenDeadLettered() throws Exception {
        String urls = "http://127.0.0.1:" + closedPort();
        try (KefuRelay relay = KefuRelay.start(TestRelays.properties(dir, sandbox, Map.of("kefu.wechat.base-url", urls)))) {
            JsonNode outcome = send(relay, Samples.text("nowhere"));
            assertEquals("retries-exhausted", outcome.path("reason").asText(), outcome.toString());
            assertTrue(outcome.path("errmsg").asText().contains("no connection"), outcome.toString());
        }
    }

    @Test
    void aReadTimeoutAfterSendingIsAnUnknownOutcomeAndNotRetried() throws Exception {
        try (KefuRelay relay = KefuRelay.start(TestRelays.properties(dir, sandbox,
                Map.of("kefu.wechat.read-timeout", "300ms")))) {
            send(relay, Samples.text("warm the token"));
            sandbox.latency(Duration.ofSeconds(2));
            JsonNode outcome = send(relay, Samples.text("slow"));
            assertEquals("unknown-outcome", outcome.path("reason").asText(), outcome.toString());
            assertEquals(2, sandbox.sendCalls());
        }
    }

    @Test
    void unknownOutcomesAreRetriedOnlyWhenAskedTo() throws Exception {
        try (KefuRelay relay = KefuRelay.start(TestRelays.properties(dir, sandbox,
                Map.of("kefu.wechat.read-timeout", "300ms", "kefu.retry.unknown-outcome", "true")))) {
            send(relay, Samples.text("warm the token"));
            sandbox.latency(Duration.ofSeconds(2));
            JsonNode outcome = send(relay, Samples.text("slow"));
            assertEquals("retries-exhausted", outcome.path("reason").asText(), outcome.toString());
            assertEquals(2 + TestRelays.RETRIES, sandbox.sendCalls());
        }
    }

    @Test
    void theDailyQuotaPausesThatAccountOnly() throws Exception {
        try (KefuRelay relay = KefuRelay.start(TestRelays.properties(dir, sandbox,
                Map.of("kefu.accounts." + OTHER + ".secret", "other-secret")))) {
            sandbox.failNext(45009, 1);
            JsonNode first = send(relay, Samples.text("hits the quota"));
            assertEquals("quota-paused", first.path("reason").asText(), first.toString());
            assertEquals(45009, first.path("errcode").asInt());
            JsonNode second = send(relay, Samples.text("while paused"));
            assertEquals("quota-paused", second.path("reason").asText());
            assertTrue(second.path("errmsg").asText().contains("00:00 UTC+8"), second.toString());
            assertEquals(1, sandbox.sendCalls(), "a paused account makes no calls");
            JsonNode other = send(relay, "{\"appid\":\"" + OTHER + "\"," + Samples.text("other account").substring(1));
            assertEquals(0, other.path("errcode").asInt(), other.toString());
        }
    }
}
