package dev.kefurelay.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * The PostgreSQL store's media ids: a row per (appid, upload type, content SHA-256) in {@code kefu_media} with its
 * expiry, so that every relay reuses one upload of a picture; read by {@code SharedMediaIds} behind each relay's
 * in-memory cache.
 */
final class JdbcMedia {

    private final JdbcAccess access;
    private final Clock clock;

    JdbcMedia(JdbcAccess access, Clock clock) {
        this.access = access;
        this.clock = clock;
    }

    Optional<SharedMedia> mediaId(String appid, String type, String sha256) {
        return access.inTransaction("media-id", c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT media_id, expires_at FROM kefu_media "
                    + "WHERE appid = ? AND type = ? AND sha256 = ? AND expires_at > ?")) {
                s.setString(1, appid);
                s.setString(2, type);
                s.setString(3, sha256);
                s.setObject(4, OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC));
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? Optional.of(new SharedMedia(r.getString(1),
                            r.getObject(2, OffsetDateTime.class).toInstant())) : Optional.empty();
                }
            }
        });
    }

    void putMediaId(String appid, String type, String sha256, SharedMedia media) {
        access.inTransaction("put-media-id", c -> {
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

    void dropMediaId(String appid, String type, String sha256, String mediaId) {
        access.inTransaction("drop-media-id", c -> {
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

    int purge(Instant before) {
        return access.inTransaction("purge-media", c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM kefu_media WHERE expires_at <= ?")) {
                s.setObject(1, OffsetDateTime.ofInstant(before, ZoneOffset.UTC));
                return s.executeUpdate();
            }
        });
    }
}
