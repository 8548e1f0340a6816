package dev.kefurelay.ops;

import java.util.Map;
import java.util.function.Supplier;

import dev.kefurelay.store.KefuStore;
import dev.kefurelay.store.StoreState;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness: DOWN while the store cannot be used (PostgreSQL unreachable, the local folder not writable): no
 * message with an id could be checked, no token renewed, so a load balancer or an operator should know. It reads the
 * store's state as last found ({@link KefuStore#state}: PostgreSQL's is kept by a background probe with short
 * timeouts), so it answers at once even while the database does not. Not a liveness check: restarting the relay
 * does not bring a database back.
 */
public final class StoreHealthCheck extends AbstractHealthCheck {

    private final Supplier<KefuStore> store;

    public StoreHealthCheck(Supplier<KefuStore> store) {
        super("kefu", "store");
        this.store = store;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        KefuStore s = store.get();
        builder.detail("store", s.describe());
        StoreState state = s.state();
        if (state.up()) {
            builder.up();
        } else {
            builder.message(s.describe() + " cannot be used: " + state.problem()).down();
        }
    }
}
