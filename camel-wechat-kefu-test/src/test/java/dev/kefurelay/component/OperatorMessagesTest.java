package dev.kefurelay.component;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.kefurelay.Samples;
import dev.kefurelay.sandbox.WeChatSandbox;
import dev.kefurelay.token.OptionNames;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the component tells an operator: at start, per attempt, and in a message's outcome, naming the keys to set. */
class OperatorMessagesTest {

    private static final String APPID = "wxoperatormessage1";
    private static final String SECRET = "operator-secret";
    private static WeChatSandbox sandbox;

    @TempDir
    Path dir;
    private CamelContext camel;

    @BeforeAll
    static void startSandbox() {
        sandbox = WeChatSandbox.start(0).account(APPID, SECRET);
    }

    @AfterAll
    static void stopSandbox() {
        sandbox.close();
    }

    @AfterEach
    void stopCamel() throws Exception {
        if (camel != null) {
            camel.close();
        }
    }

    @Test
    void anApplicationWithoutAnyAccountIsToldSoInOneWarningAtStart() throws Exception {
        try (LogLines log = LogLines.open()) {
            camel = start(component(null, null), "wechat-kefu:send");
            List<String> warnings = log.containing("has no account to send for");
            assertEquals(1, warnings.size(), log.lines().toString());
            assertTrue(warnings.get(0).startsWith("WARN WeChatKefuComponent "), warnings.get(0));
            assertTrue(warnings.get(0).contains("camel.component.wechat-kefu.appid and "
                    + "camel.component.wechat-kefu.secret"), warnings.get(0));
            // and that is what happens to a message
            Exchange reply = send("direct:in", Samples.text("nobody sends this"));
            assertEquals("invalid-input", reply.getMessage().getHeader(KefuHeaders.REASON));
            assertEquals(1, log.containing("has no account to send for").size(), "said once, not per message");
        }
    }

    @Test
    void noWarningWhenTheComponentOrAnEndpointHasAnAccount() throws Exception {
        try (LogLines log = LogLines.open()) {
            camel = start(component(null, null), "wechat-kefu:send?appid=" + APPID + "&secret=" + SECRET);
            camel.close();
            camel = start(component(APPID, SECRET), "wechat-kefu:send");
            assertEquals(List.of(), log.containing("has no account"));
            assertEquals("delivered", send("direct:in", Samples.text("sent")).getMessage()
                    .getHeader(KefuHeaders.OUTCOME));
        }
    }

    @Test
    void anAppidThatIsNoAccountIsToldWithTheKeysOfTheHostingApplication() throws Exception {
        camel = start(component(APPID, SECRET), "wechat-kefu:send");
        String message = "{\"appid\":\"wxnobody\"," + Samples.text("x").substring(1);
        assertEquals("appid 'wxnobody' is not a configured account: set camel.component.wechat-kefu.accounts[wxnobody] "
                + "(or camel.component.wechat-kefu.appid and camel.component.wechat-kefu.secret)",
                send("direct:in", message).getMessage().getHeader(KefuHeaders.ERRMSG));
        camel.close();
        WeChatKefuComponent hosted = component(APPID, SECRET);
        hosted.setOptionNames((option, appid) -> "app." + option + (appid == null ? "" : "." + appid));
        camel = start(hosted, "wechat-kefu:send");
        assertEquals("appid 'wxnobody' is not a configured account: set app.accounts.wxnobody (or app.appid and "
                + "app.secret)", send("direct:in", message).getMessage().getHeader(KefuHeaders.ERRMSG));
        assertEquals(OptionNames.CAMEL, component(APPID, SECRET).getOptionNames());
    }

    /** Each failed attempt says it will be retried; retries-exhausted is said once, after the last. */
    @Test
    void aTokenThatCannotBeFetchedLogsEachAttemptAndRetriesExhaustedOnlyAfterTheLast() throws Exception {
        WeChatKefuComponent wechat = component(APPID, SECRET);
        wechat.getConfiguration().setBaseUrl(refusingUrl());
        wechat.getConfiguration().setRetryMax(2);
        wechat.getConfiguration().setRetryDelay(Duration.ofMillis(10));
        try (LogLines log = LogLines.open()) {
            camel = start(wechat, "wechat-kefu:send");
            Exchange reply = send("direct:in", Samples.text("no WeChat"));
            assertEquals("retries-exhausted", reply.getMessage().getHeader(KefuHeaders.REASON));
            List<String> lines = log.lines();
            List<String> exhausted = log.containing("retries-exhausted");
            assertEquals(1, exhausted.size(), lines.toString());
            assertEquals(exhausted.get(0), lines.get(lines.size() - 1), "said after the last attempt: " + lines);
            assertEquals(1, log.containing("attempt 1 of 3 of a message for " + APPID).size(), lines.toString());
            assertEquals(1, log.containing("attempt 2 of 3 of a message for " + APPID).size(), lines.toString());
            assertTrue(log.containing("attempt 3 of 3").isEmpty(), "the last attempt is the outcome: " + lines);
            List<String> fetches = log.containing("could not fetch access token for " + APPID);
            assertEquals(3, fetches.size(), lines.toString());
            fetches.forEach(l -> assertTrue(l.contains("(retryable: "), l));
            assertFalse(log.lines().toString().contains(SECRET), "the secret reached the log");
        }
    }

    private WeChatKefuComponent component(String appid, String secret) {
        WeChatKefuComponent wechat = new WeChatKefuComponent();
        wechat.getConfiguration().setBaseUrl(sandbox.baseUrl());
        wechat.getConfiguration().setAppid(appid);
        wechat.getConfiguration().setSecret(secret);
        wechat.getConfiguration().setStoreDir(dir.resolve("store").toString());
        return wechat;
    }

    private static CamelContext start(WeChatKefuComponent wechat, String to) throws Exception {
        CamelContext camel = new DefaultCamelContext();
        camel.addComponent("wechat-kefu", wechat);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:in").to(to + (to.contains("?") ? "&" : "?") + "failure=outcome");
            }
        });
        camel.start();
        return camel;
    }

    private Exchange send(String uri, String body) {
        return camel.createProducerTemplate().request(uri, e -> e.getMessage().setBody(body));
    }

    private static String refusingUrl() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return "http://127.0.0.1:" + s.getLocalPort();
        }
    }
}
