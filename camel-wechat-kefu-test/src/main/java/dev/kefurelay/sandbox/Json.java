package dev.kefurelay.sandbox;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Reads request bodies the way WeChat judges them (44002 empty, 47001 not a JSON object) and writes replies. */
final class Json {

    // Trailing garbage after the object is "not JSON" for WeChat too; Jackson ignores it unless told.
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private Json() {
    }

    static ObjectNode object(byte[] body) {
        if (isBlank(body)) {
            throw new ApiException(ErrorCodes.EMPTY_POST_DATA);
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(body);
        } catch (IOException e) {
            // Deliberately not logged: the parser's message quotes the body, which may hold a secret.
            throw new ApiException(ErrorCodes.DATA_FORMAT_ERROR);
        }
        if (node == null || !node.isObject()) {
            throw new ApiException(ErrorCodes.DATA_FORMAT_ERROR);
        }
        return (ObjectNode) node;
    }

    /** A scalar field as text, or null when absent, null or structured. */
    static String text(JsonNode object, String field) {
        JsonNode value = object.get(field);
        return value != null && value.isValueNode() && !value.isNull() ? value.asText() : null;
    }

    static ObjectNode newObject() {
        return MAPPER.createObjectNode();
    }

    static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isBlank(byte[] body) {
        for (byte b : body) {
            if (!Character.isWhitespace(b)) {
                return false;
            }
        }
        return true;
    }
}
