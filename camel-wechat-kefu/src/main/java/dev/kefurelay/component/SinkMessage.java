package dev.kefurelay.component;

import static dev.kefurelay.util.Strings.blankToNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kefurelay.message.InvalidMessageException;
import dev.kefurelay.message.StrictJson;

/**
 * Shapes a body for an endpoint that names {@code touser}, {@code msgtype} or {@code kfAccount} (as the
 * {@code wechat-kefu-sink} Kamelet's does) into a whole message. The body may be
 * <ul>
 * <li>a whole message (a JSON object with {@code msgtype} or {@code touser}): only what it lacks is filled in
 *     ({@code touser}, {@code customservice.kf_account}); what the message says itself wins;</li>
 * <li>the content object of the endpoint's {@code msgtype} (e.g. {@code {"media_id":"…"}} for image);</li>
 * <li>plain text, sent as a text message (only with msgtype text).</li>
 * </ul>
 * The recipient is the endpoint's {@code touser}, else the header {@code KefuToUser}. Everything else (types,
 * required fields) is checked by the message reader after it, so the rules live in one place.
 */
public final class SinkMessage {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SinkMessage() {
    }

    /**
     * @param body      what the route handed over
     * @param touser    the recipient when the body names none, or null
     * @param kfAccount the customer-service account to send as when the body names none, or null
     * @param msgtype   the type of a content-object or plain-text body; null or blank means text
     * @return the message JSON
     */
    public static String shape(String body, String touser, String kfAccount, String msgtype) {
        if (body == null || body.isBlank()) {
            throw new InvalidMessageException("the message is empty");
        }
        String type = firstNonBlank(msgtype, "text");
        touser = blankToNull(touser);
        kfAccount = blankToNull(kfAccount);
        String trimmed = body.strip();
        ObjectNode message;
        if (trimmed.startsWith("{")) {
            ObjectNode object = parseObject(trimmed);
            if (object.has("msgtype") || object.has("touser")) {
                if ((touser == null || object.hasNonNull("touser")) && (kfAccount == null || hasKfAccount(object))) {
                    return body; // nothing to add: handed on exactly as written
                }
                message = object;
            } else {
                message = JSON.createObjectNode();
                message.put("msgtype", type);
                message.set(type, object);
            }
        } else {
            if (!"text".equals(type)) {
                throw new InvalidMessageException("a plain-text body can only be sent as msgtype text, not '" + type
                        + "': hand over the " + type + " object as JSON");
            }
            if (touser == null) {
                throw new InvalidMessageException("touser is missing: set the endpoint's touser or the KefuToUser "
                        + "header");
            }
            message = JSON.createObjectNode();
            message.put("msgtype", "text");
            message.putObject("text").put("content", body);
        }
        if (touser != null && !message.hasNonNull("touser")) {
            // WeChat's field order: touser first
            message.remove("touser");
            ObjectNode ordered = JSON.createObjectNode().put("touser", touser);
            ordered.setAll(message);
            message = ordered;
        }
        if (kfAccount != null && !hasKfAccount(message)) {
            JsonNode cs = message.get("customservice");
            (cs instanceof ObjectNode o ? o : message.putObject("customservice")).put("kf_account", kfAccount);
        }
        return message.toString();
    }

    private static boolean hasKfAccount(ObjectNode message) {
        return message.path("customservice").hasNonNull("kf_account");
    }

    /** As strict as the message reader: a duplicate key would otherwise be dropped silently when the body is rewritten. */
    private static ObjectNode parseObject(String json) {
        if (StrictJson.parse(json, "the message") instanceof ObjectNode o) {
            return o;
        }
        throw new InvalidMessageException("the message must be a JSON object");
    }

    private static String firstNonBlank(String a, String b) {
        return blankToNull(a) != null ? a.strip() : blankToNull(b);
    }
}
