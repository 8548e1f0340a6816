package dev.kefurelay.message;

import java.nio.file.Path;

/**
 * What the transport hands over for media sources besides the message: the folder its file sources are relative to,
 * and content for a {@code media_id} / {@code thumb_media_id} that the message leaves out (a Camel route's bytes).
 *
 * @param folder the folder of {@code file} / {@code thumb_file}, or null for the configured media folder
 * @param media  content for the {@code media_id} of a message that gives none, or null
 * @param thumb  content for the {@code thumb_media_id} of a message that gives none, or null
 */
public record MediaInput(Path folder, byte[] media, byte[] thumb) {

    public static final MediaInput NONE = new MediaInput(null, null, null);

    /** The header names a route hands the bytes in; kept here so the error can name them. */
    public static final String MEDIA_HEADER = "KefuMedia";
    public static final String THUMB_HEADER = "KefuThumbMedia";

    @Override
    public String toString() {
        return "MediaInput[folder=" + folder + ", media=" + (media == null ? "-" : media.length + " bytes")
                + ", thumb=" + (thumb == null ? "-" : thumb.length + " bytes") + "]";
    }
}
