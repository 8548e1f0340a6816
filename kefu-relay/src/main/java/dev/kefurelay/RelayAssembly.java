package dev.kefurelay;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.kefurelay.broker.EmbeddedBroker;
import dev.kefurelay.component.WeChatKefuComponent;
import dev.kefurelay.config.CamelProperties;
import dev.kefurelay.config.ConfigException;
import dev.kefurelay.config.KefuSettings;
import dev.kefurelay.config.Key;
import dev.kefurelay.inbox.InboxFolder;
import dev.kefurelay.ops.RelayMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.spi.PropertiesComponent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the relay adds to a camel-main application, in camel-main's own lifecycle. Before Camel configures
 * itself ({@link #beforeConfigure}) the properties component has read every source, so the {@code kefu.*}
 * settings are resolved and checked there, the {@code camel.*} settings derived from them handed to Camel, and the
 * relay's parts started in the order of {@link #startParts}; they are told when Camel is configured and when it
 * runs, and closed in reverse after Camel stopped.
 */
final class RelayAssembly extends MainListenerSupport {

    private static final Logger LOG = LoggerFactory.getLogger(RelayAssembly.class);
    /** The component's scheme, and the name of the relay's configured instance in the registry. */
    static final String WECHAT_KEFU = "wechat-kefu";

    /** The parts in the order they started; closed newest first. */
    private final List<RelayPart> parts = new ArrayList<>();
    private final StartSteps steps;
    private KefuSettings settings;
    private BrokerPart broker;
    private SendPart send;
    private RelayMetrics metrics;

    RelayAssembly(StartSteps steps) {
        this.steps = steps;
    }

    @Override
    public void beforeConfigure(BaseMainSupport main) {
        PropertiesComponent pc = main.getCamelContext().getPropertiesComponent();
        settings = KefuSettings.from(pc, System.getenv());
        if (settings.brokerOnly()) {
            broker = start(BrokerPart.only(settings, steps), main);
            return;
        }
        requireFreeHttpPort(settings);
        // one that cannot be created or read stops the start here, naming kefu.inbox.dir and the path
        InboxFolder.require(settings.inbox().dir());
        steps.done("settings");
        // the YAML edges' {{kefu.*}} placeholders: the operator's values as Camel resolves them, else the defaults
        KefuSettings.DEFAULTS.forEach(pc::addInitialProperty);
        CamelProperties.derivedFrom(settings, Path.of("routes"), pc).forEach(pc::addOverrideProperty);
        startParts(main);
    }

    /**
     * The relay's parts, in the order they depend on each other: the store first (the sandbox is told what it
     * holds), the sandbox before the sending (which calls the sandbox's URL), the broker before the routes that
     * consume from it; the push routes are added before the inbox's, and operations last, watching the others.
     */
    private void startParts(BaseMainSupport main) {
        // made first: the component reports its outcomes to it; the ops part binds it and adds the gauges
        metrics = new RelayMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        StorePart store = start(new StorePart(settings, steps), main);
        SandboxPart sandbox = start(new SandboxPart(settings, store.pool(), steps), main);
        broker = start(BrokerPart.forRelay(settings, steps), main);
        send = start(new SendPart(settings, sandbox.apis(), store.pool(), metrics), main);
        start(new PushPart(settings), main);
        start(new WeComPart(settings, send), main);
        InboxPart inbox = start(new InboxPart(settings), main);
        start(new OpsPart(settings, metrics, broker.probe(), inbox.gate(), send.component()), main);
    }

    /** Listed before it starts: a part whose start fails half-way is closed with the others. */
    private <P extends RelayPart> P start(P part, BaseMainSupport main) {
        parts.add(part);
        part.start(main);
        return part;
    }

    @Override
    public void afterConfigure(BaseMainSupport main) {
        if (settings.brokerOnly()) {
            return;
        }
        steps.done("camel configure");
        parts.forEach(part -> part.configured(main.getCamelContext()));
    }

    /**
     * Once Camel runs (the component built its token caches when it started). Called by the relay: camel-main's
     * own afterStart comes only from {@code Main.run()}, which blocks.
     */
    void started(CamelContext camel) {
        parts.forEach(part -> part.running(camel));
    }

    KefuSettings settings() {
        return settings;
    }

    /** The WeChat API the component calls: the sandbox's when it runs, else kefu.wechat.base-url. */
    List<String> baseUrls() {
        return send.baseUrls();
    }

    WeChatKefuComponent wechat() {
        return send.component();
    }

    EmbeddedBroker broker() {
        return broker == null ? null : broker.broker();
    }

    RelayMetrics metrics() {
        return metrics;
    }

    /** Stops the parts, newest first; Camel is stopped before. */
    void closeServices() {
        for (int i = parts.size() - 1; i >= 0; i--) {
            try {
                parts.get(i).close();
            } catch (Exception e) {
                LOG.warn("stopping {}: {}", parts.get(i).getClass().getSimpleName(), e.toString());
            }
        }
        parts.clear();
    }

    /**
     * Vert.x only logs a failed listen and Camel starts anyway, which would leave a relay nobody can watch, or one
     * that no longer takes WeChat's pushes (its verify tickets among them): a port that is taken, health's or the
     * pushes', stops the start here, before anything runs.
     */
    static void requireFreeHttpPort(KefuSettings settings) {
        requireFree(settings.http().port(), settings.http().bind(), Key.HTTP_PORT.key(), Key.HTTP_BIND.key());
        requireFree(settings.push().port(), settings.push().bind(), Key.PUSH_PORT.key(), Key.PUSH_BIND.key());
    }

    private static void requireFree(int port, String bind, String portKey, String bindKey) {
        if (port == 0) {
            return;
        }
        try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new java.net.InetSocketAddress(bind, port));
        } catch (IOException e) {
            throw new ConfigException(portKey + "=" + port + ": cannot listen on " + bind + ":" + port + " ("
                    + e.getMessage() + "): is another relay running? choose another " + portKey + " or " + bindKey);
        }
    }
}
