package dev.kefurelay.component;

import static dev.kefurelay.component.TwoKindsCamel.MINI;
import static dev.kefurelay.component.TwoKindsCamel.OFFICIAL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import dev.kefurelay.Samples;
import dev.kefurelay.message.AccountKind;
import dev.kefurelay.sandbox.WeChatSandbox;
import dev.kefurelay.token.TokenMode;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Where an account's kind comes from besides the component's accountKinds, over real HTTP to the sandbox: an
 * endpoint's account and the Kamelet's name theirs (and may not make a Mini Program an Official Account), and in
 * component mode each authorizer has its own. What each kind takes: {@link MiniProgramComponentTest}.
 */
class AccountKindSourcesTest {

    @RegisterExtension
    static final TwoKindsCamel kinds = new TwoKindsCamel();

    @Test
    void anEndpointNamesTheKindOfTheAccountItBrings() throws Exception {
        String shop = "wxendpointmini0001";
        kinds.sandbox().account(shop, "endpoint-mini-secret").kind(shop, AccountKind.MINIPROGRAM);
        kinds.camel().getPropertiesComponent().addInitialProperty("shop.secret", "endpoint-mini-secret");
        kinds.camel().addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:shop").to("wechat-kefu:send?appid=" + shop + "&secret={{shop.secret}}&kind=miniprogram"
                        + "&msgtype=link&failure=outcome");
                from("direct:kamelet").to("kamelet:wechat-kefu-sink?appid=" + shop + "&secret={{shop.secret}}"
                        + "&kind=miniprogram&msgtype=miniprogrampage");
                from("direct:kamelet-official").to("kamelet:wechat-kefu-sink?appid=" + OFFICIAL + "&msgtype=news");
            }
        });
        Exchange link = kinds.template().request("direct:shop", e -> {
            e.getMessage().setBody(Samples.miniProgramContents().get("link"));
            e.getMessage().setHeader(KefuHeaders.TO_USER, "oShopUser");
        });
        assertEquals("delivered", link.getMessage().getHeader(KefuHeaders.OUTCOME),
                link.getMessage().getBody(String.class));
        Exchange card = kinds.template().request("direct:kamelet", e -> {
            e.getMessage().setBody(Samples.miniProgramContents().get("miniprogrampage"));
            e.getMessage().setHeader(KefuHeaders.TO_USER, "oShopUser");
        });
        assertEquals("delivered", card.getMessage().getHeader(KefuHeaders.OUTCOME),
                card.getMessage().getBody(String.class));
        Exchange news = kinds.template().request("direct:kamelet-official", e -> {
            e.getMessage().setBody(Samples.contents().get("news"));
            e.getMessage().setHeader(KefuHeaders.TO_USER, "oOfficialUser");
        });
        assertEquals("delivered", news.getMessage().getHeader(KefuHeaders.OUTCOME),
                news.getMessage().getBody(String.class));
        assertEquals(List.of("link", "miniprogrampage", "news"),
                kinds.sandbox().delivered().stream().map(WeChatSandbox.Delivered::msgtype).toList());
    }

    @Test
    void anEndpointMayNotMakeAMiniProgramAnOfficialAccount() {
        Exception e = assertThrows(Exception.class, () -> kinds.camel().addRoutes(
                new RouteBuilder() {
                    @Override
                    public void configure() {
                        from("direct:wrong").to("wechat-kefu:send?appid=" + MINI + "&kind=official");
                    }
                }));
        StringBuilder causes = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            causes.append(t.getMessage()).append(" | ");
        }
        assertTrue(causes.toString().contains("the endpoint's kind official: " + MINI + " is a miniprogram account already"),
                causes.toString());
    }

    @Test
    void inComponentModeEachAuthorizerHasItsKind() throws Exception {
        String platform = "wxkindplatform0001";
        String authorizer = "wxkindauthorizer01";
        kinds.sandbox().component(platform, "kind-platform-secret");
        kinds.sandbox().verifyTicket("ticket@@@kinds");
        kinds.sandbox().authorizer(authorizer, "kind-refresh-token").kind(authorizer, AccountKind.MINIPROGRAM);
        WeChatKefuComponent wechat = new WeChatKefuComponent();
        WeChatKefuComponentConfiguration options = wechat.getConfiguration();
        options.setBaseUrl(kinds.sandbox().baseUrl());
        options.setTokenMode(TokenMode.COMPONENT);
        options.setComponentAppid(platform);
        options.setComponentSecret("kind-platform-secret");
        options.setComponentTicket("ticket@@@kinds");
        options.setAuthorizers(Map.of(authorizer, "kind-refresh-token"));
        options.setAccountKinds(Map.of(authorizer, "miniprogram"));
        options.setStoreDir(kinds.store("platform").toString());
        try (CamelContext platformCamel = new DefaultCamelContext()) {
            platformCamel.addComponent("wechat-kefu", wechat);
            platformCamel.start();
            ProducerTemplate t = platformCamel.createProducerTemplate();
            Exchange link = t.request("wechat-kefu:send?failure=outcome", e -> {
                e.getMessage().setBody(Samples.miniProgramBody("link"));
                e.getMessage().setHeader(KefuHeaders.APP_ID, authorizer);
            });
            assertEquals("delivered", link.getMessage().getHeader(KefuHeaders.OUTCOME),
                    link.getMessage().getBody(String.class));
            Exchange news = t.request("wechat-kefu:send?failure=outcome", e -> {
                e.getMessage().setBody(Samples.wechatBody("news"));
                e.getMessage().setHeader(KefuHeaders.APP_ID, authorizer);
            });
            assertEquals("invalid-input", news.getMessage().getHeader(KefuHeaders.REASON));
            Exchange typing = t.request("wechat-kefu:typing?failure=outcome", e -> {
                e.getMessage().setBody("{\"touser\":\"oAuthorizerUser\",\"command\":\"Typing\"}");
                e.getMessage().setHeader(KefuHeaders.APP_ID, authorizer);
            });
            assertEquals("delivered", typing.getMessage().getHeader(KefuHeaders.OUTCOME));
        }
        assertEquals(1, kinds.sandbox().sendCalls());
    }
}
