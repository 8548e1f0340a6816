package dev.kefurelay;

import java.util.Map;

import dev.kefurelay.broker.EmbeddedBroker;
import dev.kefurelay.config.CamelProperties;
import dev.kefurelay.config.ConfigException;
import dev.kefurelay.config.Key;
import dev.kefurelay.ops.RelayMetrics;
import dev.kefurelay.send.SendRoutes;
import dev.kefurelay.token.TokenCache;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.platform.http.main.ManagementHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.main.Main;
import org.apache.camel.main.SimpleMainShutdownStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay: a camel-main application whose {@link RelayAssembly} adds the sandbox, the broker, the component
 * and the routes when Camel configures itself. {@link #main} runs it until stopped; tests use {@link #start}.
 */
public final class KefuRelay implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KefuRelay.class);
    /**
     * Last key segments (without dashes) that mark a secret beyond Camel's own list (secret, password, token,
     * refreshtoken …), so that Camel's start summary of the properties it resolved masks the ticket and the push
     * keys too. {@code KefuRelayTest} checks every secret setting against it.
     */
    static final String SENSITIVE_KEYWORDS = "ticket,aeskey,aeskeyprevious,pushtoken,pushaeskey,url";

    private final Main main;
    private final RelayAssembly parts;
    /** One for the relay's life: each template is a service with its own producer cache, not a throwaway. */
    private volatile ProducerTemplate template;

    private KefuRelay(Main main, RelayAssembly parts) {
        this.main = main;
        this.parts = parts;
    }

    public static void main(String[] args) throws Exception {
        KefuRelay relay;
        try {
            relay = start(Map.of(), StartSteps.sinceJvmStart());
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
     * Starts the relay and returns once it is running. The given properties win over the usual sources' (files,
     * {@code -D}, environment) as Camel's override properties: {@code kefu.*} keys are the relay's (checked, a
     * typo fails), any other key is Camel's, e.g. {@code camel.main.routes-include-pattern} to add routes.
     */
    public static KefuRelay start(Map<String, String> overrides) throws Exception {
        return start(overrides, new StartSteps(System::currentTimeMillis, System.currentTimeMillis()));
    }

    /** {@link #start(Map)}, timing each step from {@code steps}' beginning: the JVM's own start for {@link #main}. */
    static KefuRelay start(Map<String, String> overrides, StartSteps steps) throws Exception {
        steps.done("jvm");
        Main main = new Main();
        // The relay's own shutdown hook stops Camel, then the broker (see awaitShutdown); Camel's would only
        // wait for the CamelContext and could let the JVM halt before the broker is stopped. The plain
        // strategy installs no hook (DefaultMainShutdownStrategy.disableHangupSupport() does not prevent it
        // in 4.18: its compareAndSet(false, false) succeeds and installs the hook anyway).
        main.setShutdownStrategy(new SimpleMainShutdownStrategy());
        // kefu.* and camel.* settings from application.properties in the jar, then the one in the working folder
        main.setPropertyPlaceholderLocations(
                "classpath:application.properties;optional=true,file:application.properties;optional=true");
        main.configure().setAdditionalSensitiveKeywords(SENSITIVE_KEYWORDS);
        overrides.forEach(main::addOverrideProperty);
        RelayAssembly parts = new RelayAssembly(steps);
        main.addMainListener(parts);
        try {
            main.start();
            steps.done("camel start");
            parts.started(main.getCamelContext());
        } catch (Exception | Error e) {
            stopQuietly(main);
            parts.closeServices();
            throw e;
        }
        KefuRelay relay = new KefuRelay(main, parts);
        if (parts.settings().brokerOnly()) {
            LOG.info("kefu broker started ({}=broker): relays connect with {}={}", Key.MODE.key(), Key.BROKER_URL.key(),
                    parts.broker().url());
            return relay;
        }
        String bound = relay.boundUrl();
        steps.done("health checks");
        LOG.info("kefu-relay started: WeChat API {}, token mode {}, {}, health {}, metrics {}", parts.baseUrls(),
                parts.settings().tokenMode().wireName(), parts.wechat().store().describe(), bound + HEALTH_PATH,
                bound + METRICS_PATH);
        LOG.info("start steps: {}", steps.summary());
        return relay;
    }

    public static final String HEALTH_PATH = CamelProperties.HEALTH_PATH;
    public static final String METRICS_PATH = CamelProperties.METRICS_PATH;

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
        return parts.broker();
    }

    /** The sending tokens of the wechat-kefu component. */
    public TokenCache tokens() {
        return parts.wechat().tokens();
    }

    public RelayMetrics metrics() {
        return parts.metrics();
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

    /** The management server's, not the push server's (kefu.push.port): the one started on camel.management.port. */
    private VertxPlatformHttpServer managementServer() {
        ManagementHttpServer management = camel().hasService(ManagementHttpServer.class);
        return camel().hasServices(VertxPlatformHttpServer.class).stream()
                .filter(s -> management == null || s.getConfigurationPort() == management.getPort())
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("the management HTTP server is not running"));
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
        stopQuietly(main);
        parts.closeServices();
    }

    private static void stopQuietly(Main main) {
        try {
            main.stop();
        } catch (Exception e) {
            LOG.warn("stopping Camel: {}", e.toString());
        }
    }
}
