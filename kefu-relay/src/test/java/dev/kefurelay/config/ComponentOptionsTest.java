package dev.kefurelay.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ComponentOptionsTest {

    /** Each component option the relay sets from a key of its own is named by that key, never a camel.* one. */
    @Test
    void theComponentsOptionsAreNamedByTheRelaysKeys() {
        for (String option : List.of("base-url", "token-mode", "appid", "secret", "component-appid",
                "component-secret", "component-ticket", "store-dir", "store-lock-timeout", "refresh-ahead", "retry-max",
                "retry-delay", "retry-max-delay", "retry-unknown-outcome", "connect-timeout", "read-timeout",
                "media-dir", "media-image-max-size", "media-voice-max-size", "media-video-max-size",
                "media-thumb-max-size", "media-url-timeout", "wecom-corpid", "wecom-secret", "wecom-base-url")) {
            String key = ComponentOptions.RELAY_KEYS.name(option);
            assertTrue(KefuSettings.DEFAULTS.containsKey(key), option + " named " + key + ", which is no relay key");
        }
        assertEquals("kefu.accounts.wxb.secret", ComponentOptions.RELAY_KEYS.name("accounts", "wxb"));
        assertEquals("kefu.authorizers.wxc.refresh-token", ComponentOptions.RELAY_KEYS.name("authorizers", "wxc"));
        // a message naming a corp the relay does not serve is told the key that would make it one
        assertEquals("kefu.wecom.corps.wwother.secret", ComponentOptions.RELAY_KEYS.name("wecom-corps", "wwother"));
        // and the component is told so
        KefuSettings settings = KefuSettings.of(Map.of("kefu.appid", "wxa", "kefu.secret", "s"));
        assertEquals(ComponentOptions.RELAY_KEYS, ComponentOptions.component(settings,
                ComponentOptions.Apis.of(settings), null, null, null).getOptionNames());
    }
}
