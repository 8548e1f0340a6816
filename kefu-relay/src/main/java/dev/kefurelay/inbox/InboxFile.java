package dev.kefurelay.inbox;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kefurelay.message.InvalidMessageException;
import dev.kefurelay.message.StrictJson;

/**
 * Splits a dropped file into its messages: {@code *.json} holds one message or an array of them, {@code *.jsonl} one
 * per line. A file that is not that shape is refused as a whole with a reason; a single bad line of a .jsonl is only
 * that message's failure.
 */
public final class InboxFile {

    private InboxFile() {
    }

    /**
     * Checks what the file is before a byte of it is read: a regular file inside the inbox (a symbolic link, or
     * anything that resolves outside, would make the relay read and quote a file nobody dropped), a message file by
     * its name, within the size limit.
     */
    static void check(Path inbox, Path file, String name, long maxSize) throws IOException {
        if (Files.isSymbolicLink(file)) {
            throw new UnreadableFileException("'" + printable(name) + "' is a symbolic link: the inbox takes regular "
                    + "files only, never what a link points to");
        }
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)
                || !file.toRealPath().startsWith(inbox.toRealPath())) {
            throw new UnreadableFileException("'" + printable(name) + "' is not a regular file inside the inbox");
        }
        if (!isMessageFile(name)) {
            throw new UnreadableFileException("'" + printable(name) + "' is neither *.json nor *.jsonl");
        }
        long size = Files.size(file);
        if (size == 0) {
            throw new UnreadableFileException("'" + printable(name) + "' is empty (0 bytes)");
        }
        if (size > maxSize) {
            throw new UnreadableFileException("'" + printable(name) + "' has " + size
                    + " bytes, more than kefu.inbox.max-size (" + maxSize + " bytes)");
        }
    }

    /** A name the inbox reads as messages: {@code *.json} or {@code *.jsonl}. */
    static boolean isMessageFile(String name) {
        return name.endsWith(".json") || name.endsWith(".jsonl");
    }

    /** The messages of a {@code .jsonl}, one per non-blank line, read as they are asked for (see {@link JsonlLines}). */
    static Iterator<Part> lines(String name, Path file) throws IOException {
        JsonlLines lines = new JsonlLines(new BufferedInputStream(Files.newInputStream(file), 64 * 1024));
        if (!lines.hasNext()) {
            throw new UnreadableFileException("'" + printable(name) + "' has no message: every line is blank");
        }
        return lines;
    }

    /** The messages of a {@code .json}: one object, or an array of them; the file must be UTF-8 and strict JSON. */
    static List<Part> messages(String name, byte[] content) {
        String what = "'" + printable(name) + "'";
        JsonNode tree;
        try {
            String text = StrictJson.utf8(content, what);
            if (text.isBlank()) {
                throw new UnreadableFileException(what + " has no message: it is blank");
            }
            tree = StrictJson.parse(text, what);
        } catch (InvalidMessageException e) {
            throw new UnreadableFileException(e.getMessage());
        }
        if (tree instanceof ObjectNode) {
            return List.of(new Part(1, tree.toString()));
        }
        if (tree instanceof ArrayNode array && !array.isEmpty()) {
            List<Part> out = new ArrayList<>(array.size());
            for (int i = 0; i < array.size(); i++) {
                out.add(new Part(i + 1, array.get(i).toString()));
            }
            return out;
        }
        throw new UnreadableFileException(what + " must hold a message object or a non-empty array of them");
    }

    /** A file name as it can be logged: control characters (a newline would split a log line) escaped. */
    public static String printable(String name) {
        StringBuilder out = null;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029') {
                if (out == null) {
                    out = new StringBuilder(name.length() + 8).append(name, 0, i);
                }
                out.append(switch (c) {
                    case '\n' -> "\\n";
                    case '\r' -> "\\r";
                    case '\t' -> "\\t";
                    default -> String.format("\\u%04x", (int) c);
                });
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? name : out.toString();
    }
}
