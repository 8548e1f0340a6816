package dev.kefurelay.config;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/**
 * The connection pool of the shared store ({@code kefu.store.url=jdbc:postgresql://…}). Its size bounds how many
 * messages with an id can be in flight at once (each holds its id's claim open on a connection until its outcome
 * is known), plus the token renewals: {@code kefu.store.pool-size} must exceed {@code kefu.jms.concurrency} plus
 * the inbox's senders.
 */
public final class StorePool {

    private StorePool() {
    }

    /** A pool, or null for the local store (kefu.store.url empty). Connects lazily: the component opens it. */
    public static HikariDataSource of(KefuSettings settings) {
        SettingGroups.Store store = settings.store();
        if (!store.shared()) {
            return null;
        }
        HikariConfig config = new HikariConfig();
        config.setPoolName("kefu-store");
        config.setJdbcUrl(store.url().value());
        if (!store.user().isEmpty()) {
            config.setUsername(store.user());
        }
        if (store.password().isSet()) {
            config.setPassword(store.password().value());
        }
        config.setMaximumPoolSize(store.poolSize());
        config.setMinimumIdle(2);
        // a claim or a renewal waits for a connection at most as long as for a token lock
        config.setConnectionTimeout(Math.max(250, store.lockTimeout().toMillis()));
        // a database that is down at start fails the start at the component, naming the store, not here
        config.setInitializationFailTimeout(-1);
        return new HikariDataSource(config);
    }
}
