package dev.kefurelay.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared store in PostgreSQL, for several relays of one service (schema: {@link Schema}, created and migrated
 * on start). Only JDK types: the application brings the driver and the connection pool as a {@link DataSource}.
 *
 * <ul>
 *   <li>Tokens: a row per account. {@link #renewToken} locks it ({@code SELECT … FOR UPDATE} under
 *       {@code SET LOCAL lock_timeout}), reads it, renews and commits; a relay that dies holding the lock loses its
 *       connection and with it the lock.</li>
 *   <li>Ids: a claim is an {@code INSERT … ON CONFLICT} on the primary key (appid, id) in a transaction held open
 *       while the message is sent. A second copy's insert waits on that uncommitted row: the first copy's commit
 *       (delivered) makes it a conflict, a duplicate; its rollback (failed, or its relay died) lets the second
 *       insert. No check-then-insert, so no race between relays.</li>
 *   <li>Compare-and-set: {@code UPDATE … WHERE value = expected}, or an insert that conflicts.</li>
 *   <li>Media ids: a row per (appid, upload type, content SHA-256) with its expiry, so that every relay reuses one
 *       upload of a picture; read by {@code SharedMediaIds} behind each relay's in-memory cache.</li>
 * </ul>
 * A database that stops answering holds no thread for long: every statement has a network timeout
 * ({@link JdbcAccess}), and whether the database can be reached is kept by a background probe ({@link #state()}),
 * so that readiness never waits on it. A call that cannot reach it fails with {@link StoreUnavailableException}.
 */
public final class JdbcStore implements KefuStore {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcStore.class);
    /** PostgreSQL's lock_not_available, which lock_timeout raises. */
    private static final String LOCK_NOT_AVAILABLE = "55P03";

    /** How often the database is probed for readiness, and how long a probe may take before it counts as failed. */
    static final Duration PROBE_EVERY = Duration.ofSeconds(1);
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);
    /** Creating or migrating the schema may wait for another relay doing it. */
    private static final long OPEN_TIMEOUT_MS = 60_000;

    private final StoreSettings settings;
    private final String url;
    /** Keeps {@link #state()}; what waits for the database waits on it. */
    private final StoreProbe probe;
    private final JdbcAccess access;
    private final JdbcClaims claims;
    /** A statement's longest wait for an answer: a token lock's wait, and a margin. */
    private final long callTimeoutMs;

    private JdbcStore(DataSource dataSource, StoreSettings settings, String url) {
        this.settings = settings;
        this.url = url;
        this.callTimeoutMs = settings.lockTimeout().toMillis() + JdbcAccess.MARGIN_MS;
        this.probe = new StoreProbe(describe(), this::probe, PROBE_EVERY, PROBE_TIMEOUT);
        this.access = new JdbcAccess(dataSource, probe, describe());
        this.claims = new JdbcClaims(access, settings, probe, callTimeoutMs);
    }

    /**
     * Connects, creates or migrates the schema, purges ids older than the window. A database that cannot be reached
     * fails with a {@link StoreUnavailableException} whose message says why ({@link ConnectProblem}).
     */
    public static JdbcStore open(DataSource dataSource, StoreSettings settings) {
        String url;
        int version;
        Connection c;
        try {
            c = dataSource.getConnection();
        } catch (SQLException e) {
            throw new StoreUnavailableException("cannot open the store database: " + ConnectProblem.of(e).text(), e);
        }
        try (c) {
            JdbcAccess.timeout(c, OPEN_TIMEOUT_MS);
            url = withoutCredentials(c.getMetaData().getURL());
            version = Schema.migrate(c);
        } catch (SQLException e) {
            throw new StoreException("cannot open the store database: " + e.getMessage(), e);
        }
        JdbcStore store = new JdbcStore(dataSource, settings, url);
        int purged;
        try {
            purged = store.purgeIds(settings.clock().instant().minus(ID_WINDOW));
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        LOG.info("store {} (schema version {}); {} ids older than 48 h purged", url, version, purged);
        return store;
    }

    @FunctionalInterface
    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** One unit of work in its own transaction, timed for the listener. */
    private <T> T inTransaction(String operation, Work<T> work) {
        long start = System.nanoTime();
        boolean ok = false;
        Connection c = null;
        try {
            c = access.connect(operation, callTimeoutMs);
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
            throw access.failure(operation, e);
        } finally {
            if (c != null) {
                JdbcAccess.closeQuietly(c);
            }
            settings.listener().call(operation, System.nanoTime() - start, ok);
        }
    }

    @Override
    public Optional<String> get(String key) {
        return inTransaction("get", c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT value FROM kefu_secret WHERE key = ?")) {
                s.setString(1, key);
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? Optional.of(r.getString(1)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public void put(String key, String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("store value of " + key + " must not be empty");
        }
        inTransaction("put", c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO kefu_secret (key, value) VALUES (?, ?) "
                    + "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()")) {
                s.setString(1, key);
                s.setString(2, value);
                return s.executeUpdate();
            }
        });
    }

    @Override
    public boolean compareAndSet(String key, String expected, String next) {
        return inTransaction("compare-and-set", c -> {
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

    @Override
    public Optional<SharedToken> token(String account) {
        return inTransaction("token", c -> readToken(c, account, false));
    }

    @Override
    public SharedToken renewToken(String account, Function<Optional<SharedToken>, SharedToken> renew) {
        return inTransaction("renew-token", c -> {
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
                if (LOCK_NOT_AVAILABLE.equals(e.getSQLState())) {
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

    @Override
    public void dropToken(String account, String value) {
        inTransaction("drop-token", c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE kefu_token SET value = NULL, expires_at = NULL, "
                    + "updated_at = now() WHERE account = ? AND value = ?")) {
                s.setString(1, account);
                s.setString(2, value);
                return s.executeUpdate();
            }
        });
    }

    @Override
    public CompletableFuture<IdClaim> claimId(String appid, String id) {
        return claims.claim(appid, id);
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException e) {
            LOG.debug("rollback failed", e);
        }
    }

    @Override
    public int purgeIds(Instant before) {
        return inTransaction("purge-ids", c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM kefu_delivered_id WHERE delivered_at < ?")) {
                s.setObject(1, OffsetDateTime.ofInstant(before, ZoneOffset.UTC));
                return s.executeUpdate();
            }
        });
    }

    @Override
    public Optional<SharedMedia> mediaId(String appid, String type, String sha256) {
        return inTransaction("media-id", c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT media_id, expires_at FROM kefu_media "
                    + "WHERE appid = ? AND type = ? AND sha256 = ? AND expires_at > ?")) {
                s.setString(1, appid);
                s.setString(2, type);
                s.setString(3, sha256);
                s.setObject(4, OffsetDateTime.ofInstant(settings.clock().instant(), ZoneOffset.UTC));
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? Optional.of(new SharedMedia(r.getString(1),
                            r.getObject(2, OffsetDateTime.class).toInstant())) : Optional.empty();
                }
            }
        });
    }

    @Override
    public void putMediaId(String appid, String type, String sha256, SharedMedia media) {
        inTransaction("put-media-id", c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO kefu_media (appid, type, sha256, media_id, "
                    + "expires_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (appid, type, sha256) DO UPDATE SET "
                    + "media_id = EXCLUDED.media_id, expires_at = EXCLUDED.expires_at")) {
                s.setString(1, appid);
                s.setString(2, type);
                s.setString(3, sha256);
                s.setString(4, media.mediaId());
                s.setObject(5, OffsetDateTime.ofInstant(media.expiresAt(), ZoneOffset.UTC));
                return s.executeUpdate();
            }
        });
    }

    @Override
    public void dropMediaId(String appid, String type, String sha256, String mediaId) {
        inTransaction("drop-media-id", c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM kefu_media "
                    + "WHERE appid = ? AND type = ? AND sha256 = ? AND media_id = ?")) {
                s.setString(1, appid);
                s.setString(2, type);
                s.setString(3, sha256);
                s.setString(4, mediaId);
                return s.executeUpdate();
            }
        });
    }

    @Override
    public int purgeMedia(Instant before) {
        return inTransaction("purge-media", c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM kefu_media WHERE expires_at <= ?")) {
                s.setObject(1, OffsetDateTime.ofInstant(before, ZoneOffset.UTC));
                return s.executeUpdate();
            }
        });
    }

    @Override
    public void pause(String appid, Instant until) {
        inTransaction("pause", c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO kefu_quota_pause (appid, until) VALUES (?, ?) "
                    + "ON CONFLICT (appid) DO UPDATE SET until = EXCLUDED.until "
                    + "WHERE kefu_quota_pause.until < EXCLUDED.until")) {
                s.setString(1, appid);
                s.setObject(2, OffsetDateTime.ofInstant(until, ZoneOffset.UTC));
                return s.executeUpdate();
            }
        });
    }

    @Override
    public Optional<Instant> pausedUntil(String appid) {
        return inTransaction("paused-until", c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT until FROM kefu_quota_pause WHERE appid = ?")) {
                s.setString(1, appid);
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? Optional.of(r.getObject(1, OffsetDateTime.class).toInstant()) : Optional.empty();
                }
            }
        });
    }

    /**
     * One round trip on a connection of its own time limit ({@link #PROBE_TIMEOUT}); not counted as a call of the
     * listener (it is no message's). Readiness does not call this: it reads {@link #state()}.
     */
    @Override
    public void check() {
        try {
            probe();
        } catch (SQLException e) {
            throw new StoreUnavailableException(describe() + " cannot be used: " + e.getMessage(), e);
        }
    }

    private void probe() throws SQLException {
        try (Connection c = access.dataSource().getConnection(); Statement s = c.createStatement()) {
            JdbcAccess.timeout(c, PROBE_TIMEOUT.toMillis());
            s.execute("SELECT 1");
        }
    }

    /** As the background probe last found it (at most {@link #PROBE_EVERY} plus {@link #PROBE_TIMEOUT} old). */
    @Override
    public StoreState state() {
        return probe.state();
    }

    @Override
    public void stopWaiting() {
        probe.stopWaiting();
    }

    @Override
    public String describe() {
        return "PostgreSQL store " + url;
    }

    /** Stops the probe and ends what waits for the database; the pool is the application's: it closes it. */
    @Override
    public void close() {
        probe.close();
    }

    /** A JDBC URL as the driver reports it, without a password= or user= parameter. */
    static String withoutCredentials(String url) {
        return url == null ? "?" : url.replaceAll("(?i)([?&](password|user)=)[^&]*", "$1***");
    }

    @Override
    public String toString() {
        return "JdbcStore[" + url + "]";
    }
}
