package dev.kefurelay.component.springboot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.SanitizableData;

/** Which keys and values the actuator masks: every option the catalog marks secret, under each spelling. */
class WeChatKefuSecretsTest {

    private static final String MASK = SanitizableData.SANITIZED_VALUE;
    private final WeChatKefuComponentConfiguration bound = new WeChatKefuComponentConfiguration();
    private final WeChatKefuSecrets secrets = new WeChatKefuSecrets(WeChatKefuSecrets.catalogSecrets(), () -> bound);

    @Test
    void theSecretOptionsAreThoseTheCatalogMarks() {
        Set<String> marked = Catalog.load().options().stream().filter(Catalog.Option::secret)
                .map(Catalog.Option::name).collect(Collectors.toSet());
        assertEquals(Set.of("secret", "accounts", "componentSecret", "componentTicket", "authorizers",
                "wecomSecret", "wecomCorps", "pushToken", "pushSecretKey", "pushSecretKeyPrevious", "accountPushTokens",
                "accountPushSecretKeys"), marked);
        assertEquals(marked, WeChatKefuSecrets.catalogSecrets());
    }

    @Test
    void everySecretOptionIsMaskedUnderEachSpellingSpringBootBindsFrom() {
        for (Catalog.Option o : Catalog.load().options()) {
            if (!o.secret()) {
                continue;
            }
            String entry = o.isMap() ? ".wxmask00000001" : "";
            String bracket = o.isMap() ? "[wxmask00000001]" : "";
            String env = "CAMEL_COMPONENT_WECHATKEFU_" + o.key().replace("-", "") + entry.replace('.', '_');
            for (String key : List.of(Catalog.PREFIX + o.key() + entry, Catalog.PREFIX + o.name() + entry,
                    Catalog.PREFIX + o.key() + bracket, env.toUpperCase(java.util.Locale.ROOT))) {
                assertEquals(MASK, shown(key, "a-value"), key);
            }
        }
    }

    @Test
    void otherOptionsAndOtherComponentsAreShown() {
        for (String key : List.of(Catalog.PREFIX + "appid", Catalog.PREFIX + "base-url", Catalog.PREFIX + "store-dir",
                "camel.component.other.secret", "camel.component.wechat-kefu", "secret")) {
            assertEquals("a-value", shown(key, "a-value"), key);
        }
    }

    @Test
    void theValueOfABoundSecretIsMaskedUnderWhateverKeyHoldsIt() {
        bound.setSecret("bound-secret-1");
        bound.setAccounts(Map.of("wxmask00000002", "bound-secret-2"));
        bound.setAppid("wxmask00000001");
        assertEquals(MASK, shown("WECHAT_SECRET", "bound-secret-1"));
        assertEquals(MASK, shown("some.other.key", "bound-secret-2"));
        assertEquals("wxmask00000001", shown("WECHAT_APPID", "wxmask00000001"));
        bound.setComponentSecret(" ");
        assertEquals(" ", shown("blank", " "));
        assertFalse(secrets.secretValues().contains("wxmask00000001"));
    }

    private Object shown(String key, Object value) {
        return secrets.apply(new SanitizableData(null, key, value)).getValue();
    }
}
