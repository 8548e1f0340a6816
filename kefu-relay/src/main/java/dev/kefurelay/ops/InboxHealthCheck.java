package dev.kefurelay.ops;

import java.util.Map;

import dev.kefurelay.inbox.InboxGate;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness: DOWN while the inbox takes no file for a fault of its own: outcomes cannot be written (a full disk), or
 * the folder cannot be read (gone, replaced by a file, no permission). Asking also tries, at most every few seconds,
 * whether outcomes can be written again; whether the folder can be read is kept by the relay's input watch. So the
 * check comes back UP by itself, with no file waiting.
 */
public final class InboxHealthCheck extends AbstractHealthCheck {

    private final InboxGate gate;

    public InboxHealthCheck(InboxGate gate) {
        super("kefu", "inbox");
        this.gate = gate;
    }

    @Override
    public boolean isLiveness() {
        // a full disk or a missing mount is waited out, not cured by restarting the relay
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        String problem = gate.problem();
        if (problem == null) {
            builder.up();
        } else {
            builder.message("inbox closed: " + problem).down();
        }
    }
}
