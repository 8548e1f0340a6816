package dev.kefurelay;

import java.util.ArrayList;
import java.util.List;

import dev.kefurelay.component.WeChatKefuComponent;
import dev.kefurelay.config.KefuSettings;
import dev.kefurelay.inbox.InboxGate;
import dev.kefurelay.ops.BrokerHealthCheck;
import dev.kefurelay.ops.BrokerProbe;
import dev.kefurelay.ops.InboxHealthCheck;
import dev.kefurelay.ops.InputWatch;
import dev.kefurelay.ops.RelayMetrics;
import dev.kefurelay.ops.StoreHealthCheck;
import dev.kefurelay.ops.TokenHealthCheck;
import dev.kefurelay.token.TokenCache;
import org.apache.camel.CamelContext;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.main.BaseMainSupport;

/**
 * Health and metrics, the one place the relay's health checks are registered: the broker's and the inbox's once
 * Camel is configured, the store's and the tokens' once the component runs (it builds its token caches as it
 * starts); and the watch that pauses the inputs while the store is away.
 */
final class OpsPart implements RelayPart {

    /** How often the inputs follow the store's state and the inbox folder's (both kept, so asking costs nothing). */
    private static final long INPUT_WATCH_MS = 250;

    private final KefuSettings settings;
    private final RelayMetrics metrics;
    private final BrokerProbe probe;
    private final InboxGate inboxGate;
    private final WeChatKefuComponent wechat;
    private InputWatch inputWatch;

    OpsPart(KefuSettings settings, RelayMetrics metrics, BrokerProbe probe, InboxGate inboxGate,
            WeChatKefuComponent wechat) {
        this.settings = settings;
        this.metrics = metrics;
        this.probe = probe;
        this.inboxGate = inboxGate;
        this.wechat = wechat;
    }

    @Override
    public void start(BaseMainSupport main) {
        // bound before Camel starts, so camel-micrometer-prometheus scrapes this registry and no other
        main.getCamelContext().getRegistry().bind(MicrometerConstants.METRICS_REGISTRY_NAME, metrics.registry());
        metrics.queues(probe, settings.jms().queue(), settings.jms().dlq());
        metrics.accounts(wechat::isConfigured);
    }

    @Override
    public void configured(CamelContext camel) {
        HealthCheckRegistry health = HealthCheckRegistry.get(camel);
        health.register(new BrokerHealthCheck(probe, settings.jms().queue()));
        health.register(new InboxHealthCheck(inboxGate));
    }

    @Override
    public void running(CamelContext camel) {
        HealthCheckRegistry health = HealthCheckRegistry.get(camel);
        health.register(new StoreHealthCheck(wechat::store));
        // no message taken while the store is away, and an inbox that cannot be read said so (readiness, the log)
        inputWatch = new InputWatch(camel, wechat::store, inboxGate, INPUT_WATCH_MS);
        // readiness asks a failing account again no more often than a failed send is retried at most
        List<TokenCache> tokens = new ArrayList<>(List.of(wechat.tokens()));
        wechat.wecomTokens().ifPresent(tokens::add);
        health.register(new TokenHealthCheck(tokens, settings.retry().maxDelay()));
        metrics.tokens(wechat.tokens(), settings.accountSecrets().keySet());
        wechat.wecomTokens().ifPresent(corps -> metrics.wecomTokens(corps, settings.wecom().corps().keySet()));
        metrics.windows(wechat.windows(), settings.accountSecrets().keySet());
    }

    @Override
    public void close() {
        if (inputWatch != null) {
            inputWatch.close();
        }
    }
}
