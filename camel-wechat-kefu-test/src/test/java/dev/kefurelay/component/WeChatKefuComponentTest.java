package dev.kefurelay.component;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kefurelay.Samples;
import dev.kefurelay.sandbox.WeChatSandbox;
import dev.kefurelay.wechat.Reason;
import dev.kefurelay.wechat.SendFailedException;
import org.apache.camel.AsyncProcessor;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.AsyncProcessorConverterHelper;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The component on its own: a plain DefaultCamelContext with only wechat-kefu configured against the sandbox
 * (real HTTP on a free loopback port). No relay, no broker, no route.
 */
class WeChatKefuComponentTest {

    private static final String APPID = "wxcomponenttest001";
    private static final String SECRET = "component-test-secret";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static WeChatSandbox sandbox;

    private CamelContext camel;
    private ProducerTemplate template;

    @BeforeAll
    static void startSandbox() {
        sandbox = WeChatSandbox.start(0).account(APPID, SECRET);
    }

    @AfterAll
    static void stopSandbox() {
        sandbox.close();
    }

    @BeforeEach
    void startCamel() {
        sandbox.reset();
        WeChatKefuComponent wechat = new WeChatKefuComponent();
        WeChatKefuComponentConfiguration options = wechat.getConfiguration();
        options.setBaseUrl(sandbox.baseUrl());
        options.setAppid(APPID);
        options.setSecret(SECRET);
        options.setRetryDelay(Duration.ofMillis(20));
        camel = new DefaultCamelContext();
        camel.addComponent("wechat-kefu", wechat);
        camel.start();
        template = camel.createProducerTemplate();
    }

    @AfterEach
    void stopCamel() throws Exception {
        camel.close();
    }

    @Test
    void everyTypeReachesWeChatAsItsExactJson() throws Exception {
        for (String type : Samples.contents().keySet()) {
            assertEquals("{\"errcode\":0,\"errmsg\":\"ok\",\"channel\":\"custom\"}",
                    template.requestBody("wechat-kefu:send", Samples.wechatBody(type), String.class), type);
        }
        List<WeChatSandbox.Delivered> delivered = sandbox.delivered();
        assertEquals(11, delivered.size());
        int i = 0;
        for (String type : Samples.contents().keySet()) {
            assertEquals(JSON.readTree(Samples.wechatBody(type)), delivered.get(i++).body(), type);
        }
    }

    @Test
    void typingIsPostedToCustomTyping() {
        Exchange reply = template.request("wechat-kefu:typing", e -> e.getMessage()
                .setBody("{\"touser\":\"" + Samples.USER + "\",\"command\":\"Typing\"}"));
        assertNull(reply.getException());
        assertEquals("delivered", reply.getMessage().getHeader(KefuHeaders.OUTCOME));
        assertEquals(List.of(Samples.USER + ":Typing"), sandbox.typing());
    }

    @Test
    void oneTokenFetchFor200ConcurrentSendsAndOneMoreAfterARevocation() {
        // every call waits a little, so that all 200 are in flight together, most while the first token is fetched
        sandbox.latency(Duration.ofMillis(50));
        sendConcurrently(200, "first");
        assertEquals(200, sandbox.deliveredCount());
        assertEquals(1, sandbox.tokenFetches(APPID));
        sandbox.revokeTokens();
        sendConcurrently(50, "after revoke");
        assertEquals(250, sandbox.deliveredCount());
        assertEquals(2, sandbox.tokenFetches(APPID));
    }

    @Test
    void callersThatWaitedForTheTokenCallWeChatTogetherNotOneAfterAnother() {
        // synchronous=true: a call runs on its caller's thread, unless the caller had to wait for the token. The
        // first token arrives on the fetcher's thread with all 16 callers waiting for it; their calls then ran there
        // one after another (16 x 200 ms) before they were moved to the component's pool
        sandbox.latency(Duration.ofMillis(200));
        sendConcurrently(16, "together", "wechat-kefu:send?synchronous=true");
        assertEquals(1, sandbox.tokenFetches(APPID));
        assertTrue(sandbox.maxConcurrentSends() >= 8, "at most " + sandbox.maxConcurrentSends() + " at once");
        // and once the token is there, each caller calls on its own thread, all together as well
        sandbox.reset();
        sandbox.latency(Duration.ofMillis(200));
        sendConcurrently(16, "with the token", "wechat-kefu:send?synchronous=true");
        assertEquals(0, sandbox.tokenFetches(APPID));
        assertTrue(sandbox.maxConcurrentSends() >= 8, "at most " + sandbox.maxConcurrentSends() + " at once");
    }

