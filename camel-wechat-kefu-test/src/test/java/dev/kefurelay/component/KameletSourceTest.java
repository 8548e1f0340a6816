package dev.kefurelay.component;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.kefurelay.sandbox.Pushes;
import dev.kefurelay.sandbox.WeChatSandbox;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The wechat-kefu-source Kamelet with its own account and keys (Kamelet properties, the component knowing none), on a
 * path without {appid}, in a camel-main application: loaded from the component's jar, it receives the sandbox's
 * pushes, and its keys are in no endpoint's text.
 */
class KameletSourceTest {

    static final String APPID = "wxkameletsource001";
    static final String PUSH_TOKEN = "kameletSourceToken1";
    static final String AES_KEY = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";

    @TempDir
    Path dir;
    WeChatSandbox sandbox;
    PushApp app;

    @BeforeEach
    void start() throws Exception {
        sandbox = WeChatSandbox.start(0);
        app = new PushApp(sandbox.baseUrl(), dir, Map.of(), null);
        app.main.addInitialProperty("source.token", PUSH_TOKEN);
        app.main.addInitialProperty("source.key", AES_KEY);
        app.main.configure().addRoutesBuilder(new RouteBuilder() {
            @Override
            public void configure() {
                from("kamelet:wechat-kefu-source?path=/hooks/wechat&appid=" + APPID
                        + "&pushToken={{source.token}}&pushSecretKey={{source.key}}").routeId("from-kamelet")
                    .to("direct:received");
                from("direct:received")
                    .process(e -> app.bodies.add(e.getMessage().getHeader("KefuOpenId", String.class)));
            }
        });
        app.start();
    }

    @AfterEach
    void stop() {
        app.close();
        sandbox.close();
    }

    @Test
    void theKameletReceivesOnItsPathWithItsOwnKeys() {
        Pushes pushes = sandbox.pushes(app.url(), PUSH_TOKEN, AES_KEY, APPID);
        Pushes.Result r = pushes.push("/hooks/wechat", "<xml><ToUserName><![CDATA[gh_k]]></ToUserName><FromUserName>"
                + "<![CDATA[oKameletUser01]]></FromUserName><CreateTime>" + System.currentTimeMillis() / 1000
                + "</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[hi]]></Content><MsgId>42</MsgId>"
                + "</xml>");
        assertTrue(r.success(), r.toString());
        assertEquals(List.of("oKameletUser01"), app.bodies);
        app.camel().getEndpoints().forEach(e -> {
            assertFalse(e.toString().contains(PUSH_TOKEN), "the push token in " + e.getEndpointBaseUri());
            assertFalse(e.toString().contains(AES_KEY), "the AES key in " + e.getEndpointBaseUri());
        });
    }
}
