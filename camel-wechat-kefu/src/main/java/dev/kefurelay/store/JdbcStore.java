package dev.kefurelay.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import javax.sql.DataSource;

import dev.kefurelay.window.Interaction;
import dev.kefurelay.window.WindowPlace;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared store in PostgreSQL, for several relays of one service (schema: {@link Schema}, created and migrated
 * on start). Only JDK types: the application brings the driver and the connection pool as a {@link DataSource}.
 *
 * <p>One class per concern, this one the façade that opens the store and keeps its readiness: secrets
 * ({@link JdbcSecrets}), access tokens and their locks ({@link JdbcTokens}), message id claims and their purge
 * ({@link JdbcClaims}), quota pauses ({@link JdbcPauses}), media ids ({@link JdbcMedia}), the window book
 * ({@link JdbcWindows}), channel msgids ({@link JdbcChannelMsgIds}), the schema
 * ({@link Schema}); connections and transactions: {@link JdbcAccess}.
 *
 * <p>A database that stops answering holds no thread for long: every statement has a network timeout
 * ({@link JdbcAccess}), and whether the database can be reached is kept by a background probe ({@link #state()}),
 * so that readiness never waits on it. A call that cannot reach it fails with {@link StoreUnavailableException}.
 */
public final class JdbcStore implements KefuStore {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcStore.class);

    /** How often the database is probed for readiness, and how long a probe may take before it counts as failed. */
    static final Duration PROBE_EVERY = Duration.ofSeconds(1);
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);
    /** Creating or migrating the schema may wait for another relay doing it. */
    private static final long OPEN_TIMEOUT_MS = 60_000;

    private final String url;
    /** Keeps {@link #state()}; what waits for the database waits on it. */
    private final StoreProbe probe;
    private final JdbcAccess access;
    private final JdbcSecrets secrets;
    private final JdbcTokens tokens;
    private final JdbcClaims claims;
    private final JdbcPauses pauses;
    private final JdbcMedia media;
    private final JdbcWindows windows;
    private final JdbcChannelMsgIds channelIds;

    private JdbcStore(DataSource dataSource, StoreSettings settings, String url) {
        this.url = url;
        // a statement's longest wait for an answer: a token lock's wait, and a margin
        long callTimeoutMs = settings.lockTimeout().toMillis() + JdbcAccess.MARGIN_MS;
        this.probe = new StoreProbe(describe(), this::probe, PROBE_EVERY, PROBE_TIMEOUT);
        this.access = new JdbcAccess(dataSource, probe, describe(), settings.listener(), callTimeoutMs);
        this.secrets = new JdbcSecrets(access);
        this.tokens = new JdbcTokens(access, settings);
        this.claims = new JdbcClaims(access, settings, probe, callTimeoutMs);
        this.pauses = new JdbcPauses(access);
        this.media = new JdbcMedia(access, settings.clock());
        this.windows = new JdbcWindows(access);
        this.channelIds = new JdbcChannelMsgIds(access, settings.clock());
    }

    /**
     * Connects, creates or migrates the schema, purges ids older than the window and windows closed longer ago than
     * {@link #WINDOW_KEPT}. A database that cannot be reached
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
        int windowsPurged;
        try {
            Instant now = settings.clock().instant();
            purged = store.purgeIds(now.minus(ID_WINDOW));
            windowsPurged = store.purgeWindows(now.minus(WINDOW_KEPT));
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        LOG.info("store {} (schema version {}); {} ids older than 48 h and {} windows closed before it purged", url,
                version, purged, windowsPurged);
        return store;
    }

    @Override
    public Optional<String> get(String key) {
        return secrets.get(key);
    }

    @Override
    public void put(String key, String value) {
        secrets.put(key, value);
    }

    @Override
    public boolean compareAndSet(String key, String expected, String next) {
        return secrets.compareAndSet(key, expected, next);
    }

    @Override
    public Optional<SharedToken> token(String account) {
        return tokens.token(account);
    }

    @Override
    public SharedToken renewToken(String account, Function<Optional<SharedToken>, SharedToken> renew) {
        return tokens.renewToken(account, renew);
    }

    @Override
    public void dropToken(String account, String value) {
        tokens.dropToken(account, value);
    }

    @Override
    public CompletableFuture<IdClaim> claimId(String appid, String id) {
        return claims.claim(appid, id);
    }

    /** The channel msgids are kept as long as the ids, and purged with them. */
    @Override
    public int purgeIds(Instant before) {
        channelIds.purge(before);
        return claims.purge(before);
    }

    @Override
    public Optional<SharedMedia> mediaId(String appid, String type, String sha256) {
        return media.mediaId(appid, type, sha256);
    }

    @Override
    public void putMediaId(String appid, String type, String sha256, SharedMedia sharedMedia) {
        media.putMediaId(appid, type, sha256, sharedMedia);
    }

    @Override
    public void dropMediaId(String appid, String type, String sha256, String mediaId) {
        media.dropMediaId(appid, type, sha256, mediaId);
    }

    @Override
    public int purgeMedia(Instant before) {
        return media.purge(before);
    }

    @Override
    public void recordInteraction(String appid, String openid, Interaction interaction, Instant at) {
        windows.record(appid, openid, interaction, at);
    }

    @Override
    public WindowPlace takeWindowPlace(String appid, String openid, Instant now) {
        return windows.take(appid, openid, now);
    }

    @Override
    public void returnWindowPlace(String appid, String openid, Instant openedAt) {
        windows.giveBack(appid, openid, openedAt);
    }

    @Override
    public void closeWindow(String appid, String openid, Instant sentAt) {
        windows.close(appid, openid, sentAt);
    }

    @Override
    public int openWindows(String appid, Instant now) {
        return windows.open(appid, now);
    }

    @Override
    public int purgeWindows(Instant before) {
        return windows.purge(before);
    }

    @Override
    public void rememberChannelMsgId(String appid, String channelMsgId, String id) {
        channelIds.remember(appid, channelMsgId, id);
    }

    @Override
    public Optional<String> messageIdOf(String appid, String channelMsgId) {
        return channelIds.idOf(appid, channelMsgId);
    }

    @Override
    public void pause(String appid, Instant until) {
        pauses.pause(appid, until);
    }

    @Override
    public Optional<Instant> pausedUntil(String appid) {
        return pauses.pausedUntil(appid);
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
