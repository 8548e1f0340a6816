package dev.kefurelay.message;

import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Walks a {@code kf/send_msg} body against {@link WeComFields} and names the first thing WeCom would refuse: the one
 * walk the component's checks and the sandbox's judgement share. The component turns a {@link Problem} into an
 * invalid-input text, the sandbox into WeCom's errcode.
 */
public final class WeComMessageCheck {

    /** What is wrong; the order of the checks below decides which one a message with several problems gets. */
    public enum What {
        MISSING, NOT_TEXT, NOT_NUMBER, NOT_OBJECT, TOO_LONG, OUT_OF_RANGE, UNKNOWN_TYPE, UNKNOWN_FIELD, TOO_MANY,
        BAD_MSGID
    }

    /**
     * The first problem found.
     *
     * @param path where, as a sender writes it: {@code msgmenu.list[1].view.url}
     * @param text the whole sentence, naming the field, for the sender
     */
    public record Problem(What what, String path, String text) {
    }

    private WeComMessageCheck() {
    }

    /**
     * @param message the body WeCom would receive
     * @param strict  refuse fields WeCom does not know (the component: a typo must not go out unnoticed); the
     *                sandbox, like WeCom, ignores them
     */
    public static Optional<Problem> check(JsonNode message, boolean strict) {
        return check(message, strict, Set.of());
    }

    /**
     * @param sourced the content object's id fields a media source stands in for (the component uploads it and
     *                fills the id in before the call): not missing although the message leaves them out
     */
    public static Optional<Problem> check(JsonNode message, boolean strict, Set<String> sourced) {
        if (message == null || !message.isObject()) {
            return problem(What.NOT_OBJECT, "", "the message must be a JSON object");
        }
        Optional<Problem> top = fields(message, WeComFields.MESSAGE, "", strict, msgtypeOf(message), Set.of());
        if (top.isPresent()) {
            return top;
        }
        JsonNode msgid = message.get("msgid");
        if (msgid != null && !msgid.isNull() && !msgid.asText().matches(WeComFields.MSGID_PATTERN)) {
            return problem(What.BAD_MSGID, "msgid", "msgid must be 1 to 32 characters of [0-9A-Za-z_-]");
        }
        String msgtype = message.get("msgtype").asText();
        if (!WeComFields.CONTENT.containsKey(msgtype)) {
            return problem(What.UNKNOWN_TYPE, "msgtype", "msgtype '" + StrictJson.excerpt(msgtype)
                    + "' is not one of WeCom's " + WeComFields.CONTENT.keySet());
        }
        return content(message.get(msgtype), msgtype, strict, sourced);
    }

    /** The content object of this type: {@code {"content":…}} of a text, a menu with its entries, … */
    public static Optional<Problem> content(JsonNode content, String msgtype, boolean strict) {
        return content(content, msgtype, strict, Set.of());
    }

    private static Optional<Problem> content(JsonNode content, String msgtype, boolean strict, Set<String> sourced) {
        if (content == null || content.isNull()) {
            return problem(What.MISSING, msgtype, msgtype + " is missing: msgtype '" + msgtype
                    + "' needs an object named '" + msgtype + "'");
        }
        if (!content.isObject()) {
            return problem(What.NOT_OBJECT, msgtype, "field '" + msgtype + "' must be an object");
        }
        Optional<Problem> own = fields(content, WeComFields.CONTENT.get(msgtype), msgtype + ".", strict,
                "msgmenu".equals(msgtype) ? "list" : null, sourced);
        return own.isPresent() || !"msgmenu".equals(msgtype) ? own : menu(content.get("list"), strict);
    }

