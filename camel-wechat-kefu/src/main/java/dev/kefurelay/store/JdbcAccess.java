package dev.kefurelay.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.concurrent.Executor;

import javax.sql.DataSource;

/**
 * How the PostgreSQL store gets its connections and tells its failures apart. Every statement runs under a network
 * timeout ({@link Connection#setNetworkTimeout}, the driver's socket timeout for this connection; the pool restores
 * its own when the connection comes back), so that a database that stops answering (frozen, a dead network path)
 * cannot hold a thread for longer than the statement may legitimately wait: a token lock, a copy of an id in flight.
 * The timeout is set here, not only in the pool's settings, because the component is handed any DataSource.
 */
final class JdbcAccess {

    /** What a statement may take beyond the server-side waits it asked for (lock_timeout). */
    static final long MARGIN_MS = 5_000;
    /** pgjdbc ignores the executor; the JDBC contract wants one that is not null. */
    private static final Executor DIRECT = Runnable::run;

    private final DataSource dataSource;
    private final StoreProbe probe;
    private final String what;

    JdbcAccess(DataSource dataSource, StoreProbe probe, String what) {
        this.dataSource = dataSource;
        this.probe = probe;
        this.what = what;
    }

    DataSource dataSource() {
        return dataSource;
    }

    /**
     * A connection whose statements give up after {@code timeoutMs} without an answer. Any failure to get one means
     * the store cannot be used now: {@link StoreUnavailableException}, and the probe told.
     */
    Connection connect(String operation, long timeoutMs) {
        Connection c;
        try {
            c = dataSource.getConnection();
        } catch (SQLException e) {
            throw unavailable(operation, e);
        }
        try {
            timeout(c, timeoutMs);
            return c;
        } catch (SQLException e) {
            closeQuietly(c);
            throw failure(operation, e);
        }
    }

    static void timeout(Connection c, long timeoutMs) throws SQLException {
        try {
            c.setNetworkTimeout(DIRECT, (int) Math.min(Integer.MAX_VALUE, timeoutMs));
        } catch (SQLFeatureNotSupportedException e) {
            // a driver without it: the pool's own timeouts are all there is
        }
    }

    /** The exception for a failed statement: unavailable (and the probe told) when the database could not be reached. */
    StoreException failure(String operation, SQLException e) {
        if (ConnectProblem.unreachable(e)) {
            return unavailable(operation, e);
        }
        return new StoreException("store " + operation + " failed: " + e.getMessage(), e);
    }

    private StoreUnavailableException unavailable(String operation, SQLException e) {
        String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        probe.failed(operation + ": " + why);
        return new StoreUnavailableException(what + " is unreachable (" + operation + "): " + why, e);
    }

    static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // a broken connection: the pool drops it
        }
    }
}
