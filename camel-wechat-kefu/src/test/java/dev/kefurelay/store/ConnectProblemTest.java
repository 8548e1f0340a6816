package dev.kefurelay.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import org.junit.jupiter.api.Test;

/**
 * Which failures mean "the database cannot be reached now" (a message waits for it) and which a refusal of the
 * statement (its message fails as before), and how a connection failure is named. The real server's answers are
 * checked end to end by the relay's StoreStartErrorTest; these are the rules on their own.
 */
class ConnectProblemTest {

    @Test
    void lostRefusedOrTimedOutConnectionsAndServersNotTakingThemAreUnreachable() {
        assertTrue(ConnectProblem.unreachable(new SQLException("An I/O error occurred", "08006")));
        assertTrue(ConnectProblem.unreachable(new SQLTransientConnectionException("pool: request timed out")));
        assertTrue(ConnectProblem.unreachable(new SQLException("terminating connection", "57P01")));
        assertTrue(ConnectProblem.unreachable(new SQLException("too many connections", "53300")));
        assertTrue(ConnectProblem.unreachable(new SQLException("read-only transaction", "25006")));
        assertTrue(ConnectProblem.unreachable(new SQLException("wrapped", "XX000", new SocketTimeoutException())));
    }

    @Test
    void aStatementTheServerRefusesIsNot() {
        assertFalse(ConnectProblem.unreachable(new SQLException("duplicate key", "23505")));
        assertFalse(ConnectProblem.unreachable(new SQLException("relation does not exist", "42P01")));
        assertFalse(ConnectProblem.unreachable(new SQLException("permission denied", "42501")));
        assertFalse(ConnectProblem.unreachable(new SQLException("lock timeout", "55P03")));
    }

    @Test
    void theDriversTextNamesTheCauseUnderThePoolsOwn() {
        SQLException driver = new SQLException("Connection to 127.0.0.1:1 refused.", "08001",
                new ConnectException("Connection refused"));
        ConnectProblem refused = ConnectProblem.of(new RuntimeException("Failed to initialize pool", driver));
        assertEquals(ConnectProblem.Kind.REFUSED, refused.kind());
        assertEquals("connection refused: nothing listens there (Connection to 127.0.0.1:1 refused.)", refused.text());
        assertEquals(ConnectProblem.Kind.AUTHENTICATION, ConnectProblem.of(new SQLException(
                "FATAL: password authentication failed for user \"kefu\"", "28P01")).kind());
        assertEquals(ConnectProblem.Kind.NO_DATABASE, ConnectProblem.of(new SQLException(
                "FATAL: database \"x\" does not exist", "3D000")).kind());
        assertEquals(ConnectProblem.Kind.TIMEOUT, ConnectProblem.of(new SQLException(
                "Connection attempt timed out.", "08001")).kind());
    }
}
