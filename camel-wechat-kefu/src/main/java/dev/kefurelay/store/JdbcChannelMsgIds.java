package dev.kefurelay.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.Optional;

/**
 * The PostgreSQL store's channel msgids: a row per (appid, channel msgid) in {@code kefu_channel_msgid} with the
 * message id it carried, so that any relay joins a later push ({@code TEMPLATESENDJOBFINISH}) to its message. Purged
 * with the delivered ids, which are kept as long.
 */
final class JdbcChannelMsgIds {

    private final JdbcAccess access;
    private final Clock clock;

    JdbcChannelMsgIds(JdbcAccess access, Clock clock) {
        this.access = access;
        this.clock = clock;
    }

    void remember(String appid, String channelMsgId, String id) {
        Objects.requireNonNull(appid, "appid");
        Objects.requireNonNull(channelMsgId, "channelMsgId");
        Objects.requireNonNull(id, "id");
        access.inTransaction("remember-channel-msgid", c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO kefu_channel_msgid (appid, channel_msgid, "
                    + "id, sent_at) VALUES (?, ?, ?, ?) ON CONFLICT (appid, channel_msgid) DO UPDATE SET "
                    + "id = EXCLUDED.id, sent_at = EXCLUDED.sent_at")) {
                s.setString(1, appid);
                s.setString(2, channelMsgId);
                s.setString(3, id);
                s.setObject(4, OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC));
                return s.executeUpdate();
            }
        });
    }

    Optional<String> idOf(String appid, String channelMsgId) {
        return access.inTransaction("channel-msgid", c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT id FROM kefu_channel_msgid "
                    + "WHERE appid = ? AND channel_msgid = ?")) {
                s.setString(1, appid);
                s.setString(2, channelMsgId);
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? Optional.of(r.getString(1)) : Optional.empty();
                }
            }
        });
    }

    int purge(Instant before) {
        return access.inTransaction("purge-channel-msgids", c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM kefu_channel_msgid WHERE sent_at < ?")) {
                s.setObject(1, OffsetDateTime.ofInstant(before, ZoneOffset.UTC));
                return s.executeUpdate();
            }
        });
    }
}
