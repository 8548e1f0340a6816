package dev.kefurelay.send;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kefurelay.KefuRelay;
import dev.kefurelay.Samples;
import dev.kefurelay.sandbox.WeChatSandbox;
import dev.kefurelay.testkit.KefuSandboxExtension;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** kamelet:wechat-kefu-sink from Java and YAML routes, end to end against the sandbox. */
class KameletSinkTest {

    static final String OTHER = "wxkamelettest00002";
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final KefuSandboxExtension wechat = new KefuSandboxExtension()
            .withProperty("kefu.accounts." + OTHER + ".secret", "other-secret");
    static WeChatSandbox sandbox;
    static KefuRelay relay;

    @BeforeAll
    static void routes() throws Exception {
        sandbox = wechat.sandbox().account(OTHER, "other-secret");
        relay = wechat.relay();
        relay.camel().addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:java-app").to("kamelet:wechat-kefu-sink?touser=oJavaUser0001&kfAccount=anna@gh_shop");
                // one exchange, two sends: the second outcome must not carry the first one's failure headers
                from("direct:twice").to("kamelet:wechat-kefu-sink?touser=oTwice00001")
                        .setBody(constant("second")).to("kamelet:wechat-kefu-sink?touser=oTwice00001");
            }
        });
        // a user's YAML route, loaded the way camel-main loads routes/*.camel.yaml
        String yaml = """
                - route:
                    id: yaml-app
                    from:
                      uri: direct:yaml-app
                      steps:
                        - to:
                            uri: kamelet:wechat-kefu-sink
                            parameters:
                              msgtype: image
                              appid: %s
                """.formatted(OTHER);
        PluginHelper.getRoutesLoader(relay.camel()).loadRoutes(ResourceHelper.fromString("yaml-app.camel.yaml", yaml));
    }

    @Test
    void aJavaRouteSendsPlainTextWithTheKameletsRecipientAndKfAccount() throws Exception {
        Exchange out = relay.template().request("direct:java-app", e -> e.getMessage().setBody("您的工单已回复"));
        assertEquals("delivered", out.getMessage().getHeader("KefuOutcome"));
        assertEquals(JSON.readTree("{\"errcode\":0,\"errmsg\":\"ok\",\"channel\":\"custom\"}"), JSON.readTree(out.getMessage().getBody(String.class)));
        WeChatSandbox.Delivered d = sandbox.delivered().get(0);
        assertEquals("oJavaUser0001", d.touser());
        assertEquals("您的工单已回复", d.body().path("text").path("content").asText());
        assertEquals("anna@gh_shop", d.body().path("customservice").path("kf_account").asText());
    }

    @Test
    void aYamlRouteSendsAContentObjectAsTheKameletsMsgtypeFromTheKameletsAccount() {
        Exchange out = relay.template().request("direct:yaml-app", e -> {
            e.getMessage().setBody("{\"media_id\":\"MEDIA_IMAGE\"}");
            e.getMessage().setHeader("KefuToUser", "oYamlUser0001");
        });
        assertEquals("delivered", out.getMessage().getHeader("KefuOutcome"), out.getMessage().getBody(String.class));
        WeChatSandbox.Delivered d = sandbox.delivered().get(0);
        assertEquals(OTHER, d.appid());
        assertEquals("oYamlUser0001", d.touser());
        assertEquals("image", d.msgtype());
        assertEquals("MEDIA_IMAGE", d.body().path("image").path("media_id").asText());
    }

    @Test
    void theKameletCanBeCalledDirectlyWithAWholeMessage() {
        String outcome = relay.template().requestBody("kamelet:wechat-kefu-sink", Samples.wechatBody("news"),
                String.class);
        assertEquals("{\"errcode\":0,\"errmsg\":\"ok\",\"channel\":\"custom\"}", outcome);
        assertEquals("news", sandbox.delivered().get(0).msgtype());
    }

    @Test
    void aWeChatRefusalIsAnOutcomeNotAnException() throws Exception {
        sandbox.failNext(43004, 1);
        Exchange out = relay.template().request("direct:java-app", e -> e.getMessage().setBody("x"));
        assertNull(out.getException());
        assertEquals("failed", out.getMessage().getHeader("KefuOutcome"));
        assertEquals("wechat-error", out.getMessage().getHeader("KefuReason"));
        assertEquals(43004, out.getMessage().getHeader("KefuErrcode"));
        assertEquals(43004, JSON.readTree(out.getMessage().getBody(String.class)).path("errcode").asInt());
    }

    @Test
    void inputTheKameletCannotShapeIsInvalidInputAndWeChatIsNotCalled() throws Exception {
        Exchange out = relay.template().request("kamelet:wechat-kefu-sink", e -> e.getMessage().setBody("no user"));
        assertEquals("failed", out.getMessage().getHeader("KefuOutcome"));
        assertEquals("invalid-input", out.getMessage().getHeader("KefuReason"));
        JsonNode body = JSON.readTree(out.getMessage().getBody(String.class));
        assertTrue(body.path("errmsg").asText().contains("KefuToUser"), body.toString());
        assertEquals(0, sandbox.sendCalls());
    }

    @Test
    void aSecondSendOnTheSameExchangeReportsOnlyItsOwnOutcome() {
        sandbox.failNext(40003, 1);
        Exchange out = relay.template().request("direct:twice", e -> e.getMessage().setBody("first"));
        assertEquals("delivered", out.getMessage().getHeader("KefuOutcome"));
        assertNull(out.getMessage().getHeader("KefuReason"));
        assertNull(out.getMessage().getHeader("KefuErrcode"));
        assertEquals(1, sandbox.deliveredCount());
    }

    @Test
    void aMessageIdSentTwiceIsADuplicateTheSecondTime() {
        String message = Samples.textWithId("kamelet-dup-1", "once");
        relay.template().requestBody("kamelet:wechat-kefu-sink", message, String.class);
        Exchange second = relay.template().request("kamelet:wechat-kefu-sink", e -> e.getMessage().setBody(message));
        assertEquals("duplicate", second.getMessage().getHeader("KefuOutcome"));
        assertEquals(1, sandbox.deliveredCount());
    }
}
