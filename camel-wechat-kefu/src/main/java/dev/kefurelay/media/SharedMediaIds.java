package dev.kefurelay.media;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import dev.kefurelay.store.KefuStore;
import dev.kefurelay.store.SharedMedia;
import dev.kefurelay.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link MediaIds} shared by every relay on one store: this relay's {@link LocalMediaIds} in front, the store's media
 * ids behind it ({@link KefuStore#mediaId}), so that a picture one relay uploaded is sent by the others with its
 * media_id. Over a store one relay uses alone, which keeps no media ids, this is its memory alone. Two relays uploading the same content at the same moment both upload (an upload is idempotent for the
 * message; single flight holds within one relay). The store failing costs an upload, never a message: a read that
 * fails is a miss, a write that fails is logged and the id is still used here.
 */
public final class SharedMediaIds implements MediaIds {

    private static final Logger LOG = LoggerFactory.getLogger(SharedMediaIds.class);

    private final LocalMediaIds local;
    private final KefuStore store;
    private final Clock clock;

    public SharedMediaIds(LocalMediaIds local, KefuStore store, Clock clock) {
        this.local = local;
        this.store = store;
        this.clock = clock;
    }

    @Override
    public String get(MediaKey key) {
        String known = local.get(key);
        if (known != null) {
            return known;
        }
        SharedMedia shared;
        try {
            shared = store.mediaId(key.appid(), key.uploadType(), key.sha256()).orElse(null);
        } catch (StoreException e) {
            LOG.warn("media id of {} not read from the {}, uploading instead: {}", key.uploadType(), store.describe(),
                    e.getMessage());
            return null;
        }
        if (shared == null) {
            return null;
        }
        // kept here only as long as the other relay's upload is usable
        local.put(key, shared.mediaId(), Duration.between(clock.instant(), shared.expiresAt()));
        return shared.mediaId();
    }

    @Override
    public void put(MediaKey key, String mediaId) {
        local.put(key, mediaId);
        Instant expiresAt = clock.instant().plus(LocalMediaIds.KEEP_FOR);
        try {
            store.putMediaId(key.appid(), key.uploadType(), key.sha256(), new SharedMedia(mediaId, expiresAt));
        } catch (StoreException e) {
            LOG.warn("media id of {} not written to the {}, other relays will upload it again: {}",
                    key.uploadType(), store.describe(), e.getMessage());
        }
    }

    @Override
    public void remove(MediaKey key, String mediaId) {
        local.remove(key, mediaId);
        try {
            store.dropMediaId(key.appid(), key.uploadType(), key.sha256(), mediaId);
        } catch (StoreException e) {
            // the other relays meet the same 40007 and drop it themselves
            LOG.warn("refused media id of {} not dropped from the {}: {}", key.uploadType(), store.describe(),
                    e.getMessage());
        }
    }
}
