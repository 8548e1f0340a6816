package dev.kefurelay.message;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Takes the media sources out of a content object before it is mapped onto {@link KefuMessage} (or, for WeCom,
 * checked against {@link WeComFields}): {@code file} / {@code source_url} in place of {@code media_id},
 * {@code thumb_file} / {@code thumb_source_url} in place of {@code thumb_media_id}, or the transport's bytes for an
 * id the message leaves out. What is wrong with a source (two for one id, not a string, not an http(s) URL) is named
 * here; whether the file or URL holds acceptable content is known only once it is read, before the upload.
 */
public final class MediaSources {

    private MediaSources() {
    }

    /**
     * Removes the source keys from {@code content}; returns the sources in the order of the id fields (media_id
     * before thumb_media_id: a stable order for uploads and errors).
     *
     * @param table msgtype → its id fields that a source may stand in for → the upload type
     *              ({@link MessageFields#MEDIA_FIELDS}, {@link WeComFields#MEDIA_FIELDS})
     */
    public static List<MediaRef> take(Map<String, Map<String, String>> table, String msgtype, ObjectNode content,
            MediaInput input) {
        Map<String, String> fields = table.get(msgtype);
        if (fields == null) {
            return List.of();
        }
        List<MediaRef> refs = new ArrayList<>();
        for (String field : fields.keySet().stream().sorted().toList()) {
            String type = fields.get(field);
            String fileKey = MessageFields.sourceKey(field, "file");
            String urlKey = MessageFields.sourceKey(field, "source_url");
            JsonNode file = present(content.remove(fileKey));
            JsonNode url = present(content.remove(urlKey));
            boolean id = present(content.get(field)) != null;
            int given = (id ? 1 : 0) + (file != null ? 1 : 0) + (url != null ? 1 : 0);
            if (given > 1) {
                throw new InvalidMessageException(msgtype + " names more than one of " + field + ", " + fileKey
                        + " and " + urlKey + ": give one");
            }
            if (file != null) {
                refs.add(new MediaRef(msgtype, field, type, MediaRef.Origin.FILE,
                        text(file, msgtype + "." + fileKey), input.folder(), null));
            } else if (url != null) {
                String where = msgtype + "." + urlKey;
                refs.add(new MediaRef(msgtype, field, type, MediaRef.Origin.URL, httpUrl(text(url, where), where),
                        null, null));
            } else if (!id) {
                boolean main = "media_id".equals(field);
                byte[] bytes = main ? input.media() : input.thumb();
                if (bytes != null) {
                    refs.add(new MediaRef(msgtype, field, type, MediaRef.Origin.EXCHANGE,
                            main ? MediaInput.MEDIA_HEADER : MediaInput.THUMB_HEADER, null, bytes));
                }
            }
        }
        return refs;
    }

    private static JsonNode present(JsonNode node) {
        return node == null || node.isNull() ? null : node;
    }

    private static String text(JsonNode node, String where) {
        if (!node.isTextual() || node.asText().isBlank()) {
            throw new InvalidMessageException("field '" + where + "' must be a non-empty string");
        }
        return node.asText().strip();
    }

    /** Only http and https: a file:, jar: or ftp: URL would read what the sender has no business reading. */
    private static String httpUrl(String text, String where) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new InvalidMessageException("field '" + where + "' is not a URL: '" + StrictJson.excerpt(text) + "'");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new InvalidMessageException("field '" + where + "' must be an http(s) URL, not '"
                    + StrictJson.excerpt(text) + "'");
        }
        return uri.toString();
    }
}
