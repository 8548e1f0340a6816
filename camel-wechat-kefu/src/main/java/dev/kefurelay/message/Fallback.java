package dev.kefurelay.message;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kefurelay.wechat.Channel;

/**
 * A message's envelope key {@code fallback}: what to send instead when the user's customer-service window is closed
 * or used up. {@code {"msgtype":"template","template":{…}}} (template/send) or {@code
 * {"msgtype":"subscribe","subscribe":{…}}} (subscribe/bizsend). Checked as strictly as the message, when the message
 * is read: a fallback that could never be sent fails the message before any call, not at the moment it is needed.
 * The recipient is the message's own {@code touser}; a template message also gets {@code client_msg_id} from the
 * message's {@code id}, so that WeChat itself refuses a second copy.
 *
 * @param channel template or subscribe
 * @param content the object under the channel's name, as the sender wrote it (checked)
 */
public record Fallback(Channel channel, ObjectNode content) {

    /** The fields of each fallback object: required first, then optional. WeChat's template/send and bizsend. */
    static final Map<Channel, MessageFields.Fields> FIELDS = Map.of(
            Channel.TEMPLATE, new MessageFields.Fields(List.of("template_id", "data"),
                    List.of("url", "miniprogram", "color"), Map.of()),
            Channel.SUBSCRIBE, new MessageFields.Fields(List.of("template_id", "data"),
                    List.of("page", "miniprogram", "miniprogram_state", "lang"), Map.of()));
    /** {@code miniprogram} of either: the Mini Program the notice opens. */
    static final MessageFields.Fields MINIPROGRAM = new MessageFields.Fields(List.of("appid"),
            List.of("pagepath", "path"), Map.of());
    /**
     * The longest message id used as {@code client_msg_id} as it is; a longer one is sent as its SHA-256 (WeChat
     * documents no length, and an id of any length must stay one message).
     */
    static final int MAX_CLIENT_MSG_ID = 64;

    /** Reads and checks {@code fallback}; null when the message has none. */
    public static Fallback read(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw new InvalidMessageException("fallback must be an object: {\"msgtype\":\"template\",\"template\":{…}} "
                    + "or {\"msgtype\":\"subscribe\",\"subscribe\":{…}}");
        }
        JsonNode type = node.get("msgtype");
        Channel channel = type != null && type.isTextual() ? Channel.ofWireName(type.asText()) : null;
        if (channel == null || !channel.isFallback()) {
            throw new InvalidMessageException("fallback.msgtype must be 'template' or 'subscribe', not "
                    + (type == null ? "missing" : "'" + StrictJson.excerpt(type.asText()) + "'"));
        }
        String name = channel.wireName();
        for (Iterator<String> keys = node.fieldNames(); keys.hasNext();) {
            String key = keys.next();
            if (!key.equals("msgtype") && !key.equals(name)) {
                throw new InvalidMessageException("field 'fallback." + StrictJson.excerpt(key) + "' does not belong in "
                        + "a " + name + " fallback" + (key.equals("touser") ? ": it goes to the message's touser" : ""));
            }
        }
        if (!(node.get(name) instanceof ObjectNode content)) {
            throw new InvalidMessageException("fallback." + name + " is missing: a " + name + " fallback needs an object "
                    + "named '" + name + "'");
        }
        check(content, FIELDS.get(channel), "fallback." + name);
        JsonNode miniprogram = content.get("miniprogram");
        if (miniprogram != null && !miniprogram.isNull()) {
            check(miniprogram, MINIPROGRAM, "fallback." + name + ".miniprogram");
        }
        checkData(content.get("data"), "fallback." + name + ".data");
        return new Fallback(channel, content.deepCopy());
    }

    /**
     * The body of the fallback's call: the content with the recipient and, for a template message, the message's
     * id as {@code client_msg_id} (one message per user and id, WeChat keeps it 10 minutes).
     */
    public String body(String touser, String id) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("touser", touser);
        body.setAll(content);
        if (channel == Channel.TEMPLATE && id != null) {
            body.put("client_msg_id", clientMsgId(id));
        }
        return body.toString();
    }

    /** The message's id as WeChat's {@code client_msg_id}: as it is, or its SHA-256 when longer than 64 characters. */
    static String clientMsgId(String id) {
        if (id.length() <= MAX_CLIENT_MSG_ID) {
            return id;
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(id.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static void check(JsonNode object, MessageFields.Fields fields, String where) {
        if (!object.isObject()) {
            throw new InvalidMessageException(where + " must be an object");
        }
        for (Iterator<String> keys = object.fieldNames(); keys.hasNext();) {
            String key = keys.next();
            if (!fields.takes(key)) {
                throw new InvalidMessageException("unknown field '" + where + "." + StrictJson.excerpt(key) + "'");
            }
        }
        for (String key : fields.all()) {
            JsonNode value = object.get(key);
            boolean absent = value == null || value.isNull() || value.isTextual() && value.asText().isBlank();
            if (absent && fields.required().contains(key)) {
                throw new InvalidMessageException(where + "." + key + " is missing");
            }
            if (!absent && !key.equals("data") && !key.equals("miniprogram") && !value.isTextual()) {
                throw new InvalidMessageException("field '" + where + "." + key + "' must be a string");
            }
        }
    }

    /** {@code data}: an object of keys, each {@code {"value":…}} (a string or a number), as both APIs take it. */
    private static void checkData(JsonNode data, String where) {
        if (!data.isObject() || data.isEmpty()) {
            throw new InvalidMessageException(where + " must be an object of the template's keys, each "
                    + "{\"value\":…}");
        }
        for (Iterator<Map.Entry<String, JsonNode>> entries = data.fields(); entries.hasNext();) {
            Map.Entry<String, JsonNode> entry = entries.next();
            JsonNode value = entry.getValue().isObject() ? entry.getValue().get("value") : null;
            if (value == null || !(value.isTextual() || value.isNumber())) {
                throw new InvalidMessageException(where + "." + StrictJson.excerpt(entry.getKey())
                        + " must be {\"value\":…} with a string or a number");
            }
        }
    }
}
