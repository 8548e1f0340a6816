package dev.kefurelay.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.kefurelay.sandbox.Delivery;
import dev.kefurelay.wechat.SendFailedException;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A user's route test with the kit, against WeChat's customer-service window: the route sends a notice by
 * customer service and, when WeChat refuses it for the window (45015 closed, 45047 used up), hands it to its own
 * fallback. The test makes the customer write or not, and moves the fake WeChat's time, to reach each branch.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WindowFallbackRouteTest extends CamelTestSupport {

    @RegisterExtension
    static final WeChatKefuSandboxExtension wechat = new WeChatKefuSandboxExtension().withWindowEnforced();

    private static final String APPID = WeChatKefuSandboxExtension.APPID;
    private static final Set<Integer> WINDOW_REFUSALS = Set.of(45015, 45047);

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = super.createCamelContext();
        wechat.configure(context);
        return context;
    }

    /** The route under test: what a user of the component writes. */
    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:order-shipped").routeId("order-shipped")
                        .setBody(simple("{\"touser\":\"${header.openid}\",\"msgtype\":\"text\","
                                + "\"text\":{\"content\":\"Order ${header.orderNo} has shipped\"}}"))
                        .doTry()
                            .to("wechat-kefu:send")
                        .doCatch(SendFailedException.class)
                            .onWhen(e -> WINDOW_REFUSALS.contains(refusal(e).errcode()))
                            .process(e -> e.getMessage().setHeader("windowErrcode", refusal(e).errcode()))
                            .to("mock:fallback")
                        .end();
            }
        };
    }

    /** The failure being caught: on the exchange while onWhen decides, in EXCEPTION_CAUGHT inside the catch. */
    private static SendFailedException refusal(Exchange exchange) {
        SendFailedException failure = exchange.getException(SendFailedException.class);
        return failure != null ? failure : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, SendFailedException.class);
    }

    private void shipped(String openid, String orderNo) {
        template.sendBodyAndHeaders("direct:order-shipped", null,
                Map.of("openid", openid, "orderNo", orderNo));
    }

    @Test
    @Order(1)
    void aCustomerWhoNeverWroteGoesToTheFallback() throws Exception {
        MockEndpoint fallback = getMockEndpoint("mock:fallback");
        fallback.expectedHeaderReceived("windowErrcode", 45015);

        shipped("oSilentCustomer", "A-1");

        fallback.assertIsSatisfied();
        assertTrue(wechat.deliveriesTo(APPID, "oSilentCustomer").isEmpty());
    }

    @Test
    @Order(2)
    void aCustomerWhoWroteGetsFiveNoticesByCustomerServiceAndTheSixthFallsBack() throws Exception {
        wechat.userWrote(APPID, "oChattyCustomer");
        MockEndpoint fallback = getMockEndpoint("mock:fallback");
        fallback.expectedHeaderReceived("windowErrcode", 45047);

        for (int i = 1; i <= 6; i++) {
            shipped("oChattyCustomer", "B-" + i);
        }

        fallback.assertIsSatisfied();
        List<Delivery> reached = wechat.deliveriesTo(APPID, "oChattyCustomer");
        assertEquals(5, reached.size());
        assertTrue(reached.stream().allMatch(d -> d.channel() == Delivery.Channel.CUSTOM));
        assertEquals("Order B-5 has shipped", reached.get(4).body().path("text").path("content").asText());
    }

    @Test
    @Order(3)
    void twoDaysLaterTheWindowHasClosed() throws Exception {
        wechat.userWrote(APPID, "oCustomer");
        shipped("oCustomer", "C-1");
        MockEndpoint fallback = getMockEndpoint("mock:fallback");
        fallback.expectedHeaderReceived("windowErrcode", 45015);

        wechat.advance(Duration.ofHours(48));
        shipped("oCustomer", "C-2");

        fallback.assertIsSatisfied();
        assertEquals(1, wechat.deliveriesTo(APPID, "oCustomer").size());
        // two days also outlived the access token: the component fetched a new one on WeChat's 42001
        assertEquals(2, wechat.tokenFetches(APPID));
    }

    @Test
    @Order(4)
    void aTestMayLiftTheWindowForItself() throws Exception {
        wechat.enforceWindow(false);
        getMockEndpoint("mock:fallback").expectedMessageCount(0);

        shipped("oSilentCustomer", "D-1");

        MockEndpoint.assertIsSatisfied(context);
        assertEquals(1, wechat.deliveriesTo(APPID, "oSilentCustomer").size());
    }

    @Test
    @Order(5)
    void theNextTestMeetsTheClassesWindowAgain() throws Exception {
        getMockEndpoint("mock:fallback").expectedHeaderReceived("windowErrcode", 45015);

        shipped("oSilentCustomer", "E-1");

        MockEndpoint.assertIsSatisfied(context);
        assertTrue(wechat.deliveries().isEmpty());
    }
}
