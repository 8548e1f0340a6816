package dev.kefurelay.sandbox;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The controls a test uses on the sandbox: injected errcodes and HTTP failures, latency, and reset. */
class FaultsTest extends SandboxTestSupport {

    @Test
    void failNextAnswersTheErrcodeThatManyTimesAndDeliversNothing() throws Exception {
        String token = clientToken();
        sandbox.failNext(-1, 2);

        assertError(-1, "system error", send(token, text(OPENID, "1")));
        assertError(-1, "system error", send(token, text(OPENID, "2")));
        assertOk(send(token, text(OPENID, "3")));

        assertEquals(3, sandbox.sendCalls());
        assertEquals(1, sandbox.deliveredCount());
        assertEquals("3", sandbox.delivered().get(0).body().get("text").get("content").asText());
    }

    @Test
    void failNextUsesWeChatsTextForTheCode() throws Exception {
        sandbox.failNext(45009, 1);
        assertError(45009, "reach max api daily quota limit", send(clientToken(), text(OPENID, "x")));
    }

    @Test
    void failNextHttpAnswersTheStatusThatManyTimes() throws Exception {
        String token = clientToken();
        sandbox.failNextHttp(500, 1);
        sandbox.failNextHttp(429, 1);

        assertEquals(500, send(token, text(OPENID, "1")).status());
        assertEquals(429, send(token, text(OPENID, "2")).status());
        assertOk(send(token, text(OPENID, "3")));
        assertEquals(1, sandbox.deliveredCount());
        assertEquals(3, sandbox.sendCalls());
    }

    @Test
    void injectedFaultsComeInTheOrderTheyWereAskedFor() throws Exception {
        String token = clientToken();
        sandbox.failNext(45011, 1);
        sandbox.failNextHttp(503, 2);

        assertError(45011, "api minute-quota reach limit  mustslower  retry next minute", send(token, text(OPENID, "1")));
        assertEquals(503, send(token, text(OPENID, "2")).status());
        assertEquals(503, send(token, text(OPENID, "3")).status());
        assertOk(send(token, text(OPENID, "4")));
    }

    @Test
    void latencyDelaysEveryResponse() throws Exception {
        sandbox.latency(Duration.ofMillis(300));

        long start = System.nanoTime();
        get("/cgi-bin/token?grant_type=client_credential&appid=" + APPID + "&secret=" + SECRET);
        get("/no/such/path");

        assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() >= 600);
    }

    @Test
    void aClientThatTimesOutUnderLatencyLeavesTheMessageDelivered() throws Exception {
        String token = clientToken();
        sandbox.latency(Duration.ofSeconds(10));

        HttpRequest request = HttpRequest.newBuilder(URI.create(sandbox.baseUrl()
                        + "/cgi-bin/message/custom/send?access_token=" + token))
                .timeout(Duration.ofMillis(200))
                .POST(HttpRequest.BodyPublishers.ofString(text(OPENID, "slow"), UTF_8))
                .build();

        assertThrows(HttpTimeoutException.class, () -> HTTP.send(request, HttpResponse.BodyHandlers.ofString()));
        // The outcome the relay cannot know: WeChat took the message even though the answer never arrived.
        await().atMost(Duration.ofSeconds(5)).until(() -> sandbox.deliveredCount() == 1);
    }

    @Test
    void failAuthorizerAnswersTheErrcodeUntilLifted() throws Exception {
        sandbox.verifyTicket(TICKET);
        String componentToken = componentToken(TICKET).json().get("component_access_token").asText();
        sandbox.failAuthorizer(AUTHORIZER, 61023);

        assertError(61023, "refresh_token is invalid", authorizerToken(componentToken, FIRST_REFRESH_TOKEN));
        assertError(61023, "refresh_token is invalid", authorizerToken(componentToken, FIRST_REFRESH_TOKEN));
        // A refused call must not rotate: the stored refresh token stays the one to use once the fault is gone.
        assertEquals(FIRST_REFRESH_TOKEN, sandbox.currentRefreshToken(AUTHORIZER));

        sandbox.failAuthorizer(AUTHORIZER, 0);
        assertTrue(authorizerToken(componentToken, FIRST_REFRESH_TOKEN).json().has("authorizer_access_token"));
        assertEquals(3, sandbox.tokenFetches(AUTHORIZER));
    }

    @Test
    void resetClearsRecordsCountersFaultsAndLatencyButKeepsAccountsAndTokens() throws Exception {
        String token = clientToken();
        assertOk(send(token, text(OPENID, "before")));
        post("/cgi-bin/message/custom/typing?access_token=" + token, "{\"touser\":\"" + OPENID + "\",\"command\":\"Typing\"}");
        sandbox.failNext(-1, 5);
        sandbox.failNextHttp(500, 5);
        sandbox.failAuthorizer(AUTHORIZER, 61023);
        sandbox.latency(Duration.ofSeconds(30));
        sandbox.tokenLifetime(Duration.ofSeconds(10));

        sandbox.reset();

        assertEquals(0, sandbox.deliveredCount());
        assertEquals(List.of(), sandbox.typing());
        assertEquals(0, sandbox.sendCalls());
        assertEquals(0, sandbox.tokenFetches(APPID));
        HttpRequest quick = HttpRequest.newBuilder(URI.create(sandbox.baseUrl()
                        + "/cgi-bin/message/custom/send?access_token=" + token))
                .timeout(Duration.ofSeconds(5))
                .POST(HttpRequest.BodyPublishers.ofString(text(OPENID, "after"), UTF_8))
                .build();
        assertOk(Reply.of(HTTP.send(quick, HttpResponse.BodyHandlers.ofString(UTF_8))));
        assertEquals(7200, get("/cgi-bin/token?grant_type=client_credential&appid=" + APPID + "&secret=" + SECRET)
                .json().get("expires_in").asInt());
        sandbox.verifyTicket(TICKET);
        assertTrue(authorizerToken(componentToken(TICKET).json().get("component_access_token").asText(),
                FIRST_REFRESH_TOKEN).json().has("authorizer_access_token"));
    }
}
