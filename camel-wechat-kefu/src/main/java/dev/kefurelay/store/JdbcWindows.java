package dev.kefurelay.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import dev.kefurelay.window.Interaction;
import dev.kefurelay.window.WindowPlace;

/**
 * The PostgreSQL store's window book: a row per (appid, openid) in {@code kefu_window}, shared by every relay. Each
 * change is one statement whose conditions are {@link WindowEntry}'s rules, so that no relay reads a row and writes
 * it back on what it read: a place is taken by one {@code UPDATE ... WHERE used < places}, which PostgreSQL applies to
 * the row as the last writer left it (seven relays at once for five places: five get one); an interaction and a
 * refusal are {@code INSERT ... ON CONFLICT DO UPDATE ... WHERE} on the row's {@code opened_at}, so whichever commits
 * first, the newer window is the one kept.
 */
final class JdbcWindows {

    private final JdbcAccess access;

    JdbcWindows(JdbcAccess access) {
        this.access = access;
    }

    void record(String appid, String openid, Interaction interaction, Instant at) {
        // the stored window opened after this interaction, or at its instant with its shape: kept (see
        // WindowEntry.afterInteraction)
        upsert("record-interaction", appid, openid, WindowEntry.opened(interaction, at),
                "kefu_window.opened_at < EXCLUDED.opened_at OR (kefu_window.opened_at = EXCLUDED.opened_at AND "
                        + "kefu_window.places > 0 AND (kefu_window.places <> EXCLUDED.places "
                        + "OR kefu_window.closes_at <> EXCLUDED.closes_at))");
    }

    void close(String appid, String openid, Instant sentAt) {
        // a window opened after the refused send: kept (see WindowEntry.afterClose)
        upsert("close-window", appid, openid, WindowEntry.closed(sentAt),
                "kefu_window.opened_at <= EXCLUDED.opened_at");
    }

    private void upsert(String operation, String appid, String openid, WindowEntry e, String replaceWhen) {
        WindowEntry.check(appid, openid);
        access.inTransaction(operation, c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO kefu_window (appid, openid, opened_at, "
                    + "closes_at, places, used) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (appid, openid) DO UPDATE SET "
                    + "opened_at = EXCLUDED.opened_at, closes_at = EXCLUDED.closes_at, places = EXCLUDED.places, "
                    + "used = EXCLUDED.used WHERE " + replaceWhen)) {
                s.setString(1, appid);
                s.setString(2, openid);
                s.setObject(3, at(e.openedAt()));
                s.setObject(4, at(e.closesAt()));
                s.setInt(5, e.places());
                s.setInt(6, e.used());
                return s.executeUpdate();
            }
        });
    }

    /** One statement: the place taken if there is one (see WindowEntry.hasPlace), else whether the row exists. */
    WindowPlace take(String appid, String openid, Instant now) {
        WindowEntry.check(appid, openid);
        return access.inTransaction("take-window-place", c -> {
            try (PreparedStatement s = c.prepareStatement("WITH taken AS (UPDATE kefu_window SET used = used + 1 "
                    + "WHERE appid = ? AND openid = ? AND used < places AND closes_at > ? RETURNING opened_at) "
                    + "SELECT (SELECT opened_at FROM taken), "
                    + "EXISTS (SELECT 1 FROM kefu_window WHERE appid = ? AND openid = ?)")) {
                s.setString(1, appid);
                s.setString(2, openid);
                s.setObject(3, at(now));
                s.setString(4, appid);
                s.setString(5, openid);
                try (ResultSet r = s.executeQuery()) {
                    r.next();
                    OffsetDateTime openedAt = r.getObject(1, OffsetDateTime.class);
                    if (openedAt != null) {
                        return WindowPlace.taken(openedAt.toInstant());
                    }
                    return r.getBoolean(2) ? WindowPlace.CLOSED : WindowPlace.UNKNOWN;
                }
            }
        });
    }

    /** See WindowEntry.afterReturn. */
    void giveBack(String appid, String openid, Instant openedAt) {
        WindowEntry.check(appid, openid);
        access.inTransaction("return-window-place", c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE kefu_window SET used = used - 1 "
                    + "WHERE appid = ? AND openid = ? AND opened_at = ? AND used > 0")) {
                s.setString(1, appid);
                s.setString(2, openid);
                s.setObject(3, at(openedAt));
                return s.executeUpdate();
            }
        });
    }

    /** On the index (appid, closes_at): the account's open windows alone are read. */
    int open(String appid, Instant now) {
        return access.inTransaction("open-windows", c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT count(*) FROM kefu_window "
                    + "WHERE appid = ? AND closes_at > ?")) {
                s.setString(1, appid);
                s.setObject(2, at(now));
                try (ResultSet r = s.executeQuery()) {
                    r.next();
                    return r.getInt(1);
                }
            }
        });
    }

    int purge(Instant before) {
        return access.inTransaction("purge-windows", c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM kefu_window WHERE closes_at < ?")) {
                s.setObject(1, at(before));
                return s.executeUpdate();
            }
        });
    }

    /** To the microsecond, as the column keeps it (and as the local store does). */
    private static OffsetDateTime at(Instant t) {
        return OffsetDateTime.ofInstant(WindowEntry.micros(t), ZoneOffset.UTC);
    }
}
