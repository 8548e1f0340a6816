package dev.kefurelay.component;

import java.util.Map;

import dev.kefurelay.push.PushReceivers;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckResultBuilder;

/**
 * The push consumer's check, as Camel asks a route's consumer ({@code consumer:<routeId>} in the consumers' health
 * repository): UP while its paths are registered with the HTTP server and its keys are loaded, DOWN otherwise. Its
 * details say where it listens, for which accounts (appids, never a key), the replay window and the requests so far
 * by result (success, verified, bad_signature, replayed, …).
 */
final class PushConsumerHealthCheck implements HealthCheck {

    private final WeChatKefuPushConsumer consumer;
    private final String id;
    private boolean enabled = true;

    PushConsumerHealthCheck(WeChatKefuPushConsumer consumer, String routeId) {
        this.consumer = consumer;
        this.id = "consumer:" + routeId;
    }

    @Override
    public String getGroup() {
        return "camel";
    }

    @Override
    public String getId() {
        return id;
    }

    @Override
    public boolean isEnabled() {
        return enabled;
    }

    @Override
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /** Readiness only: a consumer that cannot listen is no reason to restart the application. */
    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    public Result call(Map<String, Object> options) {
        HealthCheckResultBuilder builder = HealthCheckResultBuilder.on(this);
        PushReceivers receivers = consumer.receivers();
        builder.detail("wechat-kefu.push.paths", String.join(",", consumer.paths()));
        if (receivers != null) {
            builder.detail("wechat-kefu.push.mode", receivers.component() ? "component" : "accounts");
            builder.detail("wechat-kefu.push.appids", String.join(",", receivers.appids()));
            builder.detail("wechat-kefu.push.replay-window", receivers.replay().window().toString());
        }
        consumer.counts().snapshot().forEach((result, n) -> builder.detail("wechat-kefu.push." + result, n));
        if (receivers == null || receivers.appids().isEmpty()) {
            return builder.message("no push keys are loaded").down().build();
        }
        if (!consumer.listening()) {
            return builder.message("not listening on " + String.join(" and ", consumer.paths())).down().build();
        }
        return builder.up().build();
    }
}
