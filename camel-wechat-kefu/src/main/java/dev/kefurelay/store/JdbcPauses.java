package dev.kefurelay.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

/** The PostgreSQL store's quota pauses: a row per account in {@code kefu_quota_pause}; a later pause wins. */
final class JdbcPauses {

    private final JdbcAccess access;

    JdbcPauses(JdbcAccess access) {
        this.access = access;
    }

    void pause(String appid, Instant until) {
        access.inTransaction("pause", c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO kefu_quota_pause (appid, until) VALUES (?, ?) "
                    + "ON CONFLICT (appid) DO UPDATE SET until = EXCLUDED.until "
                    + "WHERE kefu_quota_pause.until < EXCLUDED.until")) {
                s.setString(1, appid);
                s.setObject(2, OffsetDateTime.ofInstant(until, ZoneOffset.UTC));
                return s.executeUpdate();
            }
        });
    }

    Optional<Instant> pausedUntil(String appid) {
        return access.inTransaction("paused-until", c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT until FROM kefu_quota_pause WHERE appid = ?")) {
                s.setString(1, appid);
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? Optional.of(r.getObject(1, OffsetDateTime.class).toInstant()) : Optional.empty();
                }
            }
        });
    }
}
