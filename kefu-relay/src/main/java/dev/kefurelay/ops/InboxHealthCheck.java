package dev.kefurelay.ops;

import java.util.Map;

import dev.kefurelay.inbox.InboxGate;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness: DOWN while the inbox is closed because outcomes cannot be written (a full disk). Asking also tries,
 * at most every few seconds, whether they can be written again, so the check comes back UP with no file waiting.
 */
public final class InboxHealthCheck extends AbstractHealthCheck {

    private final InboxGate gate;

    public InboxHealthCheck(InboxGate gate) {
        super("kefu", "inbox");
        this.gate = gate;
    }

    @Override
    public boolean isLiveness() {
        // a full disk is waited out, not cured by restarting the relay
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        if (gate.isOpen()) {
            builder.up();
        } else {
            builder.message("inbox closed: " + gate.problem()).down();
        }
    }
}
