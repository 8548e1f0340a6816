package dev.kefurelay.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kefurelay.Samples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Each fault helper of the test kit changes what the relay does. */
class KefuSandboxExtensionTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static KefuSandboxExtension wechat = new KefuSandboxExtension()
            // short enough for the latency test to end in an unknown outcome quickly
            .withProperty("kefu.wechat.read-timeout", "300ms");

    private JsonNode send(String content) throws Exception {
        return JSON.readTree(wechat.relay().send(Samples.text(content)));
    }

    @Test
    void theRelaySendsToTheSandboxFromTheDemoAccount() throws Exception {
        assertEquals(0, send("hello").path("errcode").asInt());
        assertEquals(1, wechat.delivered().size());
        assertEquals(KefuSandboxExtension.DEMO_APPID, wechat.delivered().get(0).appid());
    }

    @Test
    void eachTestStartsWithNothingDeliveredAndNoFaults() throws Exception {
        assertTrue(wechat.delivered().isEmpty());
        assertEquals(0, send("clean").path("errcode").asInt());
    }

    @Test
    void failNextMakesTheRelayReportWeChatsRefusal() throws Exception {
        wechat.failNext(40003);
        JsonNode outcome = send("nobody");
        assertEquals("wechat-error", outcome.path("reason").asText());
        assertEquals(40003, outcome.path("errcode").asInt());
        assertTrue(wechat.delivered().isEmpty());
        assertEquals(0, send("next one passes").path("errcode").asInt(), "only the next call fails");
    }

    @Test
    void failNextWithABusyWeChatMakesTheRelayRetry() throws Exception {
        wechat.failNext(-1, 2);
        assertEquals(0, send("after two busy answers").path("errcode").asInt());
        assertEquals(3, wechat.sandbox().sendCalls());
        assertEquals(1, wechat.delivered().size());
    }

    @Test
    void revokeTokensMakesTheRelayFetchANewTokenAndStillDeliver() throws Exception {
        send("warm the token");
        int fetchesBefore = wechat.sandbox().tokenFetches(KefuSandboxExtension.DEMO_APPID);
        wechat.revokeTokens();
        assertEquals(0, send("after revocation").path("errcode").asInt());
        assertEquals(fetchesBefore + 1, wechat.sandbox().tokenFetches(KefuSandboxExtension.DEMO_APPID));
        assertEquals(2, wechat.delivered().size());
    }

    @Test
    void latencyBeyondTheReadTimeoutMakesTheOutcomeUnknown() throws Exception {
        send("warm the token");
        wechat.latency(Duration.ofSeconds(1));
        JsonNode outcome = send("slow");
        assertEquals("unknown-outcome", outcome.path("reason").asText(), outcome.toString());
    }

    @Test
    void typingIsRecorded() {
        wechat.template().requestBody("direct:kefu-typing", "{\"touser\":\"oT1\",\"command\":\"Typing\"}");
        assertEquals(List.of("oT1:Typing"), wechat.typing());
    }
}
