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

    /** Camel lists every property it resolved at start; a secret setting it does not know as one it would print. */
    @Test
    void everySecretSettingIsMaskedInCamelsStartSummary() throws Exception {
        Set<String> keys = new TreeSet<>(KefuSettings.DEFAULTS.keySet());
        keys.addAll(List.of("kefu.accounts.wxa.secret", "kefu.authorizers.wxa.refresh-token",
                "kefu.accounts.wxa.push-token", "kefu.accounts.wxa.push-aes-key"));
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
