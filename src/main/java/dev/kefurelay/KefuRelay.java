package dev.kefurelay;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.kefurelay.broker.BrokerSettings;
import dev.kefurelay.broker.DeadLetterRoutes;
import dev.kefurelay.broker.EmbeddedBroker;
import dev.kefurelay.broker.JmsConnections;
import dev.kefurelay.config.ConfigException;
import dev.kefurelay.inbox.InboxRoutes;
import dev.kefurelay.inbox.InboxSteps;
import dev.kefurelay.config.KefuSettings;
import dev.kefurelay.message.MessageReader;
import dev.kefurelay.sandbox.WeChatSandbox;
import dev.kefurelay.send.DeliveredIds;
import dev.kefurelay.send.OutcomeListener;
import dev.kefurelay.send.Outcomes;
import dev.kefurelay.send.QuotaPauses;
import dev.kefurelay.send.RetryPolicy;
import dev.kefurelay.send.SendRoutes;
import dev.kefurelay.send.SendSteps;
import dev.kefurelay.send.WeChatApi;
import dev.kefurelay.token.ComponentRoutes;
import dev.kefurelay.token.TokenCache;
import dev.kefurelay.token.TokenMode;
import dev.kefurelay.token.TokenSources;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.jms.JmsComponent;
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

    private final Main main;
    private final List<AutoCloseable> services;
    private final TokenCache tokens;
    private final EmbeddedBroker broker;

    private KefuRelay(Main main, List<AutoCloseable> services, TokenCache tokens, EmbeddedBroker broker) {
        this.main = main;
        this.services = services;
        this.tokens = tokens;
        this.broker = broker;
    }

    public static void main(String[] args) throws Exception {
        KefuRelay relay;
        try {
            relay = start(Map.of());
        } catch (ConfigException e) {
            // one line an operator can act on, not a stack trace
            System.err.println("kefu-relay cannot start: " + e.getMessage());
            System.exit(2);
            return;
        }
        relay.awaitShutdown();
    }

    /** Starts the relay with these properties over the usual sources; returns once it is running. */
    public static KefuRelay start(Map<String, String> overrides) throws Exception {
        KefuSettings settings = KefuSettings.load(overrides);
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
            Main main = new Main();
            Holder holder = new Holder();
            holder.broker = broker;
            main.bind("jms", jmsComponent(settings, brokerUrl));
            configure(main, settings, holder);
            main.start();
            KefuRelay relay = new KefuRelay(main, services, holder.tokens, broker);
            LOG.info("kefu-relay started: WeChat API {}, token mode {}", settings.baseUrls(),
                    settings.tokenMode().wireName());
            return relay;
        } catch (Exception | Error e) {
            closeAll(services);
            throw e;
        }
    }

    private static final class Holder {
        TokenCache tokens;
        EmbeddedBroker broker;
    }

    static BrokerSettings brokerSettings(KefuSettings settings) {
        try {
            return new BrokerSettings(settings.path("kefu.broker.data-dir"), settings.get("kefu.broker.bind"),
                    settings.integer("kefu.broker.port"), blankToNull(settings.get("kefu.broker.user")),
                    blankToNull(settings.get("kefu.broker.password")), queues(settings),
                    settings.get("kefu.jms.dlq"), BrokerSettings.DEFAULT_MAX_DELIVERY_ATTEMPTS);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    /** The component queues exist only in component mode, where routes/component.camel.yaml consumes them. */
    private static List<String> queues(KefuSettings settings) {
        return settings.tokenMode() == TokenMode.COMPONENT
                ? List.of(settings.get("kefu.jms.queue"), ComponentRoutes.TICKET_QUEUE, ComponentRoutes.AUTHORIZERS_QUEUE)
                : List.of(settings.get("kefu.jms.queue"));
    }

    /**
     * One connection factory for consumers and the dead-letter producer, so that the DLQ copy joins the
     * consumer's transaction; the listener container keeps its own connection and sessions.
     */
    private static JmsComponent jmsComponent(KefuSettings settings, String brokerUrl) {
        JmsComponent jms = new JmsComponent();
        jms.setConnectionFactory(JmsConnections.plain(brokerUrl, blankToNull(settings.get("kefu.broker.user")),
                blankToNull(settings.get("kefu.broker.password"))));
        return jms;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static void configure(Main main, KefuSettings settings, Holder holder) {
        settings.placeholders().forEach(main::addOverrideProperty);
        // routes/component.camel.yaml starts its JMS consumers only in component mode
        main.addOverrideProperty("kefu.component.enabled", String.valueOf(settings.tokenMode() == TokenMode.COMPONENT));
        main.addOverrideProperty("camel.main.shutdown-timeout",
                String.valueOf(Math.max(1, settings.duration("kefu.shutdown.timeout").toSeconds())));
        httpClientSettings(settings).forEach(main::addOverrideProperty);
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void beforeConfigure(BaseMainSupport m) {
                CamelContext camel = m.getCamelContext();
                WeChatApi api = new WeChatApi(camel, settings.bool("kefu.retry.unknown-outcome"));
                ExecutorService fetchers = camel.getExecutorServiceManager().newCachedThreadPool(this, "kefu-token-fetch");
                TokenSources sources = TokenSources.forMode(settings, api, (name, source) -> new TokenCache(name,
                        source, settings.duration("kefu.token.refresh-ahead"), fetchers, Ticker.systemTicker()));
                TokenCache tokens = sources.tokens();
                holder.tokens = tokens;
                sources.routes().forEach(m.configure()::addRoutesBuilder);
                DeliveredIds ids = new DeliveredIds(1_000_000, Ticker.systemTicker());
                QuotaPauses pauses = new QuotaPauses(Clock.systemUTC());
                SendSteps steps = new SendSteps(new MessageReader(
                        settings.tokenMode() == TokenMode.COMPONENT ? null : settings.defaultAppid()), api, tokens, pauses, ids);
                RetryPolicy retry = new RetryPolicy(settings.integer("kefu.retry.max"),
                        settings.duration("kefu.retry.delay"), settings.duration("kefu.retry.max-delay"));
                m.configure().addRoutesBuilder(new SendRoutes(steps, new Outcomes(ids, OutcomeListener.NONE), retry,
                        settings.baseUrls()));
                m.configure().addRoutesBuilder(new DeadLetterRoutes());
                ExecutorService fileSenders = camel.getExecutorServiceManager()
                        .newFixedThreadPool(this, "kefu-inbox-send", settings.integer("kefu.jms.concurrency"));
                m.configure().addRoutesBuilder(new InboxRoutes(
                        new InboxSteps(settings.path("kefu.inbox.dir"), settings.bytes("kefu.inbox.max-size")),
                        fileSenders));
            }
        });
    }

    /** One pool for all WeChat calls, sized so that no sender waits for a connection. */
    static Map<String, String> httpClientSettings(KefuSettings settings) {
        int perRoute = Math.max(50, settings.integer("kefu.jms.concurrency") * 2);
        String connect = String.valueOf(settings.duration("kefu.wechat.connect-timeout").toMillis());
        String read = String.valueOf(settings.duration("kefu.wechat.read-timeout").toMillis());
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (String scheme : List.of("http", "https")) {
            String p = "camel.component." + scheme + ".";
            out.put(p + "connections-per-route", String.valueOf(perRoute));
            out.put(p + "max-total-connections", String.valueOf(perRoute * 2));
            out.put(p + "connect-timeout", connect);
            out.put(p + "connection-request-timeout", read);
            out.put(p + "response-timeout", read);
            out.put(p + "so-timeout", read);
            out.put(p + "follow-redirects", "false");
            out.put(p + "cookie-management-disabled", "true");
            out.put(p + "skip-request-headers", "true");
            out.put(p + "skip-response-headers", "true");
        }
        return out;
    }

    public CamelContext camel() {
        return main.getCamelContext();
    }

    public ProducerTemplate template() {
        return camel().createProducerTemplate();
    }

    /** The embedded broker, or null when the relay uses kefu.broker.url. */
    public EmbeddedBroker broker() {
        return broker;
    }

    public TokenCache tokens() {
        return tokens;
    }

    /** Sends one message through {@code direct:kefu-send} and returns the outcome JSON. */
    public String send(String messageJson) {
        return template().requestBody(SendRoutes.SEND, messageJson, String.class);
    }

    public void awaitShutdown() throws InterruptedException {
        Runtime.getRuntime().addShutdownHook(new Thread(this::close, "kefu-relay-shutdown"));
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
