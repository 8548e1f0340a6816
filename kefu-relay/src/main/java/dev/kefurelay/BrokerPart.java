package dev.kefurelay;

import java.util.ArrayList;
import java.util.List;

import dev.kefurelay.broker.BatchCommits;
import dev.kefurelay.broker.BrokerSettings;
import dev.kefurelay.broker.EmbeddedBroker;
import dev.kefurelay.broker.JmsConnections;
import dev.kefurelay.broker.JmsInput;
import dev.kefurelay.config.ConfigException;
import dev.kefurelay.config.KefuSettings;
import dev.kefurelay.config.SettingGroups;
import dev.kefurelay.ops.BrokerProbe;
import dev.kefurelay.receive.PushRoutes;
import dev.kefurelay.send.ComponentRoutes;
import dev.kefurelay.token.TokenMode;
import org.apache.camel.CamelContext;
import org.apache.camel.component.jms.JmsComponent;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.spi.Registry;

/**
 * The broker the relay's JMS routes consume from: the embedded Artemis broker, or the one kefu.broker.url names;
 * the JMS beans of routes/*.camel.yaml; the probe that reads its queues for health and metrics. With
 * kefu.mode=broker it is all the relay runs.
 */
final class BrokerPart implements RelayPart {

    private final KefuSettings settings;
    private final StartSteps steps;
    private final boolean only;
    /** The embedded broker once it listens, or null. */
    private EmbeddedBroker broker;
    /** The embedded broker starting beside Camel's configuration (fixed port), or null. */
    private BackgroundBroker background;
    private BrokerProbe probe;

    private BrokerPart(KefuSettings settings, StartSteps steps, boolean only) {
        this.settings = settings;
        this.steps = steps;
        this.only = only;
    }

    /** The relay's broker: embedded, or kefu.broker.url. */
    static BrokerPart forRelay(KefuSettings settings, StartSteps steps) {
        return new BrokerPart(settings, steps, false);
    }

    /**
     * {@code kefu.mode=broker}: the relay jar runs only its Artemis broker, with the relay's queues and dead-letter
     * settings (kefu.broker.*), for relays that reach it through kefu.broker.url: for users without an Artemis
     * installation (a production pair for failover is better served by Artemis itself). No routes, no component,
     * no HTTP server.
     */
    static BrokerPart only(KefuSettings settings, StartSteps steps) {
        return new BrokerPart(settings, steps, true);
    }

    @Override
    public void start(BaseMainSupport main) {
        if (only) {
            broker = EmbeddedBroker.start(brokerSettings(settings));
            PropertiesComponent pc = main.getCamelContext().getPropertiesComponent();
            pc.addOverrideProperty("camel.main.routes-include-pattern", "false");
            pc.addOverrideProperty("camel.management.enabled", "false");
            return;
        }
        String brokerUrl = settings.broker().url().value();
        // the relay's own consumers: the broker's URL, or in-VM to the embedded one
        String listenerUrl = brokerUrl;
        if (!settings.broker().external()) {
            BrokerSettings brokerSettings = brokerSettings(settings);
            if (brokerSettings.port() == 0) {
                // the URL is known only once the acceptor has bound a port
                broker = EmbeddedBroker.start(brokerSettings);
                steps.done("broker");
            } else {
                // its URL is known now: it starts while Camel configures, joined before the JMS consumers connect
                background = new BackgroundBroker(brokerSettings);
            }
            brokerUrl = broker != null ? broker.url() : EmbeddedBroker.url(brokerSettings);
            listenerUrl = broker != null ? broker.inVmUrl() : background.inVmUrl();
        }
        probe = new BrokerProbe(brokerUrl, settings.broker().userOrNull(), settings.broker().password().orNull());
        Registry beans = main.getCamelContext().getRegistry();
        beans.bind("jms", jmsComponent(listenerUrl));
        // routes/jms.camel.yaml's listener container: commits per batch of kefu.jms.batch-size
        beans.bind("kefuJmsBatch", new BatchCommits(settings.jms().batchSize()));
        // how routes/*.camel.yaml's JMS consumers read a message: text or bytes, anything else its own refusal
        beans.bind("kefuJmsInput", new JmsInput());
    }

    @Override
    public void configured(CamelContext camel) {
        if (background != null) {
            // the routes' JMS consumers connect as Camel starts
            broker = background.await();
            steps.beside("broker", background.millis());
            steps.done("broker wait");
        }
    }

    /** What reads the broker's queues (health, metrics); null with kefu.mode=broker. */
    BrokerProbe probe() {
        return probe;
    }

    /** The embedded broker once it listens; null when the relay uses kefu.broker.url. */
    EmbeddedBroker broker() {
        return broker;
    }

    @Override
    public void close() {
        try {
            if (probe != null) {
                probe.close();
            }
        } finally {
            if (background != null) {
                background.close();
            } else if (broker != null) {
                broker.close();
            }
        }
    }

    static BrokerSettings brokerSettings(KefuSettings settings) {
        try {
            SettingGroups.Broker broker = settings.broker();
            return new BrokerSettings(broker.dataDir(), broker.bind(), broker.port(), broker.userOrNull(),
                    broker.password().orNull(), queues(settings), settings.jms().dlq(),
                    BrokerSettings.DEFAULT_MAX_DELIVERY_ATTEMPTS, broker.queueMemory());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    /**
     * The component queues exist only in component mode, where routes/component.camel.yaml consumes them; a
     * broker of its own (kefu.mode=broker) has them all, whatever mode its relays send in.
     */
    private static List<String> queues(KefuSettings settings) {
        List<String> queues = new ArrayList<>(settings.tokenMode() == TokenMode.COMPONENT || settings.brokerOnly()
                ? List.of(settings.jms().queue(), ComponentRoutes.TICKET_QUEUE, ComponentRoutes.AUTHORIZERS_QUEUE)
                : List.of(settings.jms().queue()));
        queues.addAll(PushRoutes.queues(settings));
        return queues;
    }

    /**
     * One connection factory for consumers and the dead-letter producer, so that the DLQ copy joins the
     * consumer's transaction; the listener container keeps its own connection and sessions.
     */
    private JmsComponent jmsComponent(String brokerUrl) {
        JmsComponent jms = new JmsComponent();
        jms.setConnectionFactory(JmsConnections.forListeners(brokerUrl, settings.broker().userOrNull(),
                settings.broker().password().orNull()));
        return jms;
    }
}
