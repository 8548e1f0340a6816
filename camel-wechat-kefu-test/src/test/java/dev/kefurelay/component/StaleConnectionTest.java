package dev.kefurelay.component;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;

import dev.kefurelay.Samples;
import dev.kefurelay.sandbox.WeChatSandbox;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The component behind a proxy that closes keep-alive connections idle for 200 ms: a message sent after such a
 * close is delivered on a new connection, not written onto the closed one and dead-lettered as unknown-outcome.
 */
class StaleConnectionTest {

    private static final String APPID = "wxstaleconnection1";
    private static final long IDLE_CLOSE_MS = 200;

    private WeChatSandbox sandbox;
    private IdleClosingProxy proxy;
    private CamelContext camel;
    private ProducerTemplate template;

    @BeforeEach
    void start() throws Exception {
        sandbox = WeChatSandbox.start(0).account(APPID, "stale-secret");
        proxy = new IdleClosingProxy(sandbox.port(), IDLE_CLOSE_MS);
        WeChatKefuComponent wechat = new WeChatKefuComponent();
        wechat.getConfiguration().setBaseUrl(proxy.url());
        wechat.getConfiguration().setAppid(APPID);
        wechat.getConfiguration().setSecret("stale-secret");
        camel = new DefaultCamelContext();
        camel.addComponent("wechat-kefu", wechat);
        camel.start();
        template = camel.createProducerTemplate();
    }

    @AfterEach
    void stop() throws Exception {
        camel.close();
        proxy.close();
        sandbox.close();
    }

    @Test
    void aMessageAfterTheProxyClosedTheIdleConnectionsIsDelivered() {
        for (int i = 1; i <= 3; i++) {
            Exchange reply = template.request("wechat-kefu:send?failure=outcome",
                    e -> e.getMessage().setBody(Samples.text("after a pause")));
            assertEquals("delivered", reply.getMessage().getHeader(KefuHeaders.OUTCOME),
                    "message " + i + ": " + reply.getMessage().getBody(String.class));
            // every connection the component holds was closed by the proxy before the next message goes
            await().atMost(Duration.ofSeconds(10)).until(() -> proxy.idleCloses.get() == proxy.connections.get());
        }
        assertEquals(3, sandbox.deliveredCount());
        assertEquals(3, sandbox.sendCalls(), "each message reached WeChat once");
    }
}
