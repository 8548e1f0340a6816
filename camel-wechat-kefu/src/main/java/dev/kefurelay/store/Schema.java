package dev.kefurelay.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL schema, versioned: each entry of {@link #MIGRATIONS} is one version, applied once, in order, in
 * one transaction with its row in {@code kefu_schema_version}. Relays starting together take an advisory lock
 * first, so exactly one of them migrates and the others find it done. Never edit a released migration: add one.
 */
final class Schema {

    private static final Logger LOG = LoggerFactory.getLogger(Schema.class);
    /** pg_advisory_xact_lock key: "kefu" in ASCII, so that it collides with no other application's by chance. */
    private static final long MIGRATION_LOCK = 0x6b656675L;

    static final List<List<String>> MIGRATIONS = List.of(
            // 1: every shared state of the relays
            List.of("""
                    CREATE TABLE kefu_secret (
                        key        text PRIMARY KEY,
                        value      text NOT NULL,
                        updated_at timestamptz NOT NULL DEFAULT now())""",
                    """
                    CREATE TABLE kefu_token (
                        account    text PRIMARY KEY,
                        value      text,
                        expires_at timestamptz,
                        updated_at timestamptz NOT NULL DEFAULT now())""",
                    """
                    CREATE TABLE kefu_delivered_id (
                        appid        text NOT NULL,
                        id           text NOT NULL,
                        delivered_at timestamptz NOT NULL,
                        PRIMARY KEY (appid, id))""",
                    "CREATE INDEX kefu_delivered_id_at ON kefu_delivered_id (delivered_at)",
                    """
                    CREATE TABLE kefu_quota_pause (
                        appid text PRIMARY KEY,
                        until timestamptz NOT NULL)"""),
            // 2: uploaded media ids, so that a relay reuses another one's upload
            List.of("""
                    CREATE TABLE kefu_media (
                        appid      text NOT NULL,
                        type       text NOT NULL,
                        sha256     text NOT NULL,
                        media_id   text NOT NULL,
                        expires_at timestamptz NOT NULL,
                        PRIMARY KEY (appid, type, sha256))""",
                    "CREATE INDEX kefu_media_expires_at ON kefu_media (expires_at)"),
            // 3: the window book (each user's customer-service window) and the channel msgids joined to message ids
            List.of("""
                    CREATE TABLE kefu_window (
                        appid     text NOT NULL,
                        openid    text NOT NULL,
                        opened_at timestamptz NOT NULL,
                        closes_at timestamptz NOT NULL,
                        places    int NOT NULL,
                        used      int NOT NULL,
                        PRIMARY KEY (appid, openid))""",
                    // the gauge of an account's open windows, and the purge
                    "CREATE INDEX kefu_window_open ON kefu_window (appid, closes_at)",
                    "CREATE INDEX kefu_window_closes_at ON kefu_window (closes_at)",
                    """
                    CREATE TABLE kefu_channel_msgid (
                        appid         text NOT NULL,
                        channel_msgid text NOT NULL,
                        id            text NOT NULL,
                        sent_at       timestamptz NOT NULL,
                        PRIMARY KEY (appid, channel_msgid))""",
                    "CREATE INDEX kefu_channel_msgid_at ON kefu_channel_msgid (sent_at)"));

    private Schema() {
    }

    /** Brings the database to the newest version; refuses one newer than this code knows. Returns the version. */
    static int migrate(Connection c) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.execute("SELECT pg_advisory_xact_lock(" + MIGRATION_LOCK + ")");
            s.execute("CREATE TABLE IF NOT EXISTS kefu_schema_version (version int PRIMARY KEY, "
                    + "applied_at timestamptz NOT NULL DEFAULT now())");
            int current;
            try (ResultSet r = s.executeQuery("SELECT coalesce(max(version), 0) FROM kefu_schema_version")) {
                r.next();
                current = r.getInt(1);
            }
            if (current > MIGRATIONS.size()) {
                throw new StoreException("the store's schema is version " + current + ", newer than this relay "
                        + "knows (" + MIGRATIONS.size() + "): run a relay at least as new as the one that migrated it",
                        null);
            }
            for (int v = current + 1; v <= MIGRATIONS.size(); v++) {
                for (String sql : MIGRATIONS.get(v - 1)) {
                    s.execute(sql);
                }
                s.execute("INSERT INTO kefu_schema_version (version) VALUES (" + v + ")");
                LOG.info("store schema migrated to version {}", v);
            }
            c.commit();
            return MIGRATIONS.size();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }
}
