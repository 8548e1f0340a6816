package dev.kefurelay;

import dev.kefurelay.broker.BrokerSettings;
import dev.kefurelay.config.KefuSettings;

/**
 * The benchmark's way to the relay's own embedded-broker settings ({@link BrokerPart} is package-private): its
 * broker-only peer starts the broker the relay would start for the same kefu.* settings (queues, dead-letter
 * address, delivery attempts, paging), not a copy of them.
 */
public final class RelayBrokers {

    private RelayBrokers() {
    }

    public static BrokerSettings settings(KefuSettings settings) {
        return BrokerPart.brokerSettings(settings);
    }
}
