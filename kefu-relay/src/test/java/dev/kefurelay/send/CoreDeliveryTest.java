package dev.kefurelay.send;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kefurelay.KefuRelay;
import dev.kefurelay.LogCapture;
import dev.kefurelay.Samples;
import dev.kefurelay.sandbox.WeChatSandbox;
import dev.kefurelay.testkit.TestRelays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** direct:kefu-send end to end: the relay over real HTTP to the sandbox on 127.0.0.1. */
class CoreDeliveryTest {

    static final String APPID = TestRelays.APPID;
    static final String SECRET = TestRelays.SECRET;
    static final String OTHER = "wxcoretest00000002";
    static final String OTHER_SECRET = "core-test-secret-value-2";
    static final String WRONG = "wxcoretest00000003";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static java.nio.file.Path dir;
    static WeChatSandbox sandbox;
    static KefuRelay relay;
    static LogCapture logs;

    @BeforeAll
    static void start() throws Exception {
        logs = LogCapture.open();
        sandbox = WeChatSandbox.start(0).account(APPID, SECRET).account(OTHER, OTHER_SECRET)
                .account(WRONG, "the-real-secret");
        relay = KefuRelay.start(TestRelays.properties(dir, sandbox, Map.of(
                "kefu.accounts." + OTHER + ".secret", OTHER_SECRET,
                "kefu.accounts." + WRONG + ".secret", "not-the-secret")));
    }

    @AfterAll
    static void stop() {
        relay.close();
        sandbox.close();
        String all = logs.text();
        logs.close();
        // the whole run's log: no secret and no token that the sandbox issued
        for (String secret : List.of(SECRET, OTHER_SECRET, "not-the-secret")) {
            assertFalse(all.contains(secret), "a secret reached the log");
        }
        for (String token : sandbox.issuedTokens()) {
            assertFalse(all.contains(token), "an access token reached the log");
        }
        assertFalse(sandbox.issuedTokens().isEmpty());
        assertTrue(all.contains("delivered appid=" + APPID), "outcome lines are logged");
    }

    @BeforeEach
    void fresh() {
        sandbox.reset();
        relay.tokens().invalidate(APPID);
        relay.tokens().invalidate(OTHER);
    }

    static java.util.Set<String> types() {
        return Samples.contents().keySet();
    }

    @ParameterizedTest
    @MethodSource("types")
    void everyTypeArrivesAsWeChatsExactJson(String msgtype) throws Exception {
        String withEnvelope = "{\"appid\":\"" + APPID + "\",\"id\":\"type-" + msgtype + "\","
                + Samples.wechatBody(msgtype).substring(1);
        JsonNode outcome = JSON.readTree(relay.send(withEnvelope));
        assertEquals(0, outcome.path("errcode").asInt(), outcome.toString());
        assertEquals(1, sandbox.deliveredCount());
        WeChatSandbox.Delivered got = sandbox.delivered().get(0);
        assertEquals(JSON.readTree(Samples.wechatBody(msgtype)), got.body());
        assertEquals(APPID, got.appid());
    }

    @Test
    void kfAccountAndChineseTextArriveIntact() throws Exception {
        String body = "{\"touser\":\"" + Samples.USER + "\",\"msgtype\":\"text\",\"text\":{\"content\":\"订单 #42 已发货 🎉\"},"
                + "\"customservice\":{\"kf_account\":\"test1@kftest\"}}";
        relay.send(body);
        JsonNode got = sandbox.delivered().get(0).body();
        assertEquals("订单 #42 已发货 🎉", got.path("text").path("content").asText());
        assertEquals("test1@kftest", got.path("customservice").path("kf_account").asText());
    }

    @Test
    void severalAccountsEachUseTheirOwnToken() throws Exception {
        relay.send(Samples.text("one"));
        relay.send("{\"appid\":\"" + OTHER + "\"," + Samples.text("two").substring(1));
        assertEquals(List.of(APPID, OTHER), sandbox.delivered().stream().map(WeChatSandbox.Delivered::appid).toList());
        assertEquals(1, sandbox.tokenFetches(APPID));
        assertEquals(1, sandbox.tokenFetches(OTHER));
    }