    @Test
    void aRefusalIsATypedExceptionByDefault() {
        sandbox.failNext(43004, 1);
        CamelExecutionException e = assertThrows(CamelExecutionException.class,
                () -> template.requestBody("wechat-kefu:send", Samples.text("hello"), String.class));
        SendFailedException failure = assertInstanceOf(SendFailedException.class, e.getCause());
        assertEquals(Reason.WECHAT_ERROR, failure.reason());
        assertEquals(43004, failure.errcode());
        assertEquals("require subscribe", failure.errmsg());
    }

    @Test
    void aRefusalIsTheOutcomeWhenAskedFor() {
        sandbox.failNext(43004, 1);
        Exchange reply = template.request("wechat-kefu:send?failure=outcome",
                e -> e.getMessage().setBody(Samples.text("hello")));
        assertNull(reply.getException());
        assertEquals("failed", reply.getMessage().getHeader(KefuHeaders.OUTCOME));
        assertEquals("wechat-error", reply.getMessage().getHeader(KefuHeaders.REASON));
        assertEquals(43004, reply.getMessage().getHeader(KefuHeaders.ERRCODE));
        assertEquals("{\"reason\":\"wechat-error\",\"errcode\":43004,\"errmsg\":\"require subscribe\",\"channel\":\"custom\"}",
                reply.getMessage().getBody(String.class));
    }

    @Test
    void aSecondSendOnTheExchangeKeepsNothingOfTheFirstOutcome() {
        sandbox.failNext(43004, 1);
        Exchange exchange = new DefaultExchange(camel);
        exchange.getMessage().setBody(Samples.text("first"));
        template.send("wechat-kefu:send?failure=outcome", exchange);
        assertEquals("failed", exchange.getMessage().getHeader(KefuHeaders.OUTCOME));
        assertEquals("custom", exchange.getMessage().getHeader(KefuHeaders.CHANNEL));
        exchange.getMessage().setBody(Samples.text("second"));
        template.send("wechat-kefu:send?failure=outcome", exchange);
        assertEquals("delivered", exchange.getMessage().getHeader(KefuHeaders.OUTCOME));
        for (String left : List.of(KefuHeaders.REASON, KefuHeaders.ERRCODE, KefuHeaders.ERRMSG, KefuHeaders.FAILED_AT,
                KefuHeaders.MSG_ID)) {
            assertNull(exchange.getMessage().getHeader(left), left);
        }
        // a typing command names no channel: the message's last channel goes with its outcome
        exchange.getMessage().setBody("{\"touser\":\"" + Samples.USER + "\",\"command\":\"Typing\"}");
        template.send("wechat-kefu:typing?failure=outcome", exchange);
        assertEquals("delivered", exchange.getMessage().getHeader(KefuHeaders.OUTCOME));
        assertNull(exchange.getMessage().getHeader(KefuHeaders.CHANNEL));
    }

    @Test
    void aBusyWeChatIsRetriedWithBackoffThenDelivered() {
        sandbox.failNext(-1, 2);
        assertEquals("{\"errcode\":0,\"errmsg\":\"ok\",\"channel\":\"custom\"}",
                template.requestBody("wechat-kefu:send", Samples.text("busy"), String.class));
        assertEquals(3, sandbox.sendCalls());
        assertEquals(1, sandbox.deliveredCount());
    }

