package dev.kefurelay.message;

import java.nio.file.Path;

/**
 * A media source a message names in place of a {@code media_id} or {@code thumb_media_id}: where the content comes
 * from, and which field of the message gets the id once it is uploaded.
 *
 * @param msgtype    the content object the id goes into, e.g. {@code video}
 * @param field      {@code media_id} or {@code thumb_media_id}
 * @param uploadType the {@code type} of media/upload: image, voice, video or thumb (WeChat); image, voice, video
 *                   or file (WeCom)
 * @param origin     file, URL or bytes handed over with the exchange
 * @param location   the file's path as written (relative to {@code folder}) or the URL; for bytes the header's name
 * @param folder     the folder a file is resolved against: the dropped file's folder, or null for the configured
 *                   media folder
 * @param bytes      the content, for {@link Origin#EXCHANGE} only
 */
public record MediaRef(String msgtype, String field, String uploadType, Origin origin, String location, Path folder,
        byte[] bytes) {

    public enum Origin { FILE, URL, EXCHANGE }

    /** How the message names this source, for errors: {@code video.thumb_file 'a.jpg'}. */
    public String describe() {
        String key = switch (origin) {
            case FILE -> MessageFields.sourceKey(field, "file");
            case URL -> MessageFields.sourceKey(field, "source_url");
            case EXCHANGE -> field + " (header " + location + ")";
        };
        return msgtype + "." + key + (origin == Origin.EXCHANGE ? "" : " '" + StrictJson.excerpt(location) + "'");
    }

    /** Without the bytes: a picture has no place in a log line. */
    @Override
    public String toString() {
        return "MediaRef[" + describe() + ", " + uploadType + "]";
    }
}
