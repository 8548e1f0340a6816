package dev.kefurelay.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.concurrent.Executor;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the PostgreSQL store gets its connections and tells its failures apart. Every statement runs under a network
 * timeout ({@link Connection#setNetworkTimeout}, the driver's socket timeout for this connection; the pool restores
 * its own when the connection comes back), so that a database that stops answering (frozen, a dead network path)
 * cannot hold a thread for longer than the statement may legitimately wait: a token lock, a copy of an id in flight.
 * The timeout is set here, not only in the pool's settings, because the component is handed any DataSource.
 */
final class JdbcAccess {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcAccess.class);
    /** PostgreSQL's lock_not_available, which lock_timeout raises. */
    static final String LOCK_NOT_AVAILABLE = "55P03";
    /** What a statement may take beyond the server-side waits it asked for (lock_timeout). */
    static final long MARGIN_MS = 5_000;
    /** pgjdbc ignores the executor; the JDBC contract wants one that is not null. */
    private static final Executor DIRECT = Runnable::run;

    private final DataSource dataSource;
    private final StoreProbe probe;
    private final String what;
    private final StoreListener listener;
    /** A statement's longest wait for an answer: a token lock's wait, and a margin. */
    private final long callTimeoutMs;

    JdbcAccess(DataSource dataSource, StoreProbe probe, String what, StoreListener listener, long callTimeoutMs) {
        this.dataSource = dataSource;
        this.probe = probe;
        this.what = what;
        this.listener = listener;
        this.callTimeoutMs = callTimeoutMs;
    }

    /** What one transaction does on its connection. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** One unit of work in its own transaction, timed for the listener. */
    <T> T inTransaction(String operation, Work<T> work) {
        long start = System.nanoTime();
        boolean ok = false;
        Connection c = null;
        try {
            c = connect(operation, callTimeoutMs);
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                ok = true;
                return result;
            } catch (SQLException | StoreException e) {
                rollbackQuietly(c);
                throw e;
            } catch (RuntimeException e) {
                // the work failed (WeChat refused a token), not the store: rolled back, counted as a good call
                rollbackQuietly(c);
                ok = true;
                throw e;
            }
        } catch (SQLException e) {
            throw failure(operation, e);
        } finally {
            if (c != null) {
                closeQuietly(c);
            }
            listener.call(operation, System.nanoTime() - start, ok);
        }
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

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException e) {
            LOG.debug("rollback failed", e);
        }
    }

    static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // a broken connection: the pool drops it
        }
    }
}
