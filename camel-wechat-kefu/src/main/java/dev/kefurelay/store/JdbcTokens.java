package dev.kefurelay.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.function.Function;

/**
 * The PostgreSQL store's access tokens and their locks: a row per account in {@code kefu_token}. A renewal locks the
 * row ({@code SELECT … FOR UPDATE} under {@code SET LOCAL lock_timeout}), reads it, renews and commits; a relay that
 * dies holding the lock loses its connection and with it the lock.
 */
final class JdbcTokens {


    private final JdbcAccess access;
    private final StoreSettings settings;

    JdbcTokens(JdbcAccess access, StoreSettings settings) {
        this.access = access;
        this.settings = settings;
    }

    Optional<SharedToken> token(String account) {
        return access.inTransaction("token", c -> readToken(c, account, false));
    }

    SharedToken renewToken(String account, Function<Optional<SharedToken>, SharedToken> renew) {
        return access.inTransaction("renew-token", c -> {
            lockTimeout(c);
            long start = System.nanoTime();
            Optional<SharedToken> current;
            try {
                // the row first, so that there is one to lock; inserting it waits on another relay's insert
                try (PreparedStatement s = c.prepareStatement(
                        "INSERT INTO kefu_token (account) VALUES (?) ON CONFLICT (account) DO NOTHING")) {
                    s.setString(1, account);
                    s.executeUpdate();
                }
                current = readToken(c, account, true);
            } catch (SQLException e) {
                if (JdbcAccess.LOCK_NOT_AVAILABLE.equals(e.getSQLState())) {
                    settings.listener().lockWait(System.nanoTime() - start, false);
                    throw new StoreLockTimeoutException("the token lock of " + account + " was held longer than "
                            + settings.lockTimeout().toMillis() + " ms", e);
                }
                throw e;
            }
            settings.listener().lockWait(System.nanoTime() - start, true);
            SharedToken next = renew.apply(current);
            if (current.filter(next::equals).isEmpty()) {
                try (PreparedStatement s = c.prepareStatement(
                        "UPDATE kefu_token SET value = ?, expires_at = ?, updated_at = now() WHERE account = ?")) {
                    s.setString(1, next.value());
                    s.setObject(2, OffsetDateTime.ofInstant(next.expiresAt(), ZoneOffset.UTC));
                    s.setString(3, account);
                    s.executeUpdate();
                }
            }
            return next;
        });
    }

    void dropToken(String account, String value) {
        access.inTransaction("drop-token", c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE kefu_token SET value = NULL, expires_at = NULL, "
                    + "updated_at = now() WHERE account = ? AND value = ?")) {
                s.setString(1, account);
                s.setString(2, value);
                return s.executeUpdate();
            }
        });
    }

    private void lockTimeout(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("SET LOCAL lock_timeout = " + Math.max(1, settings.lockTimeout().toMillis()));
        }
    }

    private static Optional<SharedToken> readToken(Connection c, String account, boolean forUpdate) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT value, expires_at FROM kefu_token WHERE account = ?"
                + (forUpdate ? " FOR UPDATE" : ""))) {
            s.setString(1, account);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next() || r.getString(1) == null) {
                    return Optional.empty();
                }
                return Optional.of(new SharedToken(r.getString(1), r.getObject(2, OffsetDateTime.class).toInstant()));
            }
        }
    }
}
