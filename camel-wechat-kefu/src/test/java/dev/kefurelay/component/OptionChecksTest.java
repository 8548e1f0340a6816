package dev.kefurelay.component;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.kefurelay.message.AccountKind;
import dev.kefurelay.token.OptionNames;
import dev.kefurelay.token.TokenMode;
import dev.kefurelay.token.TokenSources;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PropertyBindingSupport;
import org.junit.jupiter.api.Test;

class OptionChecksTest {

    private static final OptionNames CAMEL = OptionNames.CAMEL;
    /** How a host with keys of its own (the relay's kefu.*) names the options. */
    private static final OptionNames HOST = (option, entry) -> entry != null ? "kefu." + option + "." + entry
            + ".secret" : Map.of("base-url", "kefu.wechat.base-url", "secret", "kefu.secret", "component-appid",
                    "kefu.component.appid", "component-secret", "kefu.component.secret").get(option);

    @Test
    void baseUrlsAreAFailoverListWithoutTrailingSlashesOrBlanks() {
        assertEquals(List.of(URI.create("http://127.0.0.1:1"), URI.create("https://api.weixin.qq.com")),
                OptionChecks.baseUrls(" http://127.0.0.1:1/ ,, https://api.weixin.qq.com", CAMEL));
    }

    @Test
    void aWrongBaseUrlIsNamedByTheHostsKey() {
        assertEquals("camel.component.wechat-kefu.base-url: 'ftp://x' is not an http(s) URL", assertThrows(
                IllegalArgumentException.class, () -> OptionChecks.baseUrls("ftp://x", CAMEL)).getMessage());
        assertEquals("kefu.wechat.base-url: 'http://a b' is not a URL", assertThrows(IllegalArgumentException.class,
                () -> OptionChecks.baseUrls("http://a b", HOST)).getMessage());
        assertEquals("kefu.wechat.base-url: 'wechat' is not an http(s) URL", assertThrows(
                IllegalArgumentException.class, () -> OptionChecks.baseUrls("wechat", HOST)).getMessage());
        assertEquals("kefu.wechat.base-url is empty", assertThrows(IllegalArgumentException.class,
                () -> OptionChecks.baseUrls(" , /", HOST)).getMessage());
        assertEquals("camel.component.wechat-kefu.base-url is empty", assertThrows(IllegalArgumentException.class,
                () -> OptionChecks.baseUrls(null, CAMEL)).getMessage());
    }

    @Test
    void everyNamedAccountNeedsItsSecretAndNoAccountIsNoLack() {
        Map<String, String> accounts = new LinkedHashMap<>();
        accounts.put("wxOther1", " ");
        accounts.put("wxOther2", "s2");
        assertEquals(List.of("camel.component.wechat-kefu.accounts[wxOther1]", "camel.component.wechat-kefu.secret"),
                OptionChecks.missingCredentials(TokenMode.STABLE, "wxdefault", null, accounts, null, null, CAMEL));
        assertEquals(List.of("kefu.accounts.wxOther1.secret", "kefu.secret"), OptionChecks.missingCredentials(
                TokenMode.CLIENT_CREDENTIAL, "wxdefault", "", accounts, null, null, HOST));
        assertEquals(List.of(), OptionChecks.missingCredentials(TokenMode.STABLE, null, null, Map.of(), null, null,
                CAMEL));
    }

    @Test
    void componentModeNeedsThePlatformsAppidAndSecretOnly() {
        assertEquals(List.of("kefu.component.appid", "kefu.component.secret"), OptionChecks.missingCredentials(
                TokenMode.COMPONENT, "wxdefault", null, Map.of("wxOther", ""), " ", null, HOST));
        assertEquals(List.of(), OptionChecks.missingCredentials(TokenMode.COMPONENT, null, null, null, "wxplatform",
                "platform-secret", HOST));
    }

    @Test
    void theTokenSettingsNameWhatIsMissingNeverAValue() {
        WeChatKefuComponentConfiguration c = new WeChatKefuComponentConfiguration();
        c.setAppid("wxdefault");
        c.getAccounts().put("wxOther", "other-secret-value");
        String message = assertThrows(IllegalArgumentException.class, () -> OptionChecks.tokenSettings(c, CAMEL))
                .getMessage();
        assertEquals("wechat-kefu (token mode stable) needs camel.component.wechat-kefu.secret", message);
        c.setSecret(" default-secret ");
        TokenSources.Settings settings = OptionChecks.tokenSettings(c, CAMEL);
        assertEquals(Map.of("wxOther", "other-secret-value", "wxdefault", "default-secret"),
                settings.accountSecrets());
        c.setTokenMode(null);
        assertEquals("camel.component.wechat-kefu.token-mode is not set: use one of stable, client-credential, "
                + "component", assertThrows(IllegalArgumentException.class, () -> OptionChecks.tokenSettings(c, CAMEL))
                .getMessage());
    }

