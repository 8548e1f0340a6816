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

    @Test
    void furtherCorpsEachWithTheirSecretAndCallbackKeys() {
        KefuSettings s = KefuSettings.of(base(Map.of("kefu.wecom.corpid", "wwdefault01",
                "kefu.wecom.secret", "secret-d",
                "kefu.wecom.corps.wwfurther01.secret", "secret-f1",
                "kefu.wecom.corps.wwfurther01.push-token", "token-f1",
                "kefu.wecom.corps.wwfurther01.push-aes-key", "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG",
                "kefu.wecom.corps.wwfurther02.secret", "secret-f2", "kefu.push.port", "8081")));
        SettingGroups.WeCom wecom = s.wecom();
        assertEquals("wwdefault01", wecom.corpid());
        assertEquals(java.util.List.of("wwdefault01", "wwfurther01", "wwfurther02"),
                java.util.List.copyOf(wecom.corps().keySet()));
        assertEquals(Map.of("wwfurther01", "secret-f1", "wwfurther02", "secret-f2"), wecom.furtherCorps());
        assertEquals(java.util.Set.of("wwfurther01"), wecom.callbacks().keySet(), "only a corp with a Token receives");
        assertEquals("token-f1", wecom.callbacks().get("wwfurther01").token().value());
        assertTrue(wecom.receives());
        String printed = s.toString() + wecom;
        assertFalse(printed.contains("secret-") || printed.contains("token-f1") || printed.contains("0123456789ABC"),
                printed);

        // no default corp: every message names its corp, as with accounts and no kefu.appid
        SettingGroups.WeCom noDefault = KefuSettings.of(base(Map.of("kefu.wecom.corps.wwfurther01.secret", "x")))
                .wecom();
        assertTrue(noDefault.on());
        assertEquals(null, noDefault.corpid());
        assertFalse(noDefault.receives());
    }

    @Test
    void aFurtherCorpsKeysFromTheEnvironment() {
        assertEquals("kefu.wecom.corps.wwfurther01.secret",
                ConfigSources.environmentKey("KEFU_WECOM_CORPS_WWFURTHER01_SECRET"));
        assertEquals("kefu.wecom.corps.wwfurther01.push-token",
                ConfigSources.environmentKey("KEFU_WECOM_CORPS_WWFURTHER01_PUSH_TOKEN"));
        assertEquals("kefu.wecom.corps.wwfurther01.push-aes-key",
                ConfigSources.environmentKey("KEFU_WECOM_CORPS_WWFURTHER01_PUSH_AES_KEY"));
        assertEquals("kefu.wecom.corpid", ConfigSources.environmentKey("KEFU_WECOM_CORPID"));
        assertTrue(KefuSettings.isSecret("kefu.wecom.corps.wwfurther01.push-aes-key"));
    }

    @Test
    void aFurtherCorpsKeysNameWhatTheyStillNeed() {
        String aesKey = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
        assertMessage(Map.of("kefu.wecom.corps.ww2.push-token", "t", "kefu.wecom.corps.ww2.push-aes-key", aesKey),
                "kefu.wecom.corps.ww2.push-token is set, but ww2 is no corp of this relay: set "
                        + "kefu.wecom.corps.ww2.secret too");
        assertMessage(Map.of("kefu.wecom.corps.ww2.secret", ""), "kefu.wecom.corps.ww2.secret is empty: give the "
                + "secret of the corp's app that may call 微信客服");
        assertMessage(Map.of("kefu.wecom.corps.ww2.secret", "s", "kefu.wecom.corps.ww2.push-token", "t",
                "kefu.push.port", "8081"), "kefu.wecom.corps.ww2.push-token is set: set "
                + "kefu.wecom.corps.ww2.push-aes-key (the EncodingAESKey WeCom shows beside the Token)");
        assertMessage(Map.of("kefu.wecom.corps.ww2.secret", "s", "kefu.wecom.corps.ww2.push-aes-key", aesKey),
                "kefu.wecom.corps.ww2.push-aes-key is set: set kefu.wecom.corps.ww2.push-token too");
        assertMessage(Map.of("kefu.wecom.corps.ww2.secret", "s", "kefu.wecom.corps.ww2.push-token", "t",
                "kefu.wecom.corps.ww2.push-aes-key", aesKey), "kefu.wecom.corps.ww2.push-token is set: set "
                + "kefu.push.port (WeCom's callbacks arrive on the push port's /wecom/kf/ww2)");
        assertMessage(Map.of("kefu.wecom.corpid", "ww1", "kefu.wecom.secret", "s", "kefu.wecom.corps.ww1.secret", "s"),
                "kefu.wecom.corps.ww1.secret is set, but ww1 is kefu.wecom.corpid: give its keys as "
                        + "kefu.wecom.secret, kefu.wecom.push-token and kefu.wecom.push-aes-key");
        assertMessage(Map.of("kefu.wecom.corps.ww%2F.secret", "s"), "kefu.wecom.corps.ww%2F.secret: 'ww%2F' is not a "
                + "corp id (letters, digits, _ and -, as WeCom's 企业ID)");
    }

    @Test
    void theSandboxHasADemoCorpThatReceivesOnPushEndpointsOfItsOwn() {
        KefuSettings s = KefuSettings.of(Map.of("kefu.sandbox", "true"));
        assertEquals(SandboxDefaults.CORPID, s.wecom().corpid());
        assertEquals(java.util.Set.of(SandboxDefaults.CORPID), s.wecom().callbacks().keySet());
        assertTrue(s.push().on(), "a free port for the push endpoints, none being given");
        assertFalse(s.toString().contains(SandboxDefaults.CORP_SECRET));

        KefuSettings closed = KefuSettings.of(Map.of("kefu.sandbox", "true", "kefu.push.port", "0"));
        assertFalse(closed.push().on(), "kefu.push.port=0 given: no push endpoints");
        assertTrue(closed.wecom().on() && !closed.wecom().receives(), "the demo corp sends, without callbacks");

        KefuSettings own = KefuSettings.of(Map.of("kefu.sandbox", "true", "kefu.wecom.corps.wwmine0001.secret", "s"));
        assertEquals(java.util.Set.of("wwmine0001"), own.wecom().corps().keySet(), "a corp given: no demo corp");
    }

    private static void assertMessage(Map<String, String> more, String expected) {
        ConfigException e = assertThrows(ConfigException.class, () -> KefuSettings.of(base(more)));
        assertEquals(expected, e.getMessage());
    }
}