    private static Optional<Problem> menu(JsonNode list, boolean strict) {
        String at = "msgmenu.list";
        if (list == null || list.isNull() || list.isArray() && list.isEmpty()) {
            return problem(What.MISSING, at, at + " is missing: a menu needs at least one entry");
        }
        if (!list.isArray()) {
            return problem(What.NOT_OBJECT, at, "field '" + at + "' must be an array");
        }
        if (list.size() > WeComFields.MENU_MAX_ITEMS) {
            return problem(What.TOO_MANY, at, at + " has " + list.size() + " entries: WeCom takes at most "
                    + WeComFields.MENU_MAX_ITEMS);
        }
        for (int i = 0; i < list.size(); i++) {
            String entry = at + "[" + i + "]";
            JsonNode item = list.get(i);
            if (!item.isObject()) {
                return problem(What.NOT_OBJECT, entry, "field '" + entry + "' must be an object");
            }
            JsonNode type = item.get("type");
            if (type == null || !type.isTextual() || type.asText().isBlank()) {
                return problem(What.MISSING, entry + ".type", entry + ".type is missing: one of "
                        + WeComFields.MENU_ITEMS.keySet());
            }
            WeComFields.Fields fields = WeComFields.MENU_ITEMS.get(type.asText());
            if (fields == null) {
                return problem(What.UNKNOWN_TYPE, entry + ".type", entry + ".type '" + StrictJson.excerpt(type.asText())
                        + "' is not one of " + WeComFields.MENU_ITEMS.keySet());
            }
            if (strict) {
                Optional<String> other = unknown(item, Set.of("type", type.asText()));
                if (other.isPresent()) {
                    return problem(What.UNKNOWN_FIELD, entry + "." + other.get(), "unknown field '" + entry + "."
                            + StrictJson.excerpt(other.get()) + "' in a " + type.asText() + " entry");
                }
            }
            JsonNode object = item.get(type.asText());
            String named = entry + "." + type.asText();
            if (object == null || object.isNull()) {
                return problem(What.MISSING, named, named + " is missing: a " + type.asText()
                        + " entry needs an object named '" + type.asText() + "'");
            }
            if (!object.isObject()) {
                return problem(What.NOT_OBJECT, named, "field '" + named + "' must be an object");
            }
            Optional<Problem> p = fields(object, fields, named + ".", strict, null, Set.of());
            if (p.isPresent()) {
                return p;
            }
        }
        return Optional.empty();
    }

    /**
     * Each field of the table (presence, kind, length, range), then, when strict, fields the table lacks. A missing
     * id that a source could stand in for names the sources to the component's sender (the sandbox, like WeCom,
     * knows none).
     */
    private static Optional<Problem> fields(JsonNode object, WeComFields.Fields fields, String prefix, boolean strict,
            String alsoAllowed, Set<String> sourced) {
        for (WeComFields.Field field : fields.fields()) {
            String at = prefix + field.name();
            JsonNode value = object.get(field.name());
            if (value == null || value.isNull() || value.isTextual() && value.asText().isBlank()) {
                if (field.required() && !sourced.contains(field.name())) {
                    boolean media = strict && WeComFields.MEDIA_FIELDS.getOrDefault(prefix.isEmpty() ? ""
                            : prefix.substring(0, prefix.length() - 1), Map.of()).containsKey(field.name());
                    return problem(What.MISSING, at, at + " is missing" + (media ? ": " + MessageFields.sourcesFor(
                            field.name()) : ""));
                }
                continue;
            }
            Optional<Problem> p = value(value, field, at);
            if (p.isPresent()) {
                return p;
            }
        }
        if (strict) {
            Set<String> known = new java.util.HashSet<>();
            fields.fields().forEach(f -> known.add(f.name()));
            if (alsoAllowed != null) {
                known.add(alsoAllowed);
            }
            Optional<String> other = unknown(object, known);
            if (other.isPresent()) {
                return problem(What.UNKNOWN_FIELD, prefix + other.get(), "unknown field '" + prefix
                        + StrictJson.excerpt(other.get()) + "'");
            }
        }
        return Optional.empty();
    }

    private static Optional<Problem> value(JsonNode value, WeComFields.Field field, String at) {
        switch (field.kind()) {
            case STRING -> {
                if (!value.isTextual()) {
                    return problem(What.NOT_TEXT, at, "field '" + at + "' must be a string");
                }
                int bytes = value.asText().getBytes(StandardCharsets.UTF_8).length;
                if (field.maxBytes() > 0 && bytes > field.maxBytes()) {
                    return problem(What.TOO_LONG, at, at + " is " + bytes + " bytes (UTF-8): WeCom takes at most "
                            + field.maxBytes());
                }
            }
            case NUMBER -> {
                if (!value.isNumber()) {
                    return problem(What.NOT_NUMBER, at, "field '" + at + "' must be a number");
                }
                if (field.maxAbs() > 0 && Math.abs(value.asDouble()) > field.maxAbs()) {
                    return problem(What.OUT_OF_RANGE, at, at + " is " + value.asText() + ": it must lie between -"
                            + (int) field.maxAbs() + " and " + (int) field.maxAbs());
                }
            }
            case INTEGER -> {
                if (!value.isIntegralNumber()) {
                    return problem(What.NOT_NUMBER, at, "field '" + at + "' must be a whole number");
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<String> unknown(JsonNode object, Set<String> known) {
        for (Iterator<String> names = object.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!known.contains(name)) {
                return Optional.of(name);
            }
        }
        return Optional.empty();
    }

    /** The type's object is allowed at the top level beside the table's fields. */
    private static String msgtypeOf(JsonNode message) {
        JsonNode msgtype = message.get("msgtype");
        return msgtype != null && msgtype.isTextual() ? msgtype.asText() : null;
    }

    private static Optional<Problem> problem(What what, String path, String text) {
        return Optional.of(new Problem(what, path, text));
    }
}
