package dev.kefurelay.wecom;

import static dev.kefurelay.util.Strings.blankToNull;

import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kefurelay.message.InvalidMessageException;
import dev.kefurelay.message.MediaInput;
import dev.kefurelay.message.MediaRef;
import dev.kefurelay.message.MediaSources;
import dev.kefurelay.message.MessageReader;
import dev.kefurelay.message.StrictJson;
import dev.kefurelay.message.WeComFields;
import dev.kefurelay.message.WeComMessageCheck;
import dev.kefurelay.token.OptionNames;

/**
 * Reads a WeCom 微信客服 message: kf/send_msg's body as WeCom names the fields (touser = the customer's
 * external_userid, open_kfid, msgtype and its object) plus the envelope keys {@code id} (a string or a whole number,
 * as for Official Accounts) and {@code corpid}, which never reach WeCom. {@code msgid} may stand in for {@code id}.
 * A message with {@code code} (and {@code open_kfid}, no {@code touser}) answers an event instead. An image, voice,
 * video or file, and a link's or card's picture, may name a media source in place of its id, as Official Account
 * messages do ({@code file}, {@code source_url}, {@code thumb_file}, {@code thumb_source_url}).
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
        return read(body, MediaInput.NONE);
    }

    /**
     * @param input the folder of the message's {@code file} sources (null: the configured media folder) and bytes for
     *              an id it leaves out, as for Official Account messages
     */
    public WeComMessage read(String body, MediaInput input) {
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
        String id = MessageReader.envelopeId(object.remove("id"));
        JsonNode givenMsgid = object.remove("msgid");
        if (givenMsgid != null && !givenMsgid.isNull()) {
            if (id != null) {
                throw new InvalidMessageException("the message gives both 'id' and 'msgid': give 'id' (the component "
                        + "makes WeCom's msgid of it)");
            }
            id = text(givenMsgid, "msgid");
        }
        String msgid = id == null ? WeComMsgid.random() : WeComMsgid.of(id);
        if (object.has("code")) {
            return eventAnswer(object, corpid, id, msgid);
        }
        if (object.has("fallback")) {
            throw new InvalidMessageException("field 'fallback' does not belong in a WeCom message: WeCom 微信客服 has "
                    + "no template or subscribe message to send outside the customer's window");
        }
        // the sources come out of the content object before the check: their ids are filled in once uploaded
        JsonNode type = object.get("msgtype");
        List<MediaRef> media = type != null && type.isTextual() && object.get(type.asText()) instanceof ObjectNode
                content ? MediaSources.take(WeComFields.MEDIA_FIELDS, type.asText(), content, input) : List.of();
        WeComMessageCheck.check(object, true, media.stream().map(MediaRef::field).collect(Collectors.toSet()))
                .ifPresent(p -> {
                    throw new InvalidMessageException(p.text());
                });
        String msgtype = object.get("msgtype").asText();
        return new WeComMessage(corpid, object.get("open_kfid").asText(), object.get("touser").asText(), null, msgtype,
                id, msgid, payload(object, msgid), media);
    }

    /**
     * An answer to an event ({@code code}: a welcome_code, a msg_code): text or a menu, sent with send_msg_on_event
     * within the code's time. {@code open_kfid} names the kf account (for its corp and its msgids) and is not sent.
     */
    private static WeComMessage eventAnswer(ObjectNode object, String corpid, String id, String msgid) {
        String openKfid = text(object.remove("open_kfid"), "open_kfid");
        String code = text(object.get("code"), "code");
        if (openKfid == null || code == null) {
            throw new InvalidMessageException((openKfid == null ? "open_kfid" : "code") + " is missing: an answer to "
                    + "an event names its kf account (open_kfid) and the event's code");
        }
        JsonNode type = object.get("msgtype");
        String msgtype = type != null && type.isTextual() ? type.asText() : null;
        if (msgtype == null || !WeComFields.EVENT_TYPES.contains(msgtype)) {
            throw new InvalidMessageException("msgtype '" + (msgtype == null ? "" : StrictJson.excerpt(msgtype))
                    + "' cannot answer an event: send_msg_on_event takes " + WeComFields.EVENT_TYPES);
        }
        for (Iterator<String> names = object.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!name.equals("code") && !name.equals("msgtype") && !name.equals(msgtype)) {
                throw new InvalidMessageException("unknown field '" + StrictJson.excerpt(name) + "' in an answer to an "
                        + "event (code, msgtype and its object)");
            }
        }
        WeComMessageCheck.content(object.get(msgtype), msgtype, true).ifPresent(p -> {
            throw new InvalidMessageException(p.text());
        });
        ObjectNode out = JSON.createObjectNode();
        out.put("code", code);
        out.put("msgid", msgid);
        out.put("msgtype", msgtype);
        out.set(msgtype, object.get(msgtype));
        return new WeComMessage(corpid, openKfid, null, code, msgtype, id, msgid, out.toString(), List.of());
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

    private static String firstNonNull(String a, String b) {
        return a != null ? a : b;
    }
}
