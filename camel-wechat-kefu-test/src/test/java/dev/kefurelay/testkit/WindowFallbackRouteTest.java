package dev.kefurelay.testkit;

import dev.kefurelay.wechat.Channel;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kefurelay.component.KefuHeaders;
import dev.kefurelay.sandbox.Delivery;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A user's route test with the kit, against WeChat's customer-service window: the route sends an order notice with
 * a template message as its fallback, and records the pushes it receives ({@code wechat-kefu:interaction}) so that
 * the component knows each customer's window. The test makes customers write or not, and moves the fake WeChat's
 * time, to reach each branch; the sandbox refuses what WeChat refuses (45015, 45047, 40037).
 */
class WindowFallbackRouteTest extends CamelTestSupport {

    @RegisterExtension
    static final WeChatKefuSandboxExtension wechat = new WeChatKefuSandboxExtension().withWindowEnforced();

    private static final String APPID = WeChatKefuSandboxExtension.APPID;
    private static final String SHIPPED = "TPL-order-shipped";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = super.createCamelContext();
        wechat.configure(context);
        return context;
    }

    /** The routes under test: what a user of the component writes. */
    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:order-shipped").routeId("order-shipped")
                        .setBody(simple("{\"id\":\"${header.orderNo}\",\"touser\":\"${header.openid}\","
                                + "\"msgtype\":\"text\",\"text\":{\"content\":\"Order ${header.orderNo} has shipped\"},"
                                + "\"fallback\":{\"msgtype\":\"template\",\"template\":{\"template_id\":"
                                + "\"${header.template}\",\"data\":{\"order\":{\"value\":\"${header.orderNo}\"}}}}}"))
                        .to("wechat-kefu:send?failure=outcome");
                from("direct:reminder").routeId("reminder")
                        .setBody(simple("{\"touser\":\"${header.openid}\",\"msgtype\":\"text\","
                                + "\"text\":{\"content\":\"Your cart misses you\"}}"))
                        .to("wechat-kefu:send?failure=outcome");
                // the application's own push endpoint hands each decrypted push on
                from("direct:push").routeId("push").to("wechat-kefu:interaction");
            }
        };
    }

    @BeforeEach
    void templates() {
        wechat.addTemplate(APPID, SHIPPED, "order");
    }

    private Exchange shipped(String openid, String orderNo) {
        return shipped(openid, orderNo, SHIPPED);
    }

    private Exchange shipped(String openid, String orderNo, String templateId) {
        return template.request("direct:order-shipped", e -> e.getMessage().setHeaders(new java.util.HashMap<>(
                Map.of("openid", openid, "orderNo", orderNo, "template", templateId))));
    }

    /** The customer writes: WeChat opens the window, and pushes the message to the application, which records it. */
    private String wrote(String openid) {
        wechat.userWrote(APPID, openid);
        Exchange recorded = template.request("direct:push", e -> e.getMessage().setBody("<xml><ToUserName>"
                + "<![CDATA[gh_0123456789ab]]></ToUserName><FromUserName><![CDATA[" + openid + "]]></FromUserName>"
                + "<CreateTime>" + wechat.sandbox().clock().instant().getEpochSecond() + "</CreateTime>"
                + "<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[where is my order?]]></Content>"
                + "<MsgId>" + System.nanoTime() + "</MsgId></xml>"));
        return recorded.getMessage().getHeader(KefuHeaders.INTERACTION, String.class);
    }

    private static JsonNode outcome(Exchange exchange) throws Exception {
        return JSON.readTree(exchange.getMessage().getBody(String.class));
    }

    @Test
    void aCustomerWhoNeverWroteGetsTheTemplateAndTheNextNoticeSkipsCustomerService() throws Exception {
        Exchange first = shipped("oSilentCustomer", "A-1");

        assertEquals("template", first.getMessage().getHeader(KefuHeaders.CHANNEL));
        assertEquals("delivered", first.getMessage().getHeader(KefuHeaders.OUTCOME));
        assertEquals(1, wechat.sandbox().sendCalls(), "custom/send was tried once and answered 45015");
        Exchange second = shipped("oSilentCustomer", "A-2");

        assertEquals("template", second.getMessage().getHeader(KefuHeaders.CHANNEL));
        assertEquals(1, wechat.sandbox().sendCalls(), "the window book knew: no second custom/send");
        List<Delivery> reached = wechat.deliveriesTo(APPID, "oSilentCustomer");
        assertEquals(List.of(Channel.TEMPLATE, Channel.TEMPLATE),
                reached.stream().map(Delivery::channel).toList());
        assertEquals("A-1", reached.get(0).body().path("client_msg_id").asText());
        assertEquals(String.valueOf(reached.get(1).msgid()), second.getMessage().getHeader(KefuHeaders.MSG_ID));
    }

    @Test
    void aCustomerWhoWroteGetsFiveNoticesByCustomerServiceThenTemplatesWithNoSixthCall() throws Exception {
        assertEquals("message", wrote("oChattyCustomer"));

        for (int i = 1; i <= 7; i++) {
            Exchange sent = shipped("oChattyCustomer", "B-" + i);
            assertEquals(i <= 5 ? "custom" : "template", sent.getMessage().getHeader(KefuHeaders.CHANNEL), "B-" + i);
        }

        assertEquals(5, wechat.sandbox().sendCalls());
        List<Delivery> reached = wechat.deliveriesTo(APPID, "oChattyCustomer");
        assertEquals(7, reached.size());
        assertEquals("Order B-5 has shipped", reached.get(4).body().path("text").path("content").asText());
        assertEquals("B-7", reached.get(6).body().path("data").path("order").path("value").asText());
    }

    @Test
    void withoutAFallbackANoticeOutsideTheWindowFailsWindowClosedWithNoCall() throws Exception {
        Exchange first = template.request("direct:reminder", e -> e.getMessage().setHeader("openid", "oGone"));
        assertEquals("window-closed", first.getMessage().getHeader(KefuHeaders.REASON));
        assertEquals(45015, first.getMessage().getHeader(KefuHeaders.ERRCODE));
        assertEquals("custom", first.getMessage().getHeader(KefuHeaders.CHANNEL));

        Exchange second = template.request("direct:reminder", e -> e.getMessage().setHeader("openid", "oGone"));

        assertEquals("window-closed", second.getMessage().getHeader(KefuHeaders.REASON));
        assertEquals(1, wechat.sandbox().sendCalls(), "known closed: the second was not sent to WeChat");
        assertTrue(wechat.deliveries().isEmpty());
    }

    @Test
    void twoDaysLaterTheWindowHasClosedAndAMenuClickOpensThreeForAMinute() throws Exception {
        wrote("oCustomer");
        assertEquals("custom", shipped("oCustomer", "C-1").getMessage().getHeader(KefuHeaders.CHANNEL));

        wechat.advance(Duration.ofHours(48));
        assertEquals("template", shipped("oCustomer", "C-2").getMessage().getHeader(KefuHeaders.CHANNEL));

        wechat.userClicked(APPID, "oCustomer");
        template.sendBody("direct:push", "<xml><FromUserName>oCustomer</FromUserName><CreateTime>"
                + wechat.sandbox().clock().instant().getEpochSecond() + "</CreateTime><MsgType>event</MsgType>"
                + "<Event>CLICK</Event><EventKey>ORDERS</EventKey></xml>");
        for (int i = 3; i <= 6; i++) {
            assertEquals(i <= 5 ? "custom" : "template",
                    shipped("oCustomer", "C-" + i).getMessage().getHeader(KefuHeaders.CHANNEL), "C-" + i);
        }
    }

    @Test
    void aFallbackNamingATemplateTheAccountLacksFailsWithWeChats40037OnTheTemplateChannel() throws Exception {
        Exchange sent = shipped("oSilentCustomer", "D-1", "TPL-deleted");

        assertEquals("failed", sent.getMessage().getHeader(KefuHeaders.OUTCOME));
        assertEquals(40037, sent.getMessage().getHeader(KefuHeaders.ERRCODE));
        assertEquals("template", sent.getMessage().getHeader(KefuHeaders.CHANNEL));
        assertEquals("template", outcome(sent).path("channel").asText());
        assertTrue(wechat.deliveries().isEmpty());
    }

    @Test
    void aTestMayLiftTheWindowForItself() throws Exception {
        wechat.enforceWindow(false);

        Exchange sent = shipped("oSilentCustomer", "E-1");

        assertEquals("custom", sent.getMessage().getHeader(KefuHeaders.CHANNEL));
        assertEquals(1, wechat.deliveriesTo(APPID, "oSilentCustomer").size());
    }
}
