package dev.kefurelay.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import dev.kefurelay.testkit.KefuSandboxExtension;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** examples/outcome-branching: the Java DSL route takes the branch its outcome calls for. */
class OutcomeBranchingExampleTest {

    @RegisterExtension
    static KefuSandboxExtension wechat = new KefuSandboxExtension()
            .withProperty("example.fallback-uri", "mock:fallback")
            .withProperty("example.failed-uri", "mock:failed");

    MockEndpoint fallback;
    MockEndpoint failed;

    @BeforeAll
    static void addRoute() throws Exception {
        wechat.camelContext().addRoutes(new OutcomeBranchingRoutes());
    }

    @BeforeEach
    void mocks() {
        fallback = wechat.camelContext().getEndpoint("mock:fallback", MockEndpoint.class);
        failed = wechat.camelContext().getEndpoint("mock:failed", MockEndpoint.class);
        fallback.reset();
        failed.reset();
    }

    private void paymentReceived(String orderNo) {
        wechat.template().sendBodyAndHeaders(OutcomeBranchingRoutes.PAYMENT_RECEIVED, null,
                Map.of("openid", "oPayer-" + orderNo, "amount", "128.00", "orderNo", orderNo));
    }

    @Test
    void deliveredTakesNeitherBranch() throws Exception {
        fallback.expectedMessageCount(0);
        failed.expectedMessageCount(0);
        paymentReceived("A-1");
        MockEndpoint.assertIsSatisfied(wechat.camelContext());
        assertEquals(1, wechat.delivered().size());
        assertEquals("我们已收到您的付款 ¥128.00（订单 A-1），谢谢！",
                wechat.delivered().get(0).body().path("text").path("content").asText());
        assertEquals("billing@gh_shop",
                wechat.delivered().get(0).body().path("customservice").path("kf_account").asText());
    }

    @Test
    void aCustomerWeChatCannotReachGoesToTheFallback() throws Exception {
        wechat.failNext(45015); // the 48-hour window is closed
        fallback.expectedMessageCount(1);
        fallback.expectedHeaderReceived("orderNo", "A-2");
        failed.expectedMessageCount(0);
        paymentReceived("A-2");
        MockEndpoint.assertIsSatisfied(wechat.camelContext());

        // the relay now knows that customer's window is closed: the next notice fails window-closed with no call
        int calls = wechat.sandbox().sendCalls();
        fallback.reset();
        fallback.expectedMessageCount(1);
        fallback.expectedHeaderReceived("KefuReason", "window-closed");
        paymentReceived("A-2");
        MockEndpoint.assertIsSatisfied(wechat.camelContext());
        assertEquals(calls, wechat.sandbox().sendCalls());
    }

    @Test
    void anyOtherFailureGoesToTheFailureQueueWithTheReason() throws Exception {
        wechat.failNext(-1, 10); // busy beyond the retries
        failed.expectedMessageCount(1);
        failed.expectedHeaderReceived("KefuReason", "retries-exhausted");
        fallback.expectedMessageCount(0);
        paymentReceived("A-3");
        MockEndpoint.assertIsSatisfied(wechat.camelContext());
    }
}
