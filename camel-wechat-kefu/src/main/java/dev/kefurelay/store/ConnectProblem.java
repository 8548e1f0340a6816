package dev.kefurelay.store;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;

/**
 * Why a connection to the store's database could not be made, told apart so that a start error can name the cause
 * and the setting to change. Read from the exception chain only (SQLStates of PostgreSQL, java.net exceptions), so
 * it works with any pool and driver that keeps the causes. The detail is the server's or the driver's text, which
 * never holds the password.
 */
public record ConnectProblem(Kind kind, String detail) {

    public enum Kind {
        /** The server refused the user or the password (or wanted a password and got none). */
        AUTHENTICATION,
        /** The server runs, but has no database of that name. */
        NO_DATABASE,
        /** Nothing listens at the host and port (connection refused). */
        REFUSED,
        /** No answer in time: a wrong host or port behind a firewall, or a server that is stuck. */
        TIMEOUT,
        /** The host name is not known. */
        UNKNOWN_HOST,
        /** Anything else, with the driver's text. */
        OTHER
    }

    /** PostgreSQL: invalid_password, invalid_authorization_specification (no pg_hba.conf entry, no such role). */
    private static final String INVALID_PASSWORD = "28P01";
    private static final String INVALID_AUTHORIZATION = "28000";
    /** PostgreSQL: invalid_catalog_name, "database … does not exist". */
    private static final String NO_SUCH_DATABASE = "3D000";
    /** pgjdbc's CONNECTION_REJECTED: the server asked for a password and none was given. */
    private static final String CONNECTION_REJECTED = "08004";

    public static ConnectProblem of(Throwable failure) {
        SQLException sql = null;
        Kind network = null;
        Throwable networkCause = null;
        for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
            if (network == null && t instanceof ConnectException) {
                network = Kind.REFUSED;
            } else if (network == null && t instanceof UnknownHostException) {
                network = Kind.UNKNOWN_HOST;
            } else if (network == null && (t instanceof SocketTimeoutException || t instanceof SQLTimeoutException)) {
                network = Kind.TIMEOUT;
            }
            if (network != null && networkCause == null) {
                networkCause = t;
            }
            if (t instanceof SQLException s && s.getSQLState() != null) {
                // the innermost one with a state is the driver's, under the pool's own
                sql = s;
            }
        }
        // the driver's text says more than the socket's ("Connection to host:port refused" against "refused")
        String detail = text(sql != null ? sql : networkCause != null ? networkCause : failure);
        if (network != null) {
            return new ConnectProblem(network, detail);
        }
        if (sql == null) {
            return new ConnectProblem(Kind.OTHER, detail);
        }
        String state = sql.getSQLState();
        if (INVALID_PASSWORD.equals(state) || INVALID_AUTHORIZATION.equals(state)
                || CONNECTION_REJECTED.equals(state) && detail.contains("password")) {
            return new ConnectProblem(Kind.AUTHENTICATION, detail);
        }
        if (NO_SUCH_DATABASE.equals(state)) {
            return new ConnectProblem(Kind.NO_DATABASE, detail);
        }
        // pgjdbc's loginTimeout: "Connection attempt timed out."
        if (detail.contains("timed out")) {
            return new ConnectProblem(Kind.TIMEOUT, detail);
        }
        return new ConnectProblem(Kind.OTHER, detail);
    }

    /**
     * Whether a failed call means the database cannot be reached now (so the call may pass once it is back), rather
     * than that the statement itself was refused: a lost, refused or timed-out connection (SQLState class 08, the
     * JDBC connection and timeout exceptions, socket errors), a server shutting down or not taking connections
     * (57P01-57P03), out of resources (class 53: too many connections, disk full), or a standby after a failover
     * that cannot write (25006).
     */
    public static boolean unreachable(Throwable failure) {
        for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof java.sql.SQLTransientConnectionException || t instanceof java.sql.SQLNonTransientConnectionException
                    || t instanceof java.sql.SQLRecoverableException || t instanceof SQLTimeoutException
                    || t instanceof java.net.SocketException || t instanceof SocketTimeoutException
                    || t instanceof UnknownHostException) {
                return true;
            }
            if (t instanceof SQLException s && s.getSQLState() != null) {
                String state = s.getSQLState();
                if (state.startsWith("08") || state.startsWith("53") || state.startsWith("57P")
                        || state.equals("25006")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** e.g. {@code wrong user or password (FATAL: password authentication failed for user "kefu")}. */
    public String text() {
        String what = switch (kind) {
            case AUTHENTICATION -> "wrong user or password";
            case NO_DATABASE -> "no such database";
            case REFUSED -> "connection refused: nothing listens there";
            case TIMEOUT -> "no answer in time";
            case UNKNOWN_HOST -> "unknown host";
            case OTHER -> "cannot connect";
        };
        return what + " (" + detail + ")";
    }

    /** One line: a server's text may span several (its hint). */
    private static String text(Throwable t) {
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return message.replaceAll("\\s*\\R\\s*", " ").strip();
    }
}
