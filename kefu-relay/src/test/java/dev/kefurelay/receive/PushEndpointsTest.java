package dev.kefurelay.receive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import dev.kefurelay.config.ConfigException;
import dev.kefurelay.config.KefuSettings;
import dev.kefurelay.push.PushCrypto;
import dev.kefurelay.push.PushReceivers;
import org.junit.jupiter.api.Test;

/** Which keys open which push path, and what the settings refuse; no Camel, no HTTP. */
class PushEndpointsTest {

    static final String KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
    static final String OTHER_KEY = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";

    private static KefuSettings settings(String... kv) {
        Map<String, String> m = new HashMap<>(Map.of("kefu.appid", "wxdefault00000001", "kefu.secret", "s1",
                "kefu.push.port", "18081"));
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return KefuSettings.of(m);
    }

    @Test
    void eachOfficialAccountOpensItsOwnPushesOnly() {
        PushEndpoints endpoints = PushEndpoints.from(settings("kefu.push.token", "t-default", "kefu.push.aes-key", KEY,
                "kefu.accounts.wxsecond00000002.secret", "s2",
                "kefu.accounts.wxsecond00000002.push-token", "t-second",
                "kefu.accounts.wxsecond00000002.push-aes-key", OTHER_KEY));
        assertTrue(endpoints.platform().isEmpty(), "no authorization-event endpoint outside mode component");
        assertTrue(endpoints.account("wxdefault00000001").isPresent());
        assertTrue(endpoints.account("wxunknown0000003").isEmpty());
        assertTrue(endpoints.account("../etc").isEmpty());
        PushCrypto second = new PushCrypto("t-second", OTHER_KEY, null, "wxsecond00000002", "test");
        PushCrypto.Encrypted e = second.encrypt("<xml><MsgType>text</MsgType></xml>", "1700000000", "n");
        Map<String, String> query = Map.of("timestamp", "1700000000", "nonce", "n", "msg_signature", e.msgSignature());
        byte[] body = e.pushXml("gh").getBytes(StandardCharsets.UTF_8);
        // the default account's keys do not open the second account's push, and no window lets 2023 in
        assertThrows(RuntimeException.class, () -> endpoints.account("wxdefault00000001").orElseThrow().receive(query, body));
        PushEndpoints noWindow = PushEndpoints.from(settings("kefu.push.max-age", "0",
                "kefu.accounts.wxsecond00000002.secret", "s2",
                "kefu.accounts.wxsecond00000002.push-token", "t-second",
                "kefu.accounts.wxsecond00000002.push-aes-key", OTHER_KEY));
        assertEquals("text", noWindow.account("wxsecond00000002").orElseThrow().receive(query, body).get("MsgType"));
    }

    @Test
    void theSettingsNameWhatIsMissingOrWrongAndShowNoKey() {
        ConfigException noToken = assertThrows(ConfigException.class, () -> PushEndpoints.from(settings()));
        assertTrue(noToken.getMessage().contains("kefu.push.token"));
        ConfigException badKey = assertThrows(ConfigException.class,
                () -> PushEndpoints.from(settings("kefu.push.token", "t", "kefu.push.aes-key", "not-a-key-value")));
        assertTrue(badKey.getMessage().contains("kefu.push.aes-key"));
        assertFalse(badKey.getMessage().contains("not-a-key-value"));
        assertTrue(assertThrows(ConfigException.class, () -> settings("kefu.accounts.wxnobody00000009.push-token", "t"))
                .getMessage().contains("no official account"));
        assertTrue(assertThrows(ConfigException.class, () -> settings("kefu.push.port", "8080", "kefu.http.port", "8080"))
                .getMessage().contains("kefu.http.port"));
        assertTrue(assertThrows(ConfigException.class, () -> settings("kefu.push.max-age", "soon"))
                .getMessage().contains("kefu.push.max-age"));
        KefuSettings s = settings("kefu.push.token", "push-token-value", "kefu.push.aes-key", KEY,
                "kefu.push.aes-key-previous", OTHER_KEY);
        assertFalse(s.toString().contains("push-token-value"));
        assertFalse(s.toString().contains(KEY));
        assertFalse(s.printable().containsKey("kefu.push.aes-key-previous"));
        assertEquals("kefu.inbound", s.push().queue());
        assertFalse(s.push().toString().contains(KEY), "a group prints no secret either");
    }

    @Test
    void eachWeComCorpOpensItsOwnCallbacksAndABadKeyIsNamed() {
        PushReceivers corps = PushEndpoints.wecomCorps(settings("kefu.wecom.corpid", "wwdefault0000001",
                "kefu.wecom.secret", "s", "kefu.wecom.push-token", "t-default", "kefu.wecom.push-aes-key", KEY,
                "kefu.wecom.corps.wwfurther000002.secret", "s2", "kefu.wecom.corps.wwfurther000002.push-token", "t2",
                "kefu.wecom.corps.wwfurther000002.push-aes-key", OTHER_KEY,
                "kefu.wecom.corps.wwsilent0000003.secret", "s3"));
        assertEquals("wwdefault0000001", corps.ownAppid());
        assertEquals(java.util.Set.of("wwdefault0000001", "wwfurther000002"), corps.appids());
        assertTrue(corps.account("wwsilent0000003").isEmpty(), "a corp without a callback Token has no callbacks");
        PushCrypto further = new PushCrypto("t2", OTHER_KEY, null, "wwfurther000002", "test");
        PushCrypto.Encrypted e = further.encrypt("<xml><Event>kf_msg_or_event</Event></xml>", "1700000000", "n");
        Map<String, String> query = Map.of("timestamp", "1700000000", "nonce", "n", "msg_signature", e.msgSignature());
        byte[] body = e.pushXml("ww").getBytes(StandardCharsets.UTF_8);
        assertThrows(RuntimeException.class, () -> corps.account("wwdefault0000001").orElseThrow().receive(query, body),
                "the default corp's keys do not open a further corp's callback");

        ConfigException badKey = assertThrows(ConfigException.class, () -> PushEndpoints.wecomCorps(settings(
                "kefu.wecom.corps.wwfurther000002.secret", "s2", "kefu.wecom.corps.wwfurther000002.push-token", "t2",
                "kefu.wecom.corps.wwfurther000002.push-aes-key", "not-a-key-value")));
        assertTrue(badKey.getMessage().contains("kefu.wecom.corps.wwfurther000002.push-aes-key"), badKey.getMessage());
        assertFalse(badKey.getMessage().contains("not-a-key-value"));
    }
}
