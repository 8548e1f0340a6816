package dev.kefurelay;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;

import dev.kefurelay.broker.BrokerSettings;
import dev.kefurelay.broker.DeadLetterRoutes;
import dev.kefurelay.broker.EmbeddedBroker;
import dev.kefurelay.broker.JmsConnections;
import dev.kefurelay.config.CamelProperties;
import dev.kefurelay.component.WeChatKefuComponent;
import dev.kefurelay.config.ComponentOptions;
import dev.kefurelay.config.ConfigException;
import dev.kefurelay.inbox.InboxRoutes;
import dev.kefurelay.inbox.InboxGate;
import dev.kefurelay.inbox.InboxSteps;
import dev.kefurelay.config.KefuSettings;
import dev.kefurelay.config.StorePool;
import dev.kefurelay.ops.StoreHealthCheck;
import com.zaxxer.hikari.HikariDataSource;
import dev.kefurelay.ops.BrokerHealthCheck;
import dev.kefurelay.ops.BrokerProbe;
import dev.kefurelay.ops.InboxHealthCheck;
import dev.kefurelay.ops.RelayMetrics;
import dev.kefurelay.ops.TokenHealthCheck;
import dev.kefurelay.sandbox.WeChatSandbox;
import dev.kefurelay.send.SendRoutes;
import dev.kefurelay.send.TypingRoutes;
import dev.kefurelay.send.ComponentRoutes;
import dev.kefurelay.token.TokenCache;
import dev.kefurelay.token.TokenMode;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.jms.JmsComponent;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.main.SimpleMainShutdownStrategy;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay as one unit: settings checked, the sandbox and broker started when asked for, then Camel with
 * the core routes and the YAML edges. {@link #main} runs it until stopped; tests use {@link #start}.
 */
public final class KefuRelay implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KefuRelay.class);
    /** The component's scheme, and the name of the relay's configured instance in the registry. */
    static final String WECHAT_KEFU = "wechat-kefu";

    private final Main main;
    private final List<AutoCloseable> services;
    private final WeChatKefuComponent wechat;
    private final EmbeddedBroker broker;
    private final RelayMetrics metrics;
    /** One for the relay's life: each template is a service with its own producer cache, not a throwaway. */
    private volatile ProducerTemplate template;

    private KefuRelay(Main main, List<AutoCloseable> services, WeChatKefuComponent wechat, EmbeddedBroker broker,
            RelayMetrics metrics) {
        this.main = main;
        this.services = services;
        this.wechat = wechat;
        this.broker = broker;
        this.metrics = metrics;
    }

    public static void main(String[] args) throws Exception {
        KefuRelay relay;
        try {
            KefuSettings settings = KefuSettings.load(Map.of());
            if (settings.brokerOnly()) {
                BrokerOnly.run(settings);
                return;
            }
            relay = start(Map.of());
        } catch (ConfigException e) {
            // one line an operator can act on, not a stack trace
            System.err.println("kefu-relay cannot start: " + e.getMessage());
            System.exit(2);
            return;
        } catch (Exception e) {
            LOG.error("kefu-relay cannot start", e);
            System.err.println("kefu-relay cannot start: " + e);
            org.apache.logging.log4j.LogManager.shutdown();
            System.exit(1);
            return;
        }
        relay.awaitShutdown();
    }

    /**
     * Starts the relay with these properties over the usual sources; returns once it is running. {@code kefu.*}
     * keys are the relay's (checked, a typo fails); any other key goes to Camel as it is: {@code camel.*}
     * settings (e.g. {@code camel.main.routes-include-pattern} to add routes) or a placeholder of a route.
     */
    public static KefuRelay start(Map<String, String> overrides) throws Exception {
        Map<String, String> kefu = new java.util.LinkedHashMap<>();
        Map<String, String> camelOnly = new java.util.LinkedHashMap<>();
        overrides.forEach((key, value) -> (key.startsWith("kefu.") ? kefu : camelOnly).put(key, value));
        KefuSettings settings = KefuSettings.load(kefu);
        requireFreeHttpPort(settings);
        List<AutoCloseable> services = new ArrayList<>();
        try {
            if (settings.sandbox()) {
                WeChatSandbox sandbox = WeChatSandbox.start(settings.integer("kefu.sandbox.port"));
                services.add(sandbox);
                settings.accountSecrets().forEach(sandbox::account);
                if (settings.tokenMode() == TokenMode.COMPONENT) {
                    ComponentSandbox.register(sandbox, settings);
                }
                settings = settings.withBaseUrl(sandbox.baseUrl());
                LOG.info("sandbox WeChat API at {} (demo {})", sandbox.baseUrl(), settings.tokenMode() == TokenMode.COMPONENT
                        ? "platform " + settings.get("kefu.component.appid") : "account " + settings.defaultAppid());
            }
            String brokerUrl = settings.get("kefu.broker.url");
            EmbeddedBroker broker = null;
            if (brokerUrl.isEmpty()) {
                broker = EmbeddedBroker.start(brokerSettings(settings));
                services.add(broker);
                brokerUrl = broker.url();
            }
            BrokerProbe probe = new BrokerProbe(brokerUrl, blankToNull(settings.get("kefu.broker.user")),
                    blankToNull(settings.get("kefu.broker.password")));
            services.add(probe);
            Main main = new Main();
            // The relay's own shutdown hook stops Camel, then the broker (see awaitShutdown); Camel's would only
            // wait for the CamelContext and could let the JVM halt before the broker is stopped. The plain
            // strategy installs no hook (DefaultMainShutdownStrategy.disableHangupSupport() does not prevent it
            // in 4.18: its compareAndSet(false, false) succeeds and installs the hook anyway).
            main.setShutdownStrategy(new SimpleMainShutdownStrategy());
            // Camel settings (camel.*) from application.properties in the jar, then the one in the working folder
            main.setPropertyPlaceholderLocations(
                    "classpath:application.properties;optional=true,file:application.properties;optional=true");
            // bound before Camel starts, so camel-micrometer-prometheus scrapes this registry and no other
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            RelayMetrics metrics = new RelayMetrics(registry);
            metrics.queues(probe, settings.get("kefu.jms.queue"), settings.get("kefu.jms.dlq"));
            main.bind(MicrometerConstants.METRICS_REGISTRY_NAME, registry);
            main.bind("jms", jmsComponent(settings, brokerUrl));
            // the sending itself: the wechat-kefu component, configured from the kefu.* settings; its state in the
            // shared store when kefu.store.url names one (closed after Camel, see closeAll)
            HikariDataSource storePool = StorePool.of(settings);
            if (storePool != null) {
                services.add(storePool);
            }
            WeChatKefuComponent wechat = ComponentOptions.component(settings, metrics, storePool, metrics);
            metrics.accounts(wechat::isConfigured);
            main.bind(WECHAT_KEFU, wechat);
            // the inbox endpoint's filter (routes/inbox.camel.yaml): closed while outcomes cannot be written
            InboxGate inboxGate = new InboxGate(settings.path("kefu.inbox.dir"), INBOX_RETRY_MS);
            main.bind("kefuInboxGate", inboxGate);
            settings.placeholders().forEach(main::addOverrideProperty);
            // routes/component.camel.yaml starts its JMS consumers only in component mode
            main.addOverrideProperty("kefu.component.enabled", String.valueOf(settings.tokenMode() == TokenMode.COMPONENT));
            CamelProperties.derivedFrom(settings, Path.of("routes")).forEach(main::addOverrideProperty);
            main.configure().addRoutesBuilder(new SendRoutes());
            main.configure().addRoutesBuilder(new TypingRoutes());
            main.configure().addRoutesBuilder(new DeadLetterRoutes());
            if (settings.tokenMode() == TokenMode.COMPONENT) {
                main.configure().addRoutesBuilder(new ComponentRoutes(wechat));
            }
            main.addMainListener(listener(settings, probe, inboxGate));
            camelOnly.forEach(main::addOverrideProperty);
            main.start();
            // the component built its token caches when it started
            // readiness asks a failing account again no more often than a failed send is retried at most
            HealthCheckRegistry.get(main.getCamelContext()).register(
                    new TokenHealthCheck(wechat.tokens(), settings.duration("kefu.retry.max-delay")));
            HealthCheckRegistry.get(main.getCamelContext()).register(new StoreHealthCheck(wechat::store));
            metrics.tokens(wechat.tokens(), settings.accountSecrets().keySet());
            KefuRelay relay = new KefuRelay(main, services, wechat, broker, metrics);
            String bound = relay.boundUrl();
            LOG.info("kefu-relay started: WeChat API {}, token mode {}, {}, health {}, metrics {}", settings.baseUrls(),
                    settings.tokenMode().wireName(), wechat.store().describe(), bound + HEALTH_PATH, bound + METRICS_PATH);
            return relay;
        } catch (Exception | Error e) {
            closeAll(services);
            throw e;
        }
    }

    /**
     * Vert.x only logs a failed listen and Camel starts anyway, which would leave a relay nobody can watch:
     * a port that is taken stops the start here, before anything runs.
     */
    static void requireFreeHttpPort(KefuSettings settings) {
        int port = settings.integer("kefu.http.port");
        if (port == 0) {
            return;
        }
        String bind = settings.get("kefu.http.bind");
        try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new java.net.InetSocketAddress(bind, port));
        } catch (IOException e) {
            throw new ConfigException("kefu.http.port=" + port + ": cannot listen on " + bind + ":" + port + " ("
                    + e.getMessage() + "): is another relay running? choose another kefu.http.port or kefu.http.bind");
        }
    }

    /** How often a closed inbox tries whether it can write outcomes again. */
    private static final long INBOX_RETRY_MS = 2_000;

    public static final String HEALTH_PATH = CamelProperties.HEALTH_PATH;
    public static final String METRICS_PATH = CamelProperties.METRICS_PATH;

    static BrokerSettings brokerSettings(KefuSettings settings) {
        try {
            return new BrokerSettings(settings.path("kefu.broker.data-dir"), settings.get("kefu.broker.bind"),
                    settings.integer("kefu.broker.port"), blankToNull(settings.get("kefu.broker.user")),
                    blankToNull(settings.get("kefu.broker.password")), queues(settings),
                    settings.get("kefu.jms.dlq"), BrokerSettings.DEFAULT_MAX_DELIVERY_ATTEMPTS,
                    settings.bytes("kefu.broker.queue-memory"));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    /**
     * The component queues exist only in component mode, where routes/component.camel.yaml consumes them; a
     * broker of its own (kefu.mode=broker) has them all, whatever mode its relays send in.
     */
    private static List<String> queues(KefuSettings settings) {
        return settings.tokenMode() == TokenMode.COMPONENT || settings.brokerOnly()
                ? List.of(settings.get("kefu.jms.queue"), ComponentRoutes.TICKET_QUEUE, ComponentRoutes.AUTHORIZERS_QUEUE)
                : List.of(settings.get("kefu.jms.queue"));
    }

    /**
     * One connection factory for consumers and the dead-letter producer, so that the DLQ copy joins the
     * consumer's transaction; the listener container keeps its own connection and sessions.
     */
    private static JmsComponent jmsComponent(KefuSettings settings, String brokerUrl) {
        JmsComponent jms = new JmsComponent();
        jms.setConnectionFactory(JmsConnections.forListeners(brokerUrl, blankToNull(settings.get("kefu.broker.user")),
                blankToNull(settings.get("kefu.broker.password"))));
        return jms;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /** What needs the CamelContext before it starts: the inbox's thread pool, the health checks. */
    private static MainListenerSupport listener(KefuSettings settings, BrokerProbe probe, InboxGate inboxGate) {
        return new MainListenerSupport() {
            @Override
            public void beforeConfigure(BaseMainSupport m) {
                ExecutorService fileSenders = InboxRoutes.senders(m.getCamelContext(), this,
                        settings.integer("kefu.jms.concurrency"));
                m.configure().addRoutesBuilder(new InboxRoutes(new InboxSteps(settings.path("kefu.inbox.dir"),
                        settings.bytes("kefu.inbox.max-size"), inboxGate), fileSenders));
            }

            @Override
            public void afterConfigure(BaseMainSupport m) {
                HealthCheckRegistry health = HealthCheckRegistry.get(m.getCamelContext());
                health.register(new BrokerHealthCheck(probe, settings.get("kefu.jms.queue")));
                health.register(new InboxHealthCheck(inboxGate));
            }

        };
    }

    public CamelContext camel() {
        return main.getCamelContext();
    }

    public ProducerTemplate template() {
        ProducerTemplate t = template;
        if (t == null) {
            synchronized (this) {
                if (template == null) {
                    template = camel().createProducerTemplate();
                }
                t = template;
            }
        }
        return t;
    }

    /** The embedded broker, or null when the relay uses kefu.broker.url. */
    public EmbeddedBroker broker() {
        return broker;
    }

    /** The sending tokens of the wechat-kefu component. */
    public TokenCache tokens() {
        return wechat.tokens();
    }

    public RelayMetrics metrics() {
        return metrics;
    }

    /** The port health and metrics are served on (the OS's choice when kefu.http.port=0). */
    public int httpPort() {
        return managementServer().getPort();
    }

    /** Where a client on this machine reaches health and metrics, e.g. http://127.0.0.1:8080 (loopback for 0.0.0.0). */
    public String httpUrl() {
        String host = managementServer().getHost();
        return url(isWildcard(host) ? "127.0.0.1" : host, httpPort());
    }

    /**
     * The address the health and metrics server is bound to, e.g. http://127.0.0.1:8080, or http://0.0.0.0:8080 when
     * it listens on every interface: what the start line says, so an operator sees how far it is exposed.
     */
    public String boundUrl() {
        return url(managementServer().getHost(), httpPort());
    }

    private VertxPlatformHttpServer managementServer() {
        VertxPlatformHttpServer server = camel().hasService(VertxPlatformHttpServer.class);
        if (server == null) {
            throw new IllegalStateException("the management HTTP server is not running");
        }
        return server;
    }

    private static boolean isWildcard(String host) {
        return host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
    }

    private static String url(String host, int port) {
        return "http://" + (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
    }

    /** Sends one message through {@code direct:kefu-send} and returns the outcome JSON. */
    public String send(String messageJson) {
        return template().requestBody(SendRoutes.SEND, messageJson, String.class);
    }

    /**
     * Blocks until the JVM is told to stop (SIGTERM, SIGINT). The shutdown hook then stops Camel gracefully
     * (consumers first, in-flight messages finished or rolled back within kefu.shutdown.timeout), then the
     * broker, then the logging, in that order.
     */
    public void awaitShutdown() throws InterruptedException {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("kefu-relay stopping (shutdown signal)");
            close();
            LOG.info("kefu-relay stopped");
            org.apache.logging.log4j.LogManager.shutdown();
        }, "kefu-relay-shutdown"));
        Thread.currentThread().join();
    }

    @Override
    public void close() {
        try {
            main.stop();
        } catch (Exception e) {
            LOG.warn("stopping Camel: {}", e.toString());
        }
        closeAll(services);
    }

    private static void closeAll(List<AutoCloseable> services) {
        for (int i = services.size() - 1; i >= 0; i--) {
            try {
                services.get(i).close();
            } catch (Exception e) {
                LOG.warn("stopping {}: {}", services.get(i).getClass().getSimpleName(), e.toString());
            }
        }
    }
}
