package dev.kefurelay.message;

import java.util.Iterator;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Checks a message against {@link MessageFields} before anything is sent, so that WeChat never sees a message we
 * already know it will refuse, and the sender learns which field to fix. Types and unknown fields inside the
 * objects are checked when the tree is mapped onto {@link KefuMessage}; this class checks presence and counts.
 */
public final class MessageValidator {

    private MessageValidator() {
    }

    /** @param message the body WeChat would receive, envelope keys already taken out; for an Official Account */
    public static void validate(JsonNode message) {
        validate(message, Set.of());
    }

    /** As {@link #validate(JsonNode, Set, AccountKind)} for an Official Account. */
    public static void validate(JsonNode message, Set<String> sourced) {
        validate(message, sourced, AccountKind.OFFICIAL);
    }

    /**
     * @param sourced the content object's id fields (media_id, thumb_media_id) that a media source fills in before
     *                the message is sent: present for this check
     * @param kind    the sending account's kind, whose table ({@link MessageFields#of}) the message must fit
     */
    public static void validate(JsonNode message, Set<String> sourced, AccountKind kind) {
        require(message, "touser", "touser is missing");
        String msgtype = message.path("msgtype").asText(null);
        checkType(msgtype, kind);
        MessageFields.Kind table = kind.fields();
        for (Iterator<String> keys = message.fieldNames(); keys.hasNext();) {
            String key = keys.next();
            if (!key.equals(msgtype) && !table.message().takes(key)) {
                // another type's object (an "image" beside msgtype text) would be posted too
                throw new InvalidMessageException("field '" + StrictJson.excerpt(key) + "' does not belong in a "
                        + msgtype + " message" + (kind == AccountKind.OFFICIAL ? "" : " of " + article(kind)));
            }
        }
        JsonNode content = message.get(msgtype);
        if (content == null || content.isNull()) {
            throw new InvalidMessageException(msgtype + " is missing: msgtype '" + msgtype
                    + "' needs an object named '" + msgtype + "'");
        }
        check(content, table.content().get(msgtype), msgtype, sourced, kind);
        JsonNode customservice = message.get("customservice");
        if (customservice != null && !customservice.isNull()) {
            check(customservice, MessageFields.CUSTOMSERVICE, "customservice", Set.of(), kind);
        }
    }

    /**
     * Checked on its own too, before the content is read: an unknown type explains an unknown field. A type that
     * another kind of account takes is named with the kind that does not, so the sender sees which of the two to
     * change: the message, or the account's kind.
     */
    static void checkType(String msgtype, AccountKind kind) {
        if (msgtype == null || msgtype.isBlank()) {
            throw new InvalidMessageException("msgtype is missing");
        }
        List<String> takes = kind.fields().types();
        if (takes.contains(msgtype)) {
            return;
        }
        if (!MessageFields.anyKindTakes(msgtype)) {
            throw new InvalidMessageException("msgtype '" + StrictJson.excerpt(msgtype) + "' is not one of " + takes);
        }
        throw new InvalidMessageException("msgtype '" + msgtype + "' is not taken by " + article(kind) + ": "
                + article(kind) + " takes " + String.join(", ", takes));
    }

    /** "an official account", "a miniprogram account": the kind as the relay's setting spells it. */
    private static String article(AccountKind kind) {
        return (kind == AccountKind.OFFICIAL ? "an " : "a ") + kind.wireName() + " account";
    }

    private static void check(JsonNode object, MessageFields.Fields fields, String path, Set<String> sourced,
            AccountKind kind) {
        for (Iterator<String> keys = object.fieldNames(); keys.hasNext();) {
            String key = keys.next();
            // the model holds every kind's fields (a miniprogrampage's appid): the kind's table says which it takes
            if (!fields.takes(key) && !object.get(key).isNull()) {
                throw new InvalidMessageException("field '" + path + "." + StrictJson.excerpt(key) + "' is not taken by "
                        + article(kind));
            }
        }
        for (String field : fields.required()) {
            MessageFields.ListOf list = fields.lists().get(field);
            if (sourced.contains(field)) {
                continue;
            }
            if (list == null && MessageFields.MEDIA_FIELDS.getOrDefault(path, java.util.Map.of()).containsKey(field)) {
                require(object, field, path + "." + field + " is missing: " + MessageFields.sourcesFor(field));
            } else if (list == null) {
                require(object, field, path + "." + field + " is missing");
            } else if (!object.path(field).isArray() || object.get(field).isEmpty()) {
                throw new InvalidMessageException(path + "." + field + " is missing: " + path + " needs "
                        + (list.max() == 1 ? "exactly one entry" : "at least one entry"));
            }
        }
        fields.lists().forEach((field, list) -> {
            JsonNode entries = object.path(field);
            String at = path + "." + field;
            // WeChat answers 45008 for more than one article; refusing here keeps the error next to the input
            if (entries.size() > list.max()) {
                throw new InvalidMessageException(at + " has " + entries.size() + " entries: WeChat takes at most "
                        + list.max() + (list.max() == 1 ? " (45008 otherwise)" : ""));
            }
            for (int i = 0; i < entries.size(); i++) {
                if (entries.get(i).isNull()) {
                    throw new InvalidMessageException(at + "[" + i + "] is missing");
                }
                check(entries.get(i), list.entry(), at + "[" + i + "]", Set.of(), kind);
            }
        });
    }

    private static void require(JsonNode object, String field, String error) {
        JsonNode value = object.get(field);
        if (value == null || value.isNull() || value.asText().isBlank()) {
            throw new InvalidMessageException(error);
        }
    }
}
