package dev.kefurelay;

import dev.kefurelay.broker.EmbeddedBroker;
import dev.kefurelay.config.KefuSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code kefu.mode=broker}: the relay jar runs only its Artemis broker, with the relay's queues and dead-letter
 * settings (kefu.broker.*), for relays that reach it through kefu.broker.url. For users without an Artemis
 * installation; a production pair for failover is better served by Artemis itself (README, Running several relays).
 */
final class BrokerOnly {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerOnly.class);

    private BrokerOnly() {
    }

    /** Starts the broker and blocks until the JVM is told to stop; the shutdown hook stops the broker. */
    static void run(KefuSettings settings) throws InterruptedException {
        EmbeddedBroker broker = EmbeddedBroker.start(KefuRelay.brokerSettings(settings));
        LOG.info("kefu broker started (kefu.mode=broker): relays connect with kefu.broker.url={}", broker.url());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.close();
            LOG.info("kefu broker stopped");
            org.apache.logging.log4j.LogManager.shutdown();
        }, "kefu-broker-shutdown"));
        Thread.currentThread().join();
    }
}
