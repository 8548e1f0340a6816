package dev.kefurelay;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.kefurelay.config.KefuSettings;
import dev.kefurelay.config.StorePool;
import org.apache.camel.main.BaseMainSupport;

/**
 * The shared store's connection pool when kefu.store.url names one (the local store is the component's own).
 * First, so that the sandbox is told what that store holds; closed last, after the component.
 */
final class StorePart implements RelayPart {

    private final KefuSettings settings;
    private final StartSteps steps;
    private HikariDataSource pool;

    StorePart(KefuSettings settings, StartSteps steps) {
        this.settings = settings;
        this.steps = steps;
    }

    @Override
    public void start(BaseMainSupport main) {
        // connects once at once: a database that cannot be reached stops the start naming the cause
        pool = StorePool.of(settings);
        if (pool != null) {
            steps.done("store");
        }
    }

    /** The pool, or null for the local store. */
    DataSource pool() {
        return pool;
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.close();
        }
    }
}
