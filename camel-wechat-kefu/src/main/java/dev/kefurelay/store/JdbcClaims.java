package dev.kefurelay.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.concurrent.CompletableFuture;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL store's message id claims: an {@code INSERT … ON CONFLICT} on the primary key (appid, id) in a
 * transaction held open while the message is sent. A second copy's insert waits on that uncommitted row: the first
 * copy's commit (delivered) makes it a conflict, a duplicate; its rollback (failed, or its relay died) lets the
 * second insert. No check-then-insert, so no race between relays.
 *
 * <p>While the database cannot be reached, a claim is not a failure of its message: it waits for the database
 * ({@link StoreProbe#whenUp}) and is made then, so the message is sent once the store is back instead of ending as a
 * dead letter. Only the application's stop ends such a wait, with a {@link StoreUnavailableException}.
 */
final class JdbcClaims {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcClaims.class);
    /** The longest one insert waits for a copy in flight before it is made again (see {@link #tryClaim}). */
    static final long LOCK_SLICE_MS = 2_000;

    private final JdbcAccess access;
    private final StoreSettings settings;
    private final StoreProbe probe;
    private final long callTimeoutMs;

    JdbcClaims(JdbcAccess access, StoreSettings settings, StoreProbe probe, long callTimeoutMs) {
        this.access = access;
        this.settings = settings;
        this.probe = probe;
        this.callTimeoutMs = callTimeoutMs;
    }

    CompletableFuture<IdClaim> claim(String appid, String id) {
        if (id == null) {
            return CompletableFuture.completedFuture(IdClaim.of(IdClaim.Verdict.SEND));
        }
        try {
            return CompletableFuture.completedFuture(tryClaim(appid, id));
        } catch (StoreUnavailableException e) {
            // made again on the probe's worker once the database answers (a claim may wait there for another copy)
            return probe.whenUp().thenCompose(back -> claim(appid, id));
        } catch (StoreException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Forgets ids delivered before this instant; returns how many. */
    int purge(Instant before) {
        return access.inTransaction("purge-ids", c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM kefu_delivered_id WHERE delivered_at < ?")) {
                s.setObject(1, OffsetDateTime.ofInstant(before, ZoneOffset.UTC));
                return s.executeUpdate();
            }
        });
    }

    /**
     * The insert waits for a copy in flight in slices of at most {@link #LOCK_SLICE_MS} (each a transaction of its
     * own), up to idWait in all: a database that stops answering then holds the thread for one slice and a margin,
     * not for the whole id wait, which a socket cannot tell from a lock wait.
     */
    private IdClaim tryClaim(String appid, String id) {
        long deadline = System.nanoTime() + settings.idWait().toNanos();
        while (true) {
            long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
            IdClaim claim = attempt(appid, id, Math.min(left, LOCK_SLICE_MS));
            if (claim != null) {
                return claim;
            }
            if (System.nanoTime() - deadline >= 0) {
                return IdClaim.of(IdClaim.Verdict.GAVE_UP);
            }
        }
    }

    /** One insert waiting at most {@code lockMs} for a copy in flight; null when that wait ran out. */
    private IdClaim attempt(String appid, String id, long lockMs) {
        long start = System.nanoTime();
        boolean ok = false;
        Connection c = null;
        try {
            c = access.connect("claim-id", lockMs + JdbcAccess.MARGIN_MS);
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("SET LOCAL lock_timeout = " + lockMs);
            }
            Instant now = settings.clock().instant();
            int claimed;
            // an id older than the window that the purge has not removed yet counts as new: it is taken over
            try (PreparedStatement s = c.prepareStatement("INSERT INTO kefu_delivered_id (appid, id, delivered_at) "
                    + "VALUES (?, ?, ?) ON CONFLICT (appid, id) DO UPDATE SET delivered_at = EXCLUDED.delivered_at "
                    + "WHERE kefu_delivered_id.delivered_at < ?")) {
                s.setString(1, appid);
                s.setString(2, id);
                s.setObject(3, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
                s.setObject(4, OffsetDateTime.ofInstant(now.minus(KefuStore.ID_WINDOW), ZoneOffset.UTC));
                claimed = s.executeUpdate();
            } catch (SQLException e) {
                if (JdbcAccess.LOCK_NOT_AVAILABLE.equals(e.getSQLState())) {
                    ok = true;
                    end(c, false);
                    return null;
                }
                throw e;
            }
            ok = true;
            if (claimed == 0) {
                end(c, false);
                return IdClaim.of(IdClaim.Verdict.DUPLICATE);
            }
            // the commit or rollback that ends the claim waits for nothing on the server
            JdbcAccess.timeout(c, callTimeoutMs);
            return new HeldClaim(c);
        } catch (SQLException e) {
            end(c, false);
            throw access.failure("claim-id", e);
        } finally {
            settings.listener().call("claim-id", System.nanoTime() - start, ok);
        }
    }

    /** An id claimed by an uncommitted insert: delivered commits it, failed rolls it back. */
    private final class HeldClaim implements IdClaim {
        private Connection connection;

        HeldClaim(Connection connection) {
            this.connection = connection;
        }

        @Override
        public Verdict verdict() {
            return Verdict.SEND;
        }

        @Override
        public synchronized void delivered() {
            end(true);
        }

        @Override
        public synchronized void failed() {
            end(false);
        }

        private void end(boolean commit) {
            if (connection == null) {
                return;
            }
            long start = System.nanoTime();
            boolean ok = JdbcClaims.end(connection, commit);
            connection = null;
            settings.listener().call(commit ? "record-id" : "release-id", System.nanoTime() - start, ok);
        }
    }

    /** Ends the transaction and gives the connection back; false (logged) if that failed. */
    private static boolean end(Connection c, boolean commit) {
        if (c == null) {
            return true;
        }
        try (c) {
            if (commit) {
                c.commit();
            } else {
                c.rollback();
            }
            return true;
        } catch (SQLException e) {
            // a delivered id that could not be recorded: a resend of it would go out again
            LOG.warn("store: could not {} a message id claim: {}", commit ? "commit" : "roll back", e.getMessage());
            return false;
        }
    }
}
