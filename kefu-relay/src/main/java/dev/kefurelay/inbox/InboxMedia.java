package dev.kefurelay.inbox;

import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kefurelay.message.InvalidMessageException;
import dev.kefurelay.message.MessageFields;
import dev.kefurelay.message.StrictJson;
import dev.kefurelay.message.WeComFields;

/**
 * The pictures (and voice, video) beside a dropped message file: its messages name them as {@code file} /
 * {@code thumb_file}, relative to the inbox. They are not messages (the inbox route leaves media files by their
 * extension alone) and they leave the inbox with the message file that names them: into {@code .done/} with it, or,
 * when a message naming them failed, into {@code .error/} beside that file's {@code .failed.jsonl}, so the two can be
 * fixed and dropped again together.
 */
final class InboxMedia {

    private InboxMedia() {
    }

    /**
     * The names of the files in the inbox itself that the file's messages name. Read again when the file is filed: a
     * take that resumed from its journal never read the messages sent before. What cannot be read names nothing.
     */
    static Set<String> named(String name, Path file) {
        Set<String> names = new LinkedHashSet<>();
        Iterator<Part> parts = null;
        try {
            parts = name.endsWith(".jsonl") ? InboxFile.lines(name, file)
                    : InboxFile.messages(name, Files.readAllBytes(file)).iterator();
            while (parts.hasNext()) {
                Object body = parts.next().body();
                // a .jsonl line comes as bytes; one that is not UTF-8 names nothing (it fails as its message)
                collect(body instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : (String) body, names);
            }
        } catch (IOException | RuntimeException e) {
            // an unreadable file (it goes to .error/ for that) or line: the names found so far are all there is
        } finally {
            if (parts instanceof Closeable c) {
                try {
                    c.close();
                } catch (IOException ignored) {
                    // read only
                }
            }
        }
        return names;
    }

    /** The names the failed messages name, from their {@code .failed.jsonl} lines. */
    static Set<String> namedByFailures(List<String> failureLines) {
        Set<String> names = new LinkedHashSet<>();
        for (String line : failureLines) {
            JsonNode failure = parse(line);
            if (failure != null) {
                collect(failure.path("message"), names);
            }
        }
        return names;
    }

    private static void collect(String message, Set<String> names) {
        JsonNode tree = parse(message);
        if (tree != null) {
            collect(tree, names);
        }
    }

    private static JsonNode parse(String json) {
        try {
            return StrictJson.parse(json, "a message");
        } catch (InvalidMessageException e) {
            return null;
        }
    }

    private static void collect(JsonNode tree, Set<String> names) {
        String msgtype = tree.path("msgtype").asText("");
        JsonNode content = tree.path(msgtype);
        // a WeCom message (open_kfid) has types of its own: a file, a link's picture
        Map<String, Map<String, String>> table = tree.has("open_kfid") ? WeComFields.MEDIA_FIELDS
                : MessageFields.MEDIA_FIELDS;
        for (String field : table.getOrDefault(msgtype, Map.of()).keySet()) {
            String named = content.path(MessageFields.sourceKey(field, "file")).asText("");
            if (beside(named)) {
                names.add(named);
            }
        }
    }

    /**
     * Only a file right beside the message file: one in a subfolder is not the dropper's to move. A name the file
     * system refuses (a NUL in it) names no file: its message failed as invalid-input for it, and the file's other
     * messages must still be filed.
     */
    private static boolean beside(String named) {
        if (named.isBlank() || named.contains("/") || named.contains("\\") || named.equals("..")
                || named.equals(".")) {
            return false;
        }
        try {
            Path.of(named);
            return true;
        } catch (InvalidPathException e) {
            return false;
        }
    }

    /** Moves each named file that is still in the inbox into {@code folder}, under a free name. */
    static void file(Path inbox, Set<String> names, Path folder) throws IOException {
        for (String named : names) {
            Path media = inbox.resolve(named);
            if (Files.isRegularFile(media, LinkOption.NOFOLLOW_LINKS)) {
                Filing.move(media, folder.resolve(Filing.freeName(folder, named)));
            }
        }
    }
}
