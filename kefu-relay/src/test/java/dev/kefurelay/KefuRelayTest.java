package dev.kefurelay;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import dev.kefurelay.config.KefuSettings;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.CamelContextHelper;
import org.junit.jupiter.api.Test;

class KefuRelayTest {

    /** kefu.push.port 0 means no push endpoints; a taken one would leave the relay deaf to WeChat's tickets. */
    @Test
    void aTakenPushPortStopsTheStartNamingTheKey() throws Exception {
        try (java.net.ServerSocket busy = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            KefuSettings settings = KefuSettings.of(java.util.Map.of("kefu.sandbox", "true", "kefu.http.port", "0",
                    "kefu.push.port", String.valueOf(busy.getLocalPort())));
            dev.kefurelay.config.ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(
                    dev.kefurelay.config.ConfigException.class, () -> RelayAssembly.requireFreeHttpPort(settings));
            assertTrue(e.getMessage().startsWith("kefu.push.port=" + busy.getLocalPort() + ": cannot listen"),
                    e.getMessage());
            RelayAssembly.requireFreeHttpPort(KefuSettings.of(java.util.Map.of("kefu.sandbox", "true",
                    "kefu.http.port", "0", "kefu.push.port", "0")));
        }
    }

    /** Camel lists every property it resolved at start; a secret setting it does not know as one it would print. */
    @Test
    void everySecretSettingIsMaskedInCamelsStartSummary() throws Exception {
        Set<String> keys = new TreeSet<>(KefuSettings.DEFAULTS.keySet());
        keys.addAll(List.of("kefu.accounts.wxa.secret", "kefu.authorizers.wxa.refresh-token",
                "kefu.accounts.wxa.push-token", "kefu.accounts.wxa.push-aes-key", "kefu.wecom.corps.wwa.secret",
                "kefu.wecom.corps.wwa.push-token", "kefu.wecom.corps.wwa.push-aes-key"));
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            camel.getCamelContextExtension().setAdditionalSensitiveKeywords(KefuRelay.SENSITIVE_KEYWORDS);
            int secrets = 0;
            for (String key : keys) {
                if (KefuSettings.isSecret(key)) {
                    secrets++;
                    assertTrue(CamelContextHelper.containsSensitive(camel, key), key + " would be printed");
                }
            }
            assertTrue(secrets >= 10, "secret settings found: " + secrets);
            assertFalse(CamelContextHelper.containsSensitive(camel, "kefu.jms.concurrency"), "plain settings stay listed");
            assertFalse(CamelContextHelper.containsSensitive(camel, "kefu.inbox.dir"), "plain settings stay listed");
        }
    }
}
