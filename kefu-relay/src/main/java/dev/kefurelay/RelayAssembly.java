package dev.kefurelay;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;

import dev.kefurelay.broker.BatchCommits;
import dev.kefurelay.broker.BrokerSettings;
import dev.kefurelay.broker.DeadLetterRoutes;
import dev.kefurelay.broker.EmbeddedBroker;
import dev.kefurelay.broker.JmsConnections;
import dev.kefurelay.broker.JmsInput;
import dev.kefurelay.component.WeChatKefuComponent;
import dev.kefurelay.config.CamelProperties;
import dev.kefurelay.config.ComponentOptions;
import dev.kefurelay.config.ConfigException;
import dev.kefurelay.config.KefuSettings;
import dev.kefurelay.config.Key;
import dev.kefurelay.config.SettingGroups;
import dev.kefurelay.config.StorePool;
import com.zaxxer.hikari.HikariDataSource;
import dev.kefurelay.inbox.InboxFolder;
import dev.kefurelay.inbox.InboxGate;
import dev.kefurelay.inbox.InboxRoutes;
import dev.kefurelay.inbox.InboxSteps;
import dev.kefurelay.ops.BrokerHealthCheck;
import dev.kefurelay.ops.BrokerProbe;
import dev.kefurelay.ops.InboxHealthCheck;
import dev.kefurelay.ops.InputWatch;
import dev.kefurelay.ops.RelayMetrics;
import dev.kefurelay.ops.StoreHealthCheck;
import dev.kefurelay.ops.TokenHealthCheck;
import dev.kefurelay.sandbox.WeChatSandbox;
import dev.kefurelay.receive.PushRoutes;
import dev.kefurelay.send.ComponentRoutes;
import dev.kefurelay.send.SendRoutes;
import dev.kefurelay.send.TypingRoutes;
import dev.kefurelay.token.TokenMode;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.component.jms.JmsComponent;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.spi.Registry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the relay adds to a camel-main application, in camel-main's own lifecycle. Before Camel configures
 * itself ({@link #beforeConfigure}) the properties component has read every source, so the {@code kefu.*}
 * settings are resolved and checked there; then the sandbox and the broker start, the beans are bound, the core
 * routes added, and the {@code camel.*} settings derived from {@code kefu.*} handed to Camel before its
 * auto-configuration reads them. Health checks and token metrics follow once the component has started.
 */
final class RelayAssembly extends MainListenerSupport {

    private static final Logger LOG = LoggerFactory.getLogger(RelayAssembly.class);
    /** The component's scheme, and the name of the relay's configured instance in the registry. */
    static final String WECHAT_KEFU = "wechat-kefu";
    /** How often a closed inbox tries whether it can write outcomes again. */
    private static final long INBOX_RETRY_MS = 2_000;
    /** How often the inputs follow the store's state and the inbox folder's (both kept, so asking costs nothing). */
    private static final long INPUT_WATCH_MS = 250;

    /** What the relay started itself, stopped after Camel in reverse order. */
    private final List<AutoCloseable> services = new ArrayList<>();
    private final StartSteps steps;
    /** The embedded broker starting beside Camel's configuration (fixed port), or null. */
    private BackgroundBroker background;
    private KefuSettings settings;
    private EmbeddedBroker broker;
    private BrokerProbe probe;
    private InboxGate inboxGate;
    private WeChatKefuComponent wechat;
    private RelayMetrics metrics;

    RelayAssembly(StartSteps steps) {
        this.steps = steps;
    }

    @Override
    public void beforeConfigure(BaseMainSupport main) {
        PropertiesComponent pc = main.getCamelContext().getPropertiesComponent();
        Registry beans = main.getCamelContext().getRegistry();
        settings = KefuSettings.from(pc, System.getenv());
        if (settings.brokerOnly()) {
            brokerOnly(pc);
            return;
        }
        requireFreeHttpPort(settings);
        // one that cannot be created or read stops the start here, naming kefu.inbox.dir and the path
        InboxFolder.require(settings.inbox().dir());
        steps.done("settings");
        // the component's state in the shared store when kefu.store.url names one (the pool closed after Camel,
        // with the other services); made first, so that the sandbox is told what that store holds
        HikariDataSource storePool = StorePool.of(settings);
        if (storePool != null) {
            services.add(storePool);
            steps.done("store");
        }
        if (settings.sandbox()) {
            startSandbox(storePool);
            steps.done("sandbox");
        }
        String brokerUrl = settings.broker().url().value();
        // the relay's own consumers: the broker's URL, or in-VM to the embedded one
        String listenerUrl = brokerUrl;
        if (brokerUrl.isEmpty()) {
            BrokerSettings brokerSettings = brokerSettings(settings);
            if (brokerSettings.port() == 0) {
                // the URL is known only once the acceptor has bound a port
                broker = EmbeddedBroker.start(brokerSettings);
                services.add(broker);
                steps.done("broker");
            } else {
                // its URL is known now: it starts while Camel configures, joined before the JMS consumers connect
                background = new BackgroundBroker(brokerSettings);
                services.add(background);
            }
            brokerUrl = broker != null ? broker.url() : EmbeddedBroker.url(brokerSettings);
            listenerUrl = broker != null ? broker.inVmUrl() : background.inVmUrl();
        }
        probe = new BrokerProbe(brokerUrl, settings.broker().userOrNull(), settings.broker().password().orNull());
        services.add(probe);
        // bound before Camel starts, so camel-micrometer-prometheus scrapes this registry and no other
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        metrics = new RelayMetrics(registry);
        metrics.queues(probe, settings.jms().queue(), settings.jms().dlq());
        beans.bind(MicrometerConstants.METRICS_REGISTRY_NAME, registry);
        beans.bind("jms", jmsComponent(listenerUrl));
        // routes/jms.camel.yaml's listener container: commits per batch of kefu.jms.batch-size
        beans.bind("kefuJmsBatch", new BatchCommits(settings.jms().batchSize()));
        // how routes/*.camel.yaml's JMS consumers read a message: text or bytes, anything else its own refusal
        beans.bind("kefuJmsInput", new JmsInput());
        // the sending itself: the wechat-kefu component, configured from the kefu.* settings
        wechat = ComponentOptions.component(settings, metrics, storePool, metrics);
        metrics.accounts(wechat::isConfigured);
        beans.bind(WECHAT_KEFU, wechat);
        // the inbox endpoint's filter (routes/inbox.camel.yaml): closed while outcomes cannot be written
        inboxGate = new InboxGate(settings.inbox().dir(), INBOX_RETRY_MS);
        beans.bind("kefuInboxGate", inboxGate);
        // the YAML edges' {{kefu.*}} placeholders: the operator's values as Camel resolves them, else the defaults
        KefuSettings.DEFAULTS.forEach(pc::addInitialProperty);
        CamelProperties.derivedFrom(settings, Path.of("routes"), pc).forEach(pc::addOverrideProperty);
        main.configure().addRoutesBuilder(new SendRoutes());
        main.configure().addRoutesBuilder(new TypingRoutes());
        main.configure().addRoutesBuilder(new DeadLetterRoutes());
        if (settings.tokenMode() == TokenMode.COMPONENT) {
            main.configure().addRoutesBuilder(new ComponentRoutes(wechat));
        }
        PushRoutes.forSettings(settings).ifPresent(main.configure()::addRoutesBuilder);
        ExecutorService fileSenders = InboxRoutes.senders(main.getCamelContext(), this,
                settings.jms().concurrency());
        main.configure().addRoutesBuilder(new InboxRoutes(new InboxSteps(settings.inbox().dir(),
                settings.inbox().maxSize(), inboxGate), fileSenders));
    }

    /**
     * {@code kefu.mode=broker}: the relay jar runs only its Artemis broker, with the relay's queues and dead-letter
     * settings (kefu.broker.*), for relays that reach it through kefu.broker.url: for users without an Artemis
     * installation (a production pair for failover is better served by Artemis itself). No routes, no component,
     * no HTTP server.
     */
    private void brokerOnly(PropertiesComponent pc) {
        broker = EmbeddedBroker.start(brokerSettings(settings));
        services.add(broker);
        pc.addOverrideProperty("camel.main.routes-include-pattern", "false");
        pc.addOverrideProperty("camel.management.enabled", "false");
    }

    private void startSandbox(javax.sql.DataSource storePool) {
        WeChatSandbox sandbox = WeChatSandbox.start(settings.sandboxSettings().port());
        services.add(sandbox);
        // as WeChat does: a media_id must have been uploaded by the sending account (tests of the sandbox itself
        // send made-up ids; a relay run with it shows what a real one would answer)
        sandbox.requireUploadedMedia(true);
        settings.accountSecrets().forEach(sandbox::account);
        if (settings.tokenMode() == TokenMode.COMPONENT) {
            ComponentSandbox.register(sandbox, settings, storePool);
        }
        ComponentSandbox.pushTo(sandbox, settings);
        settings = settings.withBaseUrl(sandbox.baseUrl());
        LOG.info("sandbox WeChat API at {} (demo {})", sandbox.baseUrl(), settings.tokenMode() == TokenMode.COMPONENT
                ? "platform " + settings.accounts().componentAppid() : "account " + settings.defaultAppid());
    }

    @Override
    public void afterConfigure(BaseMainSupport main) {
        if (settings.brokerOnly()) {
            return;
        }
        HealthCheckRegistry health = HealthCheckRegistry.get(main.getCamelContext());
        health.register(new BrokerHealthCheck(probe, settings.jms().queue()));
        health.register(new InboxHealthCheck(inboxGate));
        steps.done("camel configure");
        if (background != null) {
            // the routes' JMS consumers connect as Camel starts
            broker = background.await();
            steps.beside("broker", background.millis());
            steps.done("broker wait");
        }
    }

    /**
     * Once Camel runs (the component built its token caches when it started). Called by the relay: camel-main's
     * own afterStart comes only from {@code Main.run()}, which blocks.
     */
    void started(CamelContext camel) {
        if (settings.brokerOnly()) {
            return;
        }
        HealthCheckRegistry.get(camel).register(new StoreHealthCheck(wechat::store));
        // no message taken while the store is away, and an inbox that cannot be read said so (readiness, the log)
        services.add(new InputWatch(camel, wechat::store, inboxGate, INPUT_WATCH_MS));
        // readiness asks a failing account again no more often than a failed send is retried at most
        HealthCheckRegistry.get(camel).register(
                new TokenHealthCheck(wechat.tokens(), settings.retry().maxDelay()));
        metrics.tokens(wechat.tokens(), settings.accountSecrets().keySet());
    }

    KefuSettings settings() {
        return settings;
    }

    WeChatKefuComponent wechat() {
        return wechat;
    }

    EmbeddedBroker broker() {
        return broker;
    }

    RelayMetrics metrics() {
        return metrics;
    }

    /** Stops what the relay started itself, newest first; Camel is stopped before. */
    void closeServices() {
        for (int i = services.size() - 1; i >= 0; i--) {
            try {
                services.get(i).close();
            } catch (Exception e) {
                LOG.warn("stopping {}: {}", services.get(i).getClass().getSimpleName(), e.toString());
            }
        }
        services.clear();
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