    @Test
    void twoHundredConcurrentSendsFetchOneToken() throws Exception {
        List<String> outcomes = sendConcurrently(200, 16, i -> Samples.text("burst " + i));
        assertTrue(outcomes.stream().allMatch(o -> o.contains("\"errcode\":0")), outcomes.toString());
        assertEquals(200, sandbox.deliveredCount());
        assertEquals(1, sandbox.tokenFetches(APPID));
    }

    @Test
    void afterRevocationFiftyConcurrentSendsFetchOneMoreTokenAndAllArrive() throws Exception {
        relay.send(Samples.text("warm up"));
        assertEquals(1, sandbox.tokenFetches(APPID));
        sandbox.revokeTokens();
        List<String> outcomes = sendConcurrently(50, 16, i -> Samples.text("after revoke " + i));
        assertTrue(outcomes.stream().allMatch(o -> o.contains("\"errcode\":0")), outcomes.toString());
        assertEquals(51, sandbox.deliveredCount());
        assertEquals(2, sandbox.tokenFetches(APPID));
    }

    @Test
    void expiredTokenIsReplacedAndTheMessageSentOnce() throws Exception {
        relay.send(Samples.text("warm up"));
        sandbox.expireTokens();
        JsonNode outcome = JSON.readTree(relay.send(Samples.text("after expiry")));
        assertEquals(0, outcome.path("errcode").asInt());
        assertEquals(2, sandbox.deliveredCount());
        assertEquals(2, sandbox.tokenFetches(APPID));
    }

