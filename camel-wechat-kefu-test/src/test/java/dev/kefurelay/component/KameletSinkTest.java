package dev.kefurelay.component;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.kefurelay.sandbox.WeChatSandbox;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The wechat-kefu-sink Kamelet in a plain CamelContext that has only the component's jar (no relay): loaded from the
 * jar's kamelets/, its account and secret given as Kamelet properties, the component knowing nothing but the API's
 * address.
 */
class KameletSinkTest {

    private static final String APPID = "wxkameletaccount01";
    private static final String SECRET = "kamelet-secret-value-1";

    private WeChatSandbox sandbox;
    private CamelContext camel;

    @BeforeEach
    void start() throws Exception {
        sandbox = WeChatSandbox.start(0).account(APPID, SECRET);
        camel = new DefaultCamelContext();
        camel.getComponent("wechat-kefu", WeChatKefuComponent.class).getConfiguration().setBaseUrl(sandbox.baseUrl());
        camel.getPropertiesComponent().addInitialProperty("kefu.secret", SECRET);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:notify").to("kamelet:wechat-kefu-sink?appid=" + APPID + "&secret={{kefu.secret}}"
                        + "&touser=oKameletUser0001");
                from("direct:image").to("kamelet:wechat-kefu-sink?appid=" + APPID + "&secret={{kefu.secret}}"
                        + "&msgtype=image");
            }
        });
        camel.start();
    }

    @AfterEach
    void stop() throws Exception {
        camel.close();
        sandbox.close();
    }

    @Test
    void plainTextGoesOutAsATextMessageWithTheKameletsAccountAndRecipient() {
        Exchange out = camel.createProducerTemplate().request("direct:notify", e -> e.getMessage().setBody("已发货"));
        assertEquals("delivered", out.getMessage().getHeader(KefuHeaders.OUTCOME));
        assertEquals("{\"errcode\":0,\"errmsg\":\"ok\",\"channel\":\"custom\"}", out.getMessage().getBody(String.class));
        WeChatSandbox.Delivered d = sandbox.delivered().get(0);
        assertEquals(APPID, d.appid());
        assertEquals("oKameletUser0001", d.touser());
        assertEquals("已发货", d.body().path("text").path("content").asText());
    }

    @Test
    void aContentObjectOfTheKameletsMsgtypeWithTheRecipientInAHeader() {
        Exchange out = camel.createProducerTemplate().request("direct:image", e -> {
            e.getMessage().setBody("{\"media_id\":\"MEDIA_1\"}");
            e.getMessage().setHeader(KefuHeaders.TO_USER, "oKameletUser0002");
        });
        assertEquals("delivered", out.getMessage().getHeader(KefuHeaders.OUTCOME));
        assertEquals("MEDIA_1", sandbox.delivered().get(0).body().path("image").path("media_id").asText());
    }

    @Test
    void aRefusalIsTheOutcomeNotAnExceptionAndTheSecretIsInNoEndpointsText() {
        sandbox.failNext(43004, 1);
        Exchange out = camel.createProducerTemplate().request("direct:notify", e -> e.getMessage().setBody("hi"));
        assertEquals(null, out.getException());
        assertEquals("failed", out.getMessage().getHeader(KefuHeaders.OUTCOME));
        assertEquals(43004, out.getMessage().getHeader(KefuHeaders.ERRCODE, Integer.class));
        camel.getEndpoints().forEach(e -> assertFalse(e.toString().contains(SECRET), e.toString()));
    }
}
