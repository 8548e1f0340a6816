package dev.kefurelay.message;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Turns what a caller handed us (JSON text, or plain text plus a user) into an {@link OutboundMessage},
 * or fails with an {@link InvalidMessageException} that names the problem. Nothing is sent before this
 * has passed.
 */
public final class MessageReader {

    /** Larger bodies are refused: no customer-service message is anywhere near this size. */
    public static final int MAX_BYTES = 1024 * 1024;

    private static final ObjectMapper STRICT = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final String defaultAppid;

    /** @param defaultAppid the account used when a message names none; null when every message must name one */
    public MessageReader(String defaultAppid) {
        this.defaultAppid = blankToNull(defaultAppid);
    }

    /**
     * @param body          the message JSON, or plain text when {@code toUser} is given
     * @param appidOverride the sending account chosen by the transport (JMS property KefuAppId), or null
     * @param toUser        the recipient of a plain-text body (JMS property KefuToUser), or null
     */
    public OutboundMessage read(String body, String appidOverride, String toUser) {
        if (body == null || body.isBlank()) {
            throw new InvalidMessageException("the message is empty");
        }
        if (body.length() > MAX_BYTES / 3 && body.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw new InvalidMessageException("the message is larger than " + MAX_BYTES / 1024 + " KB");
        }
        String trimmed = body.strip();
        OutboundMessage read;
        if (blankToNull(toUser) != null && !trimmed.startsWith("{")) {
            read = new OutboundMessage(null, null, KefuMessage.text(toUser.strip(), body));
        } else {
            read = parse(trimmed);
        }
        String appid = firstNonNull(blankToNull(appidOverride), read.appid(), defaultAppid);
        if (appid == null) {
            throw new InvalidMessageException("appid is missing: name the sending account in the message's "
                    + "'appid' (or the KefuAppId property)");
        }
        MessageValidator.validate(read.message());
        return new OutboundMessage(appid, read.id(), read.message());
    }

    /**
     * Reads {@code {"touser":…,"command":"Typing"|"CancelTyping"}} (optionally with {@code appid}), checked as
     * strictly as a message, so a typo fails with invalid-input before WeChat is called.
     */
    public TypingCommand readTyping(String body, String appidOverride) {
        if (body == null || body.isBlank()) {
            throw new InvalidMessageException("the typing command is empty");
        }
        JsonNode tree;
        try {
            tree = STRICT.readTree(body.strip());
        } catch (JsonProcessingException e) {
            throw new InvalidMessageException("the typing command is not valid JSON: " + e.getOriginalMessage());
        }
        if (!(tree instanceof ObjectNode object)) {
            throw new InvalidMessageException("the typing command must be a JSON object");
        }
        String appid = firstNonNull(blankToNull(appidOverride), envelopeText(object.remove("appid"), "appid"),
                defaultAppid);
        String touser = envelopeText(object.remove("touser"), "touser");
        String command = envelopeText(object.remove("command"), "command");
        if (object.size() > 0) {
            throw new InvalidMessageException("unknown field '" + object.fieldNames().next() + "'");
        }
        if (appid == null) {
            throw new InvalidMessageException("appid is missing: name the sending account in 'appid' (or the "
                    + "KefuAppId header)");
        }
        if (touser == null) {
            throw new InvalidMessageException("touser is missing");
        }
        if (!TypingCommand.TYPING.equals(command) && !TypingCommand.CANCEL_TYPING.equals(command)) {
            throw new InvalidMessageException("command must be 'Typing' or 'CancelTyping', not '" + command + "'");
        }
        return new TypingCommand(appid, touser, command);
    }

    private static OutboundMessage parse(String json) {
        JsonNode tree;
        try {
            tree = STRICT.readTree(json);
        } catch (JsonProcessingException e) {
            throw new InvalidMessageException("the message is not valid JSON (line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + "): " + e.getOriginalMessage());
        }
        if (!(tree instanceof ObjectNode object)) {
            throw new InvalidMessageException("the message must be a JSON object, not " + tree.getNodeType());
        }
        String appid = envelopeText(object.remove("appid"), "appid");
        String id = envelopeText(object.remove("id"), "id");
        JsonNode msgtype = object.get("msgtype");
        if (msgtype != null && msgtype.isTextual()) {
            MessageValidator.checkType(msgtype.asText());
        }
        try {
            return new OutboundMessage(appid, id, STRICT.treeToValue(object, KefuMessage.class));
        } catch (UnrecognizedPropertyException e) {
            throw new InvalidMessageException("unknown field '" + path(e) + "'");
        } catch (JsonProcessingException e) {
            throw new InvalidMessageException("field '" + path(e) + "' has the wrong type: " + e.getOriginalMessage());
        }
    }

    private static String path(JsonProcessingException e) {
        if (e instanceof com.fasterxml.jackson.databind.JsonMappingException m) {
            StringBuilder sb = new StringBuilder();
            for (var ref : m.getPath()) {
                if (ref.getFieldName() != null) {
                    sb.append(sb.isEmpty() ? "" : ".").append(ref.getFieldName());
                } else if (ref.getIndex() >= 0) {
                    sb.append('[').append(ref.getIndex()).append(']');
                }
            }
            return sb.toString();
        }
        return "?";
    }

    private static String envelopeText(JsonNode node, String name) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual() && !node.isNumber()) {
            throw new InvalidMessageException("field '" + name + "' must be a string");
        }
        return blankToNull(node.asText());
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private static String firstNonNull(String a, String b, String c) {
        return a != null ? a : b != null ? b : c;
    }
}