    @Test
    void aTokenCloseToExpiryIsRefreshedBeforeItIsUsed() throws Exception {
        // expires_in 2s is under the 60s refresh-ahead: the relay keeps it for half its life, then fetches anew
        sandbox.tokenLifetime(Duration.ofSeconds(2));
        sandbox.revokeTokens();
        relay.send(Samples.text("first"));
        int fetchesAfterFirst = sandbox.tokenFetches(APPID);
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() -> {
            relay.send(Samples.text("again"));
            return sandbox.tokenFetches(APPID) > fetchesAfterFirst;
        });
        // every call WeChat saw carried a valid token: none was refused and resent
        assertEquals(sandbox.sendCalls(), sandbox.deliveredCount());
    }

    @Test
    void badInputPostsNothing() throws Exception {
        for (String bad : List.of("{not json", "{\"msgtype\":\"text\",\"text\":{\"content\":\"x\"}}",
                "{\"touser\":\"o1\",\"msgtype\":\"sms\",\"sms\":{}}",
                "{\"touser\":\"o1\",\"msgtype\":\"image\",\"image\":{}}",
                "{\"touser\":\"o1\",\"msgtype\":\"news\",\"news\":{\"articles\":[{\"title\":\"a\",\"url\":\"u\"},"
                        + "{\"title\":\"b\",\"url\":\"u\"}]}}")) {
            JsonNode outcome = JSON.readTree(relay.send(bad));
            assertEquals("invalid-input", outcome.path("reason").asText(), outcome.toString());
            assertFalse(outcome.path("errmsg").asText().isBlank());
        }
        assertEquals(0, sandbox.sendCalls());
        assertEquals(0, sandbox.tokenFetches(APPID));
    }

    @Test
    void aRefusedTokenRequestFailsWithWeChatsErrcode() throws Exception {
        JsonNode outcome = JSON.readTree(relay.send("{\"appid\":\"" + WRONG + "\"," + Samples.text("x").substring(1)));
        assertEquals("wechat-error", outcome.path("reason").asText());
        assertEquals(40125, outcome.path("errcode").asInt());
        assertTrue(outcome.path("errmsg").asText().contains("access token for " + WRONG + " refused"), outcome.toString());
        assertEquals(0, sandbox.sendCalls());
    }

    @Test
    void anUnconfiguredAccountIsBadInput() throws Exception {
        JsonNode outcome = JSON.readTree(relay.send("{\"appid\":\"wxnobody\"," + Samples.text("x").substring(1)));
        assertEquals("invalid-input", outcome.path("reason").asText());
        // the relay's keys, which its operator sets, not the component's
        assertTrue(outcome.path("errmsg").asText().contains("set kefu.accounts.wxnobody.secret (or kefu.appid and "
                + "kefu.secret)"), outcome.toString());
    }

    @Test
    void aPermanentErrorIsNotRetried() throws Exception {
        sandbox.failNext(43004, 1);
        JsonNode outcome = JSON.readTree(relay.send(Samples.text("x")));
        assertEquals("wechat-error", outcome.path("reason").asText());
        assertEquals(43004, outcome.path("errcode").asInt());
        assertEquals(1, sandbox.sendCalls());
    }

    @Test
    void aBusyWeChatIsRetriedWithBackoffUntilItTakesTheMessage() throws Exception {
        sandbox.failNext(-1, 2);
        sandbox.failNextHttp(503, 1);
        JsonNode outcome = JSON.readTree(relay.send(Samples.text("x")));
        assertEquals(0, outcome.path("errcode").asInt(), outcome.toString());
        assertEquals(4, sandbox.sendCalls());
        assertEquals(1, sandbox.deliveredCount());
    }

    @Test
    void aPermanentErrorDuringRetriesEndsTheRetries() throws Exception {
        sandbox.failNext(-1, 1);
        sandbox.failNext(40003, 1);
        JsonNode outcome = JSON.readTree(relay.send(Samples.text("x")));
        assertEquals("wechat-error", outcome.path("reason").asText(), outcome.toString());
        assertEquals(40003, outcome.path("errcode").asInt());
        assertEquals(2, sandbox.sendCalls());
        assertEquals(0, sandbox.deliveredCount());
    }

    @Test
    void retriesRunOutIntoRetriesExhausted() throws Exception {
        sandbox.failNext(45011, 50);
        JsonNode outcome = JSON.readTree(relay.send(Samples.text("x")));
        assertEquals("retries-exhausted", outcome.path("reason").asText());
        assertEquals(45011, outcome.path("errcode").asInt());
        assertEquals(1 + TestRelays.RETRIES, sandbox.sendCalls());
        assertEquals(0, sandbox.deliveredCount());
    }

    @Test
    void aMessageIdDeliveredBeforeIsNotSentAgain() throws Exception {
        relay.send(Samples.textWithId("dup-1", "once"));
        JsonNode second = JSON.readTree(relay.send(Samples.textWithId("dup-1", "once")));
        assertTrue(second.path("duplicate").asBoolean(), second.toString());
        assertEquals(1, sandbox.deliveredCount());
    }

    @Test
    void aCopyWaitsForTheCopyInFlightAndIsSentWhenThatOneFailed() throws Exception {
        sandbox.latency(Duration.ofSeconds(1));
        sandbox.failNext(43004, 1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<String> first = pool.submit(() -> relay.send(Samples.textWithId("fail-then-send", "twice")));
            await().atMost(Duration.ofSeconds(10)).until(() -> sandbox.sendCalls() == 1);
            Future<String> second = pool.submit(() -> relay.send(Samples.textWithId("fail-then-send", "twice")));
            // while the first is at WeChat the second does not go out (it would be a second delivery if it did)
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(1)).until(() -> sandbox.sendCalls() == 1);
            JsonNode failed = JSON.readTree(first.get(20, java.util.concurrent.TimeUnit.SECONDS));
            assertEquals(43004, failed.path("errcode").asInt(), failed.toString());
            JsonNode sent = JSON.readTree(second.get(20, java.util.concurrent.TimeUnit.SECONDS));
            assertEquals(JSON.readTree("{\"errcode\":0,\"errmsg\":\"ok\",\"channel\":\"custom\"}"), sent);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(2, sandbox.sendCalls());
        assertEquals(1, sandbox.deliveredCount());
    }

    private static List<String> sendConcurrently(int n, int threads, java.util.function.IntFunction<String> body)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Callable<String>> tasks = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int k = i;
                tasks.add(() -> relay.send(body.apply(k)));
            }
            List<String> out = new ArrayList<>();
            for (Future<String> f : pool.invokeAll(tasks)) {
                out.add(f.get());
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }
}
