package dev.kefurelay.wecom;

import static dev.kefurelay.util.Strings.blankToNull;

import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kefurelay.message.InvalidMessageException;
import dev.kefurelay.message.MessageReader;
import dev.kefurelay.message.StrictJson;
import dev.kefurelay.message.WeComMessageCheck;
import dev.kefurelay.token.OptionNames;

/**
 * Reads a WeCom 微信客服 message: kf/send_msg's body as WeCom names the fields (touser = the customer's
 * external_userid, open_kfid, msgtype and its object) plus the envelope keys {@code id} (a string or a whole number,
 * as for Official Accounts) and {@code corpid}, which never reach WeCom. {@code msgid} may stand in for {@code id}.
 * Checked against {@code WeComFields} before any call; a problem fails with an {@link InvalidMessageException}
 * naming the field.
 */
public final class WeComMessageReader {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String defaultCorpid;
    private final OptionNames names;

    public WeComMessageReader(String defaultCorpid, OptionNames names) {
        this.defaultCorpid = blankToNull(defaultCorpid);
        this.names = names;
    }

    /**
     * Whether a body is meant for WeCom: a JSON object with {@code open_kfid} at its top. Cheap for all others (a
     * text search), so Official Account messages pay nothing for it.
     */
    public static boolean isWeCom(String body) {
        if (body == null || !body.contains("\"open_kfid\"")) {
            return false;
        }
        try {
            JsonNode tree = JSON.readTree(body);
            return tree != null && tree.isObject() && tree.has("open_kfid");
        } catch (java.io.IOException e) {
            // not JSON: the Official Account reader names what is wrong with it
            return false;
        }
    }

    public WeComMessage read(String body) {
        if (body == null || body.isBlank()) {
            throw new InvalidMessageException("the message is empty");
        }
        if (body.length() > MessageReader.MAX_BYTES / 3
                && body.getBytes(StandardCharsets.UTF_8).length > MessageReader.MAX_BYTES) {
            throw new InvalidMessageException("the message is larger than " + MessageReader.MAX_BYTES / 1024 + " KB");
        }
        JsonNode tree = StrictJson.parse(body.strip(), "the message");
        if (!(tree instanceof ObjectNode object)) {
            throw new InvalidMessageException("the message must be a JSON object");
        }
        String corpid = firstNonNull(text(object.remove("corpid"), "corpid"), defaultCorpid);
        if (corpid == null) {
            throw new InvalidMessageException("corpid is missing: name the WeCom corp in the message's 'corpid', or "
                    + "set " + names.name("wecom-corpid"));
        }
        String id = envelopeId(object.remove("id"));
        JsonNode givenMsgid = object.remove("msgid");
        if (givenMsgid != null && !givenMsgid.isNull()) {
            if (id != null) {
                throw new InvalidMessageException("the message gives both 'id' and 'msgid': give 'id' (the component "
                        + "makes WeCom's msgid of it)");
            }
            id = text(givenMsgid, "msgid");
        }
        WeComMessageCheck.check(object, true).ifPresent(p -> {
            throw new InvalidMessageException(p.text());
        });
        String msgid = id == null ? WeComMsgid.random() : WeComMsgid.of(id);
        String msgtype = object.get("msgtype").asText();
        return new WeComMessage(corpid, object.get("open_kfid").asText(), object.get("touser").asText(), msgtype, id,
                msgid, payload(object, msgid));
    }

    /** WeCom's order: touser, open_kfid, msgid, msgtype, then the type's object (and anything else as given). */
    private static String payload(ObjectNode message, String msgid) {
        ObjectNode out = JSON.createObjectNode();
        out.set("touser", message.get("touser"));
        out.set("open_kfid", message.get("open_kfid"));
        out.put("msgid", msgid);
        out.set("msgtype", message.get("msgtype"));
        for (Iterator<Map.Entry<String, JsonNode>> fields = message.fields(); fields.hasNext();) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (!out.has(field.getKey())) {
                out.set(field.getKey(), field.getValue());
            }
        }
        return out.toString();
    }

    private static String text(JsonNode node, String name) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new InvalidMessageException("field '" + name + "' must be a string");
        }
        return blankToNull(node.asText());
    }

    /** As for Official Accounts: a string or a whole number (order numbers often are); 1001 and "1001" are one id. */
    private static String envelopeId(JsonNode node) {
        if (node == null || node.isNull() || node.isTextual()) {
            return text(node, "id");
        }
        if (node.isIntegralNumber()) {
            return node.bigIntegerValue().toString();
        }
        throw new InvalidMessageException("field 'id' must be a string or a whole number");
    }

    private static String firstNonNull(String a, String b) {
        return a != null ? a : b;
    }
}
