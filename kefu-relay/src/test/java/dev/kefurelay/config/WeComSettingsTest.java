package dev.kefurelay.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The kefu.wecom.* keys: what they default to, what they need of each other, and that their secrets never show. */
class WeComSettingsTest {

    private static Map<String, String> base(Map<String, String> more) {
        Map<String, String> p = new HashMap<>(Map.of("kefu.appid", "wxa", "kefu.secret", "s"));
        p.putAll(more);
        return p;
    }

    @Test
    void offByDefaultAndOnWithACorpAndItsSecret() {
        SettingGroups.WeCom off = KefuSettings.of(base(Map.of())).wecom();
        assertFalse(off.on());
        assertFalse(off.receives());
        assertEquals("https://qyapi.weixin.qq.com", off.baseUrls());
        assertEquals(Duration.ofSeconds(30), off.pullLease());

        KefuSettings on = KefuSettings.of(base(Map.of("kefu.wecom.corpid", "ww1", "kefu.wecom.secret", "corp-secret",
                "kefu.wecom.push-token", "cb-token", "kefu.wecom.push-aes-key", "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG",
                "kefu.push.port", "8081")));
        assertTrue(on.wecom().on());
        assertTrue(on.wecom().receives());
        String printed = on.toString() + on.wecom();
        assertFalse(printed.contains("corp-secret") || printed.contains("cb-token") || printed.contains("0123456789ABC"),
                printed);
    }

    @Test
    void eachKeyNamesWhatItStillNeeds() {
        assertMessage(Map.of("kefu.wecom.corpid", "ww1"),
                "kefu.wecom.corpid is set: set kefu.wecom.secret (the secret of the corp's app that may call 微信客服)");
        assertMessage(Map.of("kefu.wecom.secret", "x"), "kefu.wecom.secret is set: set kefu.wecom.corpid too");
        assertMessage(Map.of("kefu.wecom.push-token", "t"), "kefu.wecom.push-token is set: set kefu.wecom.corpid and "
                + "kefu.wecom.secret (callbacks are pulled with the corp's token)");
        assertMessage(Map.of("kefu.wecom.corpid", "ww1", "kefu.wecom.secret", "x", "kefu.wecom.push-token", "t"),
                "kefu.wecom.push-token is set: set kefu.wecom.push-aes-key (the EncodingAESKey WeCom shows beside the "
                        + "Token)");
        assertMessage(Map.of("kefu.wecom.corpid", "ww1", "kefu.wecom.secret", "x", "kefu.wecom.push-token", "t",
                "kefu.wecom.push-aes-key", "k"), "kefu.wecom.push-token is set: set kefu.push.port (WeCom's callbacks "
                + "arrive on the push port's /wecom/kf)");
        assertMessage(Map.of("kefu.wecom.base-url", "ftp://qyapi"), "kefu.wecom.base-url: 'ftp://qyapi' is not an "
                + "http(s) URL");
    }

    private static void assertMessage(Map<String, String> more, String expected) {
        ConfigException e = assertThrows(ConfigException.class, () -> KefuSettings.of(base(more)));
        assertEquals(expected, e.getMessage());
    }
}