    /** Camel's property binding turns the documented texts into the enums, and names the option for a wrong one. */
    @Test
    void theClosedChoicesBindFromTheirTextsAndAWrongOneListsTheAllowedValues() throws Exception {
        try (CamelContext camel = new DefaultCamelContext()) {
            WeChatKefuComponent component = new WeChatKefuComponent();
            camel.addComponent("wechat-kefu", component);
            camel.start();
            bind(camel, component, "tokenMode", "client-credential");
            assertEquals(TokenMode.CLIENT_CREDENTIAL, component.getConfiguration().getTokenMode());
            bind(camel, component, "token-mode", "component");
            assertEquals(TokenMode.COMPONENT, component.getConfiguration().getTokenMode());
            String wrong = causes(assertThrows(Exception.class,
                    () -> bind(camel, component, "tokenMode", "clientcredential")));
            assertTrue(wrong.contains("tokenMode"), wrong);
            assertTrue(wrong.contains("'clientcredential' is not one of stable, client-credential, component"), wrong);

            assertEquals(FailureMode.OUTCOME, camel.getEndpoint("wechat-kefu:send?failure=outcome",
                    WeChatKefuEndpoint.class).getConfiguration().getFailure());
            String failure = causes(assertThrows(Exception.class,
                    () -> camel.getEndpoint("wechat-kefu:send?failure=ignore")));
            assertTrue(failure.contains("failure: 'ignore' is not one of exception, outcome"), failure);
            assertFalse(failure.contains("does not have any constant"), failure);
        }
    }

    @Test
    void accountKindsAreOfficialOrMiniprogramAndAWrongOneIsNamedByItsKey() throws Exception {
        Map<String, String> given = new LinkedHashMap<>();
        given.put(" wxmini ", "miniprogram ");
        given.put("wxoa", "official");
        assertEquals(Map.of("wxmini", AccountKind.MINIPROGRAM, "wxoa", AccountKind.OFFICIAL),
                OptionChecks.accountKinds(given, CAMEL));
        given.put("wxbad", "mini-program");
        assertEquals("camel.component.wechat-kefu.account-kinds[wxbad]: 'mini-program' is not one of official, "
                + "miniprogram", assertThrows(IllegalArgumentException.class,
                        () -> OptionChecks.accountKinds(given, CAMEL)).getMessage());
        try (CamelContext camel = new DefaultCamelContext()) {
            WeChatKefuComponent component = new WeChatKefuComponent();
            camel.addComponent("wechat-kefu", component);
            camel.start();
            bind(camel, component, "accountKinds[wxmini]", "miniprogram");
            assertEquals(Map.of("wxmini", "miniprogram"), component.getConfiguration().getAccountKinds());
            assertEquals("miniprogram", camel.getEndpoint("wechat-kefu:send?appid=wxm&kind=miniprogram",
                    WeChatKefuEndpoint.class).getConfiguration().getKind());
            // empty: not given, as a Kamelet passes {{kind:}}
            assertEquals("", camel.getEndpoint("wechat-kefu:send?appid=wxm&kind=", WeChatKefuEndpoint.class)
                    .getConfiguration().getKind());
            String kind = causes(assertThrows(Exception.class,
                    () -> camel.getEndpoint("wechat-kefu:send?appid=wxm&kind=mini")));
            assertTrue(kind.contains("kind: 'mini' is not one of official, miniprogram"), kind);
        }
    }

    /** As camel-main binds camel.component.wechat-kefu.*: through the generated configurer. */
    private static void bind(CamelContext camel, WeChatKefuComponent component, String option, String value) {
        PropertyBindingSupport.build().withConfigurer(component.getComponentPropertyConfigurer()).withMandatory(true)
                .withReflection(false).bind(camel, component, option, value);
    }

    static String causes(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            sb.append(t.getMessage()).append(" | ");
        }
        return sb.toString();
    }
}
