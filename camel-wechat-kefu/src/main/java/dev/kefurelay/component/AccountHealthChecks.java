package dev.kefurelay.component;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.health.WritableHealthCheckRepository;

/**
 * The producer health checks of the component's accounts, one per account, in Camel's {@code producers} repository:
 * opt-in as every producer check is ({@code camel.health.producers-enabled=true}; Camel lists the repository's checks
 * only then), and each disabled with the component option {@code healthCheckProducerEnabled=false}. Registered as the
 * component starts and as an endpoint brings an account, removed when it stops. Without camel-health's registry
 * (health checks off) there is nothing to register with and nothing is.
 */
final class AccountHealthChecks {

    private final WritableHealthCheckRepository repository;
    private final boolean enabled;
    private final AccountReadiness readiness;
    private final Map<String, AccountHealthCheck> checks = new ConcurrentHashMap<>();

    AccountHealthChecks(CamelContext context, boolean enabled, AccountReadiness readiness) {
        this.repository = HealthCheckHelper.getHealthCheckRepository(context, "producers",
                WritableHealthCheckRepository.class);
        this.enabled = enabled;
        this.readiness = readiness;
    }

    void add(String appid) {
        if (repository == null) {
            return;
        }
        checks.computeIfAbsent(appid, key -> {
            AccountHealthCheck check = new AccountHealthCheck(key, readiness);
            check.setEnabled(enabled);
            repository.addHealthCheck(check);
            return check;
        });
    }

    void removeAll() {
        if (repository != null) {
            checks.values().forEach(repository::removeHealthCheck);
        }
        checks.clear();
    }
}
