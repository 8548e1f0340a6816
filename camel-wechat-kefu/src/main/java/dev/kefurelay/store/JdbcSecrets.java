package dev.kefurelay.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Optional;

/**
 * The PostgreSQL store's secrets (authorizer refresh tokens, the verify ticket): a row per key in
 * {@code kefu_secret}. Compare-and-set is {@code UPDATE … WHERE value = expected}, or an insert that conflicts.
 */
final class JdbcSecrets {

    private final JdbcAccess access;

    JdbcSecrets(JdbcAccess access) {
        this.access = access;
    }

    Optional<String> get(String key) {
        return access.inTransaction("get", c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT value FROM kefu_secret WHERE key = ?")) {
                s.setString(1, key);
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? Optional.of(r.getString(1)) : Optional.empty();
                }
            }
        });
    }

    void put(String key, String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("store value of " + key + " must not be empty");
        }
        access.inTransaction("put", c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO kefu_secret (key, value) VALUES (?, ?) "
                    + "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()")) {
                s.setString(1, key);
                s.setString(2, value);
                return s.executeUpdate();
            }
        });
    }

    boolean compareAndSet(String key, String expected, String next) {
        return access.inTransaction("compare-and-set", c -> {
            String sql = expected == null
                    ? "INSERT INTO kefu_secret (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING"
                    : "UPDATE kefu_secret SET value = ?, updated_at = now() WHERE key = ? AND value = ?";
            try (PreparedStatement s = c.prepareStatement(sql)) {
                if (expected == null) {
                    s.setString(1, key);
                    s.setString(2, next);
                } else {
                    s.setString(1, next);
                    s.setString(2, key);
                    s.setString(3, expected);
                }
                return s.executeUpdate() == 1;
            }
        });
    }
}
