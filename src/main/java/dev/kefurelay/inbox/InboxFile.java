package dev.kefurelay.inbox;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Splits a dropped file into one text per message: {@code *.json} holds one message or an array of them,
 * {@code *.jsonl} one per line. A file that is not that shape is refused as a whole with a reason; a single
 * bad line of a .jsonl is only that message's failure.
 */
public final class InboxFile {

    private static final ObjectMapper JSON = new ObjectMapper();

    private InboxFile() {
    }

    /** Checks name and size before the content is read at all. */
    public static void checkName(String name, long size, long maxSize) {
        if (!name.endsWith(".json") && !name.endsWith(".jsonl")) {
            throw new UnreadableFileException("'" + name + "' is neither *.json nor *.jsonl");
        }
        if (size > maxSize) {
            throw new UnreadableFileException("'" + name + "' has " + size + " bytes, more than kefu.inbox.max-size ("
                    + maxSize + " bytes)");
        }
    }

    /**
     * The messages of a {@code .jsonl}, one per non-blank line, read as they are asked for (see {@link JsonlLines}).
     * Malformed UTF-8 becomes U+FFFD, as in a {@code .json}, so that the line fails alone.
     */
    public static Iterator<String> lines(String name, Path file) throws IOException {
        JsonlLines lines = new JsonlLines(new BufferedReader(
                new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8)));
        if (!lines.hasNext()) {
            throw new UnreadableFileException("'" + name + "' is empty");
        }
        return lines;
    }

    /** The messages of a {@code .json}: one object, or an array of them. */
    public static List<String> messages(String name, String content) {
        if (content == null || content.isBlank()) {
            throw new UnreadableFileException("'" + name + "' is empty");
        }
        JsonNode tree;
        try {
            tree = JSON.readTree(content);
        } catch (JsonProcessingException e) {
            throw new UnreadableFileException("'" + name + "' is not valid JSON (line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + "): " + e.getOriginalMessage());
        }
        if (tree instanceof ObjectNode) {
            return List.of(tree.toString());
        }
        if (tree instanceof ArrayNode array && !array.isEmpty()) {
            List<String> out = new ArrayList<>();
            array.forEach(node -> out.add(node.toString()));
            return out;
        }
        throw new UnreadableFileException("'" + name + "' must hold a message object or a non-empty array of them");
    }
}