    @Test
    void byDefaultTheCallRunsOnTheCallersThread() throws Exception {
        Exchange exchange = new DefaultExchange(camel);
        exchange.getMessage().setBody(Samples.text("on my thread"));
        AsyncProcessor producer = AsyncProcessorConverterHelper.convert(
                camel.getEndpoint("wechat-kefu:send").createProducer());
        ((org.apache.camel.Service) producer).start();
        template.requestBody("wechat-kefu:send", Samples.text("the token first"), String.class);
        CompletableFuture<Thread> done = new CompletableFuture<>();
        boolean sync = producer.process(exchange, doneSync -> done.complete(Thread.currentThread()));
        // the outcome was there when process returned, and the route went on on the caller's thread
        assertTrue(sync);
        assertSame(Thread.currentThread(), done.getNow(null));
        assertEquals("delivered", exchange.getMessage().getHeader(KefuHeaders.OUTCOME));
        assertEquals(2, sandbox.deliveredCount());
    }

    @Test
    void aBackoffDoesNotHoldTheCallersThreadWhenAsynchronous() throws Exception {
        WeChatKefuComponent wechat = camel.getComponent("wechat-kefu", WeChatKefuComponent.class);
        wechat.stop();
        wechat.getConfiguration().setRetryDelay(Duration.ofMillis(300));
        wechat.start();
        sandbox.failNext(-1, 1);
        Exchange exchange = new DefaultExchange(camel);
        exchange.getMessage().setBody(Samples.text("later"));
        AsyncProcessor producer = AsyncProcessorConverterHelper.convert(
                camel.getEndpoint("wechat-kefu:send?synchronous=false").createProducer());
        ((org.apache.camel.Service) producer).start();
        CompletableFuture<Thread> done = new CompletableFuture<>();
        boolean sync = producer.process(exchange, doneSync -> done.complete(Thread.currentThread()));
        // the caller got its thread back at once; the retry and the rest ran on the component's threads
        assertFalse(sync);
        assertTrue(done.get(10, TimeUnit.SECONDS) != Thread.currentThread());
        assertNull(exchange.getException());
        assertEquals("delivered", exchange.getMessage().getHeader(KefuHeaders.OUTCOME));
        assertEquals(2, sandbox.sendCalls());
    }

    @Test
    void plainTextAMapOrBytesAreMessagesToo() {
        template.requestBody("wechat-kefu:send?touser=" + Samples.USER, "plain words", String.class);
        template.requestBody("wechat-kefu:send", Map.of("touser", Samples.USER, "msgtype", "image",
                "image", Map.of("media_id", "MEDIA_1")), String.class);
        template.requestBody("wechat-kefu:send", Samples.text("bytes").getBytes(StandardCharsets.UTF_8), String.class);
        List<WeChatSandbox.Delivered> delivered = sandbox.delivered();
        assertEquals("plain words", delivered.get(0).body().path("text").path("content").asText());
        assertEquals("MEDIA_1", delivered.get(1).body().path("image").path("media_id").asText());
        assertEquals("bytes", delivered.get(2).body().path("text").path("content").asText());
    }

    @Test
    void bytesThatAreNotUtf8AreRefusedAndNothingIsSent() {
        byte[] broken = {'{', (byte) 0xC3, (byte) 0x28, '}'};
        CamelExecutionException e = assertThrows(CamelExecutionException.class,
                () -> template.requestBody("wechat-kefu:send", broken, String.class));
        SendFailedException failure = assertInstanceOf(SendFailedException.class, e.getCause());
        assertEquals(Reason.INVALID_INPUT, failure.reason());
        assertTrue(failure.errmsg().contains("UTF-8"), failure.errmsg());
        assertEquals(0, sandbox.sendCalls());
    }

    private void sendConcurrently(int n, String text) {
        sendConcurrently(n, text, "wechat-kefu:send");
    }

    private void sendConcurrently(int n, String text, String uri) {
        ExecutorService callers = Executors.newFixedThreadPool(n);
        try {
            List<CompletableFuture<String>> replies = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String body = Samples.text(text + " " + i);
                replies.add(CompletableFuture.supplyAsync(
                        () -> template.requestBody(uri, body, String.class), callers));
            }
            replies.forEach(r -> assertEquals("{\"errcode\":0,\"errmsg\":\"ok\",\"channel\":\"custom\"}", r.join()));
        } finally {
            callers.shutdown();
        }
    }
}
