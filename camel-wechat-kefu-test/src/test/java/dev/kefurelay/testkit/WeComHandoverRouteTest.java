package dev.kefurelay.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.kefurelay.component.KefuHeaders;
import dev.kefurelay.sandbox.KfDelivery;
import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user's route test with the kit, for WeCom 微信客服: a bot answers customers through a kf account; when a human
 * agent has taken the session over, WeCom refuses the bot (95018) and the route parks the answer for the agent. The
 * test plays the customer and the agent.
 */
class WeComHandoverRouteTest extends CamelTestSupport {

    @RegisterExtension
    static final WeChatKefuSandboxExtension wechat = new WeChatKefuSandboxExtension();

    private static final String KF = WeChatKefuSandboxExtension.OPEN_KFID;
    private static final String CUSTOMER = "wmCustomerOfTheRouteTest0001";

    @TempDir
    static Path store;

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = super.createCamelContext();
        // a store of its own: ids delivered by an earlier run would otherwise count as duplicates for 48 hours
        wechat.configure(context).getConfiguration().setStoreDir(store.toString());
        return context;
    }

    /** The route under test: the bot's answer, or a note for the agent when the session is no longer the bot's. */
    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:bot-answer").routeId("bot-answer")
                        .setBody(simple("{\"id\":\"${header.answerId}\",\"touser\":\"${header.customer}\","
                                + "\"open_kfid\":\"" + KF + "\",\"msgtype\":\"text\",\"text\":{\"content\":"
                                + "\"${header.text}\"}}"))
                        .to("wechat-kefu:send?failure=outcome")
                        .filter(header(KefuHeaders.REASON).isEqualTo("session-state"))
                            .to("mock:for-the-agent");
            }
        };
    }

    private void answer(String id, String text) {
        template.sendBodyAndHeaders("direct:bot-answer", null, Map.of("answerId", id, "customer", CUSTOMER,
                "text", text));
    }

    @Test
    void theBotAnswersWhileTheSessionIsItsAndParksTheAnswerOnceAnAgentHasIt() throws Exception {
        MockEndpoint forTheAgent = getMockEndpoint("mock:for-the-agent");
        forTheAgent.expectedMessageCount(1);
        forTheAgent.expectedHeaderReceived(KefuHeaders.SESSION_STATE, 3);

        wechat.customerWrites(KF, CUSTOMER, "Where is my parcel?");
        answer("a-1", "It left the warehouse today.");
        wechat.sessionState(KF, CUSTOMER, 3);
        answer("a-2", "Anything else?");

        forTheAgent.assertIsSatisfied();
        List<KfDelivery> sent = wechat.wecomSent();
        assertEquals(List.of("a-1"), sent.stream().map(KfDelivery::msgid).toList());
        assertEquals("It left the warehouse today.", sent.get(0).body().get("text").get("content").asText());
    }
}
