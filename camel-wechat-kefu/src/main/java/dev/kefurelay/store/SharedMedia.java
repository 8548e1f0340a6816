package dev.kefurelay.store;

import java.time.Instant;

/** An uploaded media_id as the shared store keeps it: usable until {@code expiresAt} (before WeChat forgets it). */
public record SharedMedia(String mediaId, Instant expiresAt) {
}
