package dev.kefurelay.component;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;

import dev.kefurelay.Samples;
import dev.kefurelay.sandbox.WeChatSandbox;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Whatever fails while an outcome is reported, the caller's exchange completes: a failure there is the exchange's
 * exception, never a route that waits forever for a callback nobody calls.
 */
class ProducerCallbackTest {

    private static final String APPID = "wxcallbacktest0001";

    private WeChatSandbox sandbox;
    private CamelContext camel;

    @BeforeEach
    void start() {
        sandbox = WeChatSandbox.start(0).account(APPID, "callback-secret");
        WeChatKefuComponent wechat = new WeChatKefuComponent();
        WeChatKefuComponentConfiguration options = wechat.getConfiguration();
        options.setBaseUrl(sandbox.baseUrl());
        options.setAppid(APPID);
        options.setSecret("callback-secret");
        // a listener that breaks: metrics code of the application's, say
        options.setOutcomeListener((appid, outcome, latencyMs) -> {
            throw new IllegalStateException("listener broke");
        });
        camel = new DefaultCamelContext();
        camel.addComponent("wechat-kefu", wechat);
        camel.start();
    }

    @AfterEach
    void stop() throws Exception {
        camel.close();
        sandbox.close();
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aListenerThatThrowsFailsTheExchangeInsteadOfHangingIt(boolean synchronous) {
        Exchange done = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> camel.createProducerTemplate()
                .request("wechat-kefu:send?synchronous=" + synchronous, e -> e.getMessage().setBody(Samples.text("hi"))));
        assertEquals("listener broke", done.getException().getMessage());
        // the message itself went out once: the failure is in reporting it, not in sending it
        assertEquals(1, sandbox.delivered().size());
    }
}
