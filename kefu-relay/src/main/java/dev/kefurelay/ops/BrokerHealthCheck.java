package dev.kefurelay.ops;

import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/** Readiness: DOWN while the broker does not answer (the JMS input cannot take or settle messages). */
public final class BrokerHealthCheck extends AbstractHealthCheck {

    private final BrokerProbe probe;
    private final String queue;

    public BrokerHealthCheck(BrokerProbe probe, String queue) {
        super("kefu", "broker");
        this.probe = probe;
        this.queue = queue;
    }

    @Override
    public boolean isLiveness() {
        // a broker outage is waited out, not cured by restarting the relay
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        try {
            long depth = probe.messageCount(queue);
            builder.detail("queue", queue).detail("depth", depth).up();
        } catch (Exception e) {
            builder.message("broker unreachable: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage())).down();
        }
    }
}
