package com.example.helpdesk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import dev.kefurelay.testkit.WeChatKefuSandboxExtension;
import dev.kefurelay.wechat.SendFailedException;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The ticket-answered route on its own, in a plain CamelContext: the YAML route, the wechat-kefu component pointed at
 * the sandbox by the kit, a mock after the send to see what the route hands on. Copy this shape for your routes.
 */
class TicketAnsweredRouteTest extends CamelTestSupport {

    @RegisterExtension
    static final WeChatKefuSandboxExtension wechat = new WeChatKefuSandboxExtension();

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = super.createCamelContext();
        wechat.configure(context);
        return context;
    }

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() throws Exception {
                PluginHelper.getRoutesLoader(getContext()).loadRoutes(
                        ResourceHelper.resolveMandatoryResource(getContext(), "classpath:routes/ticket-answered.camel.yaml"));
            }
        };
    }

    @Override
    public boolean isUseAdviceWith() {
        return true;
    }

    @Test
    void theAnswerIsSentAndTheRouteGoesOnWithWeChatsReply() throws Exception {
        AdviceWith.adviceWith(context, "ticket-answered", route -> route.weaveAddLast().to("mock:sent"));
        context.start();
        MockEndpoint sent = getMockEndpoint("mock:sent");
        sent.expectedMessageCount(1);

        template.sendBodyAndHeaders("direct:ticket-answered", "已退款。", Map.of("openid", "oCustomer02", "ticketNo", "T-7"));

        sent.assertIsSatisfied();
        assertEquals("您的工单 T-7 有了回复: 已退款。", wechat.delivered().get(0).body().path("text").path("content").asText());
        assertEquals(1, wechat.tokenFetches(WeChatKefuSandboxExtension.APPID));
    }

    @Test
    void aCustomerWhoUnsubscribedIsATypedFailureForTheCallersErrorHandler() throws Exception {
        AdviceWith.adviceWith(context, "ticket-answered", route -> route.weaveAddLast().to("mock:sent"));
        context.start();
        getMockEndpoint("mock:sent").expectedMessageCount(0);
        wechat.failNext(43004); // require subscribe

        CamelExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(CamelExecutionException.class,
                () -> template.sendBodyAndHeaders("direct:ticket-answered", "hi", Map.of("openid", "oGone", "ticketNo", "T-8")));

        SendFailedException failure = assertInstanceOf(SendFailedException.class, e.getCause());
        assertEquals("wechat-error", failure.reason().wireName());
        assertEquals(43004, failure.errcode());
        assertTrue(wechat.delivered().isEmpty());
        MockEndpoint.assertIsSatisfied(context);
    }
}
