package dev.kefurelay.media;

/**
 * Where uploaded media ids are remembered until shortly before WeChat forgets them (3 days). Small on purpose so that
 * a shared store (the scale-out work's PostgreSQL) can back it and every relay reuses one upload; the component's
 * default is {@link LocalMediaIds}, in memory.
 */
public interface MediaIds {

    /** The media_id uploaded for this content that is still usable, or null. */
    String get(MediaKey key);

    /** Remembers a fresh upload's media_id. */
    void put(MediaKey key, String mediaId);

    /** Forgets the key, only while it still maps to this media_id (WeChat refused it, 40007). */
    void remove(MediaKey key, String mediaId);
}
