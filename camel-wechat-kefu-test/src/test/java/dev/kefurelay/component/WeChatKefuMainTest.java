package dev.kefurelay.component;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import dev.kefurelay.Samples;
import dev.kefurelay.sandbox.WeChatSandbox;
import dev.kefurelay.token.TokenMode;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A camel-main application that configures the component only through camel.component.wechat-kefu.* properties. */
class WeChatKefuMainTest {

    private static final String APPID = "wxmaintest00000001";
    private static final String OTHER = "wxmaintest00000002";
    private static final String CLIENT_CREDENTIAL = "wxmaintest00000003";
    private static WeChatSandbox sandbox;

    @BeforeAll
    static void startSandbox() {
        sandbox = WeChatSandbox.start(0).account(APPID, "main-secret-1").account(OTHER, "main-secret-2")
                .account(CLIENT_CREDENTIAL, "main-secret-3");
    }

    @AfterAll
    static void stopSandbox() {
        sandbox.close();
    }

    @Test
    void propertiesBindTheComponentAndARouteSendsThroughIt() throws Exception {
        Main main = application();
        main.addInitialProperty("camel.component.wechat-kefu.base-url", "http://127.0.0.1:1," + sandbox.baseUrl());
        main.addInitialProperty("camel.component.wechat-kefu.appid", APPID);
        main.addInitialProperty("camel.component.wechat-kefu.secret", "main-secret-1");
        main.addInitialProperty("camel.component.wechat-kefu.accounts[" + OTHER + "]", "main-secret-2");
        main.addInitialProperty("camel.component.wechat-kefu.retry-delay", "10ms");
        main.addInitialProperty("camel.component.wechat-kefu.read-timeout", "5s");
        main.start();
        try {
            WeChatKefuComponent wechat = main.getCamelContext().getComponent("wechat-kefu", WeChatKefuComponent.class);
            assertEquals(Duration.ofMillis(10), wechat.getConfiguration().getRetryDelay());
            var template = main.getCamelContext().createProducerTemplate();
            // the first base URL refuses connections: the call fails over to the sandbox
            assertEquals("{\"errcode\":0,\"errmsg\":\"ok\",\"channel\":\"custom\"}", template.requestBody("direct:in", Samples.text("one"),
                    String.class));
            assertEquals("{\"errcode\":0,\"errmsg\":\"ok\",\"channel\":\"custom\"}", template.requestBodyAndHeader("direct:in",
                    Samples.text("two"), KefuHeaders.APP_ID, OTHER, String.class));
            assertEquals(1, sandbox.tokenFetches(APPID));
            assertEquals(1, sandbox.tokenFetches(OTHER));
        } finally {
            main.stop();
        }
    }

    @Test
    void anUnknownKeyStopsTheStartNamingIt() {
        Main main = application();
        main.addInitialProperty("camel.component.wechat-kefu.appid", APPID);
        main.addInitialProperty("camel.component.wechat-kefu.secret", "main-secret-1");
        main.addInitialProperty("camel.component.wechat-kefu.retry-delai", "10ms");
        Exception e = assertThrows(Exception.class, main::start);
        assertTrue(String.valueOf(e.getMessage()).contains("retryDelai"), e.getMessage());
        main.stop();
    }

    @Test
    void missingCredentialsStopTheStartNamingTheOptionNotAValue() {
        Main main = application();
        main.addInitialProperty("camel.component.wechat-kefu.appid", APPID);
        Exception e = assertThrows(Exception.class, main::start);
        String text = causes(e);
        assertTrue(text.contains("camel.component.wechat-kefu.secret"), text);
        assertFalse(text.contains("main-secret"), text);
        main.stop();
    }

    /** The closed choice token-mode binds from its documented text, dash and all, and the route sends with it. */
    @Test
    void tokenModeBindsFromItsText() throws Exception {
        Main main = application();
        main.addInitialProperty("camel.component.wechat-kefu.base-url", sandbox.baseUrl());
        main.addInitialProperty("camel.component.wechat-kefu.token-mode", "client-credential");
        main.addInitialProperty("camel.component.wechat-kefu.appid", CLIENT_CREDENTIAL);
        main.addInitialProperty("camel.component.wechat-kefu.secret", "main-secret-3");
        main.start();
        try {
            WeChatKefuComponent wechat = main.getCamelContext().getComponent("wechat-kefu", WeChatKefuComponent.class);
            assertEquals(TokenMode.CLIENT_CREDENTIAL, wechat.getConfiguration().getTokenMode());
            assertEquals("{\"errcode\":0,\"errmsg\":\"ok\",\"channel\":\"custom\"}", main.getCamelContext().createProducerTemplate()
                    .requestBody("direct:in", Samples.text("three"), String.class));
            assertEquals(1, sandbox.tokenFetches(CLIENT_CREDENTIAL));
        } finally {
            main.stop();
        }
    }

    @Test
    void aWrongTokenModeStopsTheStartNamingTheOptionAndTheAllowedValues() {
        Main main = application();
        main.addInitialProperty("camel.component.wechat-kefu.token-mode", "stable-token");
        Exception e = assertThrows(Exception.class, main::start);
        String text = causes(e);
        assertTrue(text.contains("tokenMode"), text);
        assertTrue(text.contains("'stable-token' is not one of stable, client-credential, component"), text);
        main.stop();
    }

    private static Main application() {
        Main main = new Main();
        main.configure().addRoutesBuilder(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:in").to("wechat-kefu:send");
            }
        });
        return main;
    }

    private static String causes(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            sb.append(t.getMessage()).append(" | ");
        }
        return sb.toString();
    }
}
