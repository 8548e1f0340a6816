package dev.kefurelay.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The test kit's documented example (docs/testing.md): a user's own YAML route, tested against the sandbox
 * through the real relay. AdviceWith swaps the JMS endpoints for direct: and mock:, NotifyBuilder waits for
 * the route to finish, the sandbox says what WeChat received.
 */
class TicketAnsweredRouteTest {

    @RegisterExtension
    static KefuSandboxExtension wechat = new KefuSandboxExtension()
            .withRoutes("classpath:testkit-example/ticket-answered.camel.yaml")
            // advised before it ever listens on JMS
            .withRoutesStopped("ticket-answered");

    @BeforeAll
    static void advise() throws Exception {
        wechat.adviceWith("ticket-answered", route -> {
            route.replaceFromWith("direct:ticket-answered");
            route.weaveByToUri("jms:queue:helpdesk.ticket.failed").replace().to("mock:failed");
        });
    }

    @Test
    void anAnsweredTicketReachesTheCustomerFromTheHelpDesk() {
        NotifyBuilder done = new NotifyBuilder(wechat.camelContext()).fromRoute("ticket-answered").whenDone(1).create();

        wechat.template().sendBodyAndHeaders("direct:ticket-answered", "",
                Map.of("openid", "oCustomer000001", "ticketNo", "T-42"));

        assertTrue(done.matches(10, TimeUnit.SECONDS), "route finished");
        assertEquals(1, wechat.delivered().size());
        var message = wechat.delivered().get(0);
        assertEquals("oCustomer000001", message.touser());
        assertEquals("您的工单 T-42 已有回复，请查看。", message.body().path("text").path("content").asText());
        assertEquals("helpdesk@gh_shop", message.body().path("customservice").path("kf_account").asText());
    }

    @Test
    void aCustomerWhoUnfollowedEndsOnTheFailedQueueWithTheReason() throws Exception {
        MockEndpoint failed = wechat.camelContext().getEndpoint("mock:failed", MockEndpoint.class);
        failed.reset();
        failed.expectedMessageCount(1);
        failed.expectedHeaderReceived("KefuReason", "wechat-error");
        failed.expectedHeaderReceived("KefuErrcode", 43004);
        wechat.failNext(43004); // require subscribe

        wechat.template().sendBodyAndHeaders("direct:ticket-answered", "",
                Map.of("openid", "oGone0000000001", "ticketNo", "T-43"));

        failed.assertIsSatisfied(10_000);
        assertTrue(wechat.delivered().isEmpty());
    }
}
