package dev.kefurelay.config;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import dev.kefurelay.store.ConnectProblem;

/**
 * The connection pool of the shared store ({@code kefu.store.url=jdbc:postgresql://…}). Its size bounds how many
 * messages with an id can be in flight at once (each holds its id's claim open on a connection until its outcome
 * is known), plus the token renewals: {@code kefu.store.pool-size} must exceed {@code kefu.jms.concurrency} plus
 * the inbox's senders.
 *
 * <p>Nothing waits on a database that does not answer for longer than {@code kefu.store.lock-timeout} (at least a
 * second) plus a margin: connecting (the driver's {@code connectTimeout} and {@code loginTimeout}), reading an answer
 * ({@code socketTimeout}; the store sets a longer one for a statement that may wait for a lock), taking a connection
 * from the pool ({@code connectionTimeout}) and checking an idle one ({@code validationTimeout}). Driver settings in
 * kefu.store.url win over these.
 */
public final class StorePool {

    /** What a read may wait beyond the lock timeout before the connection counts as lost. */
    private static final int SOCKET_MARGIN_S = 10;

    private StorePool() {
    }

    /**
     * A pool, or null for the local store (kefu.store.url empty). Connects once at once, so that a database that
     * cannot be reached stops the start with its cause and the setting to change.
     */
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
        long connectionTimeout = Math.max(250, store.lockTimeout().toMillis());
        config.setConnectionTimeout(connectionTimeout);
        // a connection idle for a while is checked before use: a frozen server must not hold the taker long
        config.setValidationTimeout(Math.min(1_000, connectionTimeout));
        int connectSeconds = (int) Math.max(1, (connectionTimeout + 999) / 1000);
        config.addDataSourceProperty("connectTimeout", String.valueOf(connectSeconds));
        config.addDataSourceProperty("loginTimeout", String.valueOf(connectSeconds));
        config.addDataSourceProperty("socketTimeout", String.valueOf(connectSeconds + SOCKET_MARGIN_S));
        // one attempt at once (not a wait of connectionTimeout for a pool that keeps trying), so the start fails
        // naming what refused it
        config.setInitializationFailTimeout(1);
        try {
            return new HikariDataSource(config);
        } catch (HikariPool.PoolInitializationException e) {
            throw new ConfigException(startError(settings, ConnectProblem.of(e)));
        }
    }

    /** One line: the URL without a password, the cause, the keys to change; never the password. */
    static String startError(KefuSettings settings, ConnectProblem problem) {
        String url = settings.store().url().value().replaceAll("(?i)password=[^&]*", "password=***");
        String user = settings.store().user();
        String fix = switch (problem.kind()) {
            case AUTHENTICATION -> "check kefu.store.user" + (user.isEmpty() ? "" : " ('" + user + "')")
                    + " and kefu.store.password";
            case NO_DATABASE -> "create the database, or name another one in kefu.store.url";
            case REFUSED -> "check the host and port in kefu.store.url, and that PostgreSQL is running there";
            case TIMEOUT -> "check the host and port in kefu.store.url (a firewall that drops packets?), and that "
                    + "PostgreSQL is not stuck";
            case UNKNOWN_HOST -> "check the host in kefu.store.url";
            case OTHER -> "check kefu.store.url, kefu.store.user and kefu.store.password";
        };
        return "kefu.store.url=" + url + ": cannot connect to the store database: " + problem.text() + "; " + fix;
    }
}
