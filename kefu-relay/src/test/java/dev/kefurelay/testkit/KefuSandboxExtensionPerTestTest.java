package dev.kefurelay.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kefurelay.KefuRelay;
import dev.kefurelay.Samples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** On an instance field the kit lives for one test; withoutRelay() leaves starting the relay to the test. */
class KefuSandboxExtensionPerTestTest {

    @RegisterExtension
    KefuSandboxExtension wechat = new KefuSandboxExtension().withoutRelay();

    @Test
    void aRelayStartedWithTheKitsPropertiesSendsToItsSandbox() throws Exception {
        assertThrows(IllegalStateException.class, wechat::relay);
        try (KefuRelay relay = KefuRelay.start(wechat.properties())) {
            assertTrue(relay.send(Samples.text("own relay")).contains("\"errcode\":0"));
        }
        assertEquals(1, wechat.delivered().size());
        assertEquals(KefuSandboxExtension.DEMO_APPID, wechat.delivered().get(0).appid());
    }
}
