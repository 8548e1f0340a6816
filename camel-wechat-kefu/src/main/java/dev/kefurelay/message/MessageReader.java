package dev.kefurelay.message;

import static dev.kefurelay.util.Strings.blankToNull;

import java.nio.charset.StandardCharsets;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonPointer;
import dev.kefurelay.wechat.Channel;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.type.LogicalType;

/**
 * Turns what a caller handed us (JSON text, or plain text plus a user) into an {@link OutboundMessage},
 * or fails with an {@link InvalidMessageException} that names the problem. Nothing is sent before this
 * has passed.
 */
public final class MessageReader {

    /** Larger bodies are refused: no customer-service message is anywhere near this size. */
    public static final int MAX_BYTES = 1024 * 1024;

    /** Maps the parsed tree onto the model; the text itself is read by {@link StrictJson}. */
    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            // {"touser":123} would otherwise become "123": WeChat wants strings, and a number there is a sender's bug
            .withCoercionConfig(LogicalType.Textual, c -> c
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .build();

    /** Writes the body from the tree; a null value counts as absent, as in the model ({@code NON_NULL}). */
    private static final ObjectMapper BODY = JsonMapper.builder()
            .disable(JsonNodeFeature.WRITE_NULL_PROPERTIES)
            .build();

    /** The envelope's keys: read here, never sent to WeChat. */
    private static final List<String> ENVELOPE = List.of("appid", "id", "fallback");

    private final String defaultAppid;
    private final AccountKinds kinds;

    /** @param defaultAppid the account used when a message names none; null when every message must name one */
    public MessageReader(String defaultAppid) {
        this(defaultAppid, new AccountKinds());
    }

    /** @param kinds each account's kind: a message is checked against its sending account's table */
    public MessageReader(String defaultAppid, AccountKinds kinds) {
        this.defaultAppid = blankToNull(defaultAppid);
        this.kinds = kinds;
    }

    /** The accounts' kinds this reader checks messages by. */
    public AccountKinds kinds() {
        return kinds;
    }

    /**
     * @param body          the message JSON, or plain text when {@code toUser} is given
     * @param appidOverride the sending account chosen by the transport (JMS property KefuAppId), or null
     * @param toUser        the recipient of a plain-text body (JMS property KefuToUser), or null
     */
    public OutboundMessage read(String body, String appidOverride, String toUser) {
        return read(body, appidOverride, toUser, MediaInput.NONE);
    }

    /**
     * As {@link #read(String, String, String)}, with what the transport hands over for media sources: the folder of
     * {@code file} sources, and bytes for an id the message leaves out.
     */
    public OutboundMessage read(String body, String appidOverride, String toUser, MediaInput media) {
        if (body == null || body.isBlank()) {
            throw new InvalidMessageException("the message is empty");
        }
        if (body.length() > MAX_BYTES / 3 && body.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw new InvalidMessageException("the message is larger than " + MAX_BYTES / 1024 + " KB");
        }
        String trimmed = body.strip();
        OutboundMessage read;
        if (blankToNull(toUser) != null && !trimmed.startsWith("{")) {
            // valid by construction: a non-blank recipient and a non-blank text
            read = new OutboundMessage(null, null, KefuMessage.text(toUser.strip(), body));
        } else {
            read = parse(trimmed, media == null ? MediaInput.NONE : media, blankToNull(appidOverride));
        }
        String appid = firstNonNull(blankToNull(appidOverride), read.appid(), defaultAppid);
        if (appid == null) {
            throw new InvalidMessageException("appid is missing: name the sending account in the message's "
                    + "'appid' (or the KefuAppId property)");
        }
        return read.withAppid(appid);
    }

    /**
     * Reads {@code {"touser":…,"command":"Typing"|"CancelTyping"}} (optionally with {@code appid}, and for a Mini
     * Program {@code businessid}), checked as strictly as a message, so a typo fails with invalid-input before
     * WeChat is called. The command carries the account's kind, which picks the path it is posted to.
     */
    public TypingCommand readTyping(String body, String appidOverride) {
        if (body == null || body.isBlank()) {
            throw new InvalidMessageException("the typing command is empty");
        }
        JsonNode tree = StrictJson.parse(body.strip(), "the typing command");
        if (!(tree instanceof ObjectNode object)) {
            throw new InvalidMessageException("the typing command must be a JSON object");
        }
        String appid = firstNonNull(blankToNull(appidOverride), string(object.remove("appid"), "appid"),
                defaultAppid);
        String touser = string(object.remove("touser"), "touser");
        String command = string(object.remove("command"), "command");
        String businessid = string(object.remove("businessid"), "businessid");
        if (object.size() > 0) {
            throw new InvalidMessageException("unknown field '" + StrictJson.excerpt(object.fieldNames().next()) + "'");
        }
        if (appid == null) {
            throw new InvalidMessageException("appid is missing: name the sending account in 'appid' (or the "
                    + "KefuAppId header)");
        }
        if (touser == null) {
            throw new InvalidMessageException("touser is missing");
        }
        if (!TypingCommand.TYPING.equals(command) && !TypingCommand.CANCEL_TYPING.equals(command)) {
            throw new InvalidMessageException("command must be 'Typing' or 'CancelTyping', not '"
                    + StrictJson.excerpt(command) + "'");
        }
        AccountKind kind = kinds.of(appid);
        if (businessid != null && kind != AccountKind.MINIPROGRAM) {
            throw new InvalidMessageException("businessid is for miniprogram accounts: " + appid + " is " + kind.wireName());
        }
        return new TypingCommand(appid, touser, command, businessid, kind);
    }

    private OutboundMessage parse(String json, MediaInput input, String appidOverride) {
        JsonNode tree = StrictJson.parse(json, "the message");
        if (!(tree instanceof ObjectNode object)) {
            throw new InvalidMessageException("the message must be a JSON object, not " + describe(tree.getNodeType()));
        }
        String appid = string(object.remove("appid"), "appid");
        String id = envelopeId(object.remove("id"));
        Fallback fallback = Fallback.read(object.remove("fallback"));
        // the sending account's kind decides which types and fields are taken: known before anything is read
        AccountKind kind = kinds.of(firstNonNull(appidOverride, appid, defaultAppid));
        if (fallback != null && kind == AccountKind.MINIPROGRAM && fallback.channel() == Channel.TEMPLATE) {
            throw new InvalidMessageException("fallback.msgtype 'template' is not taken by a miniprogram account (a "
                    + "Mini Program has no template messages): use 'subscribe'");
        }
        JsonNode msgtype = object.get("msgtype");
        if (msgtype != null && msgtype.isTextual()) {
            MessageValidator.checkType(msgtype.asText(), kind);
        }
        List<MediaRef> media = msgtype != null && msgtype.isTextual() && object.get(msgtype.asText()) instanceof
                ObjectNode content ? MediaSources.take(MessageFields.MEDIA_FIELDS, msgtype.asText(), content, input)
                : List.of();
        KefuMessage message = ModelMapper.map(object, KefuMessage.class);
        try {
            if (message == null) {
                // not plainly the model's shape: Jackson judges it, and its failure names the field
                message = STRICT.treeToValue(object, KefuMessage.class);
            }
        } catch (UnrecognizedPropertyException e) {
            throw new InvalidMessageException("unknown field '" + path(e) + "'");
        } catch (MismatchedInputException e) {
            throw new InvalidMessageException("field '" + path(e) + "' must be " + expected(e.getTargetType())
                    + ", not " + describe(object.at(pointer(e)).getNodeType()));
        } catch (JsonProcessingException e) {
            // Jackson's text may quote the input; the type of failure is enough to go on
            throw new InvalidMessageException("field '" + path(e) + "' could not be read: "
                    + e.getClass().getSimpleName());
        }
        MessageValidator.validate(object, media.isEmpty() ? Set.of()
                : media.stream().map(m -> m.field()).collect(Collectors.toSet()), kind);
        // the body is the tree just checked: the model holds the same fields (each value was mapped, not changed)
        // in the order the sender wrote them; with media sources it is made per attempt
        return new OutboundMessage(appid, id, message, media, media.isEmpty() ? body(json, object) : null, fallback);
    }

    /** The sender's text less the envelope when it can be cut so, else the tree written out (BodyText). */
    private static String body(String json, ObjectNode message) {
        String cut = BodyText.cut(json, ENVELOPE);
        if (cut != null) {
            return cut;
        }
        try {
            return BODY.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a parsed tree is always serialisable", e);
        }
    }

    /** The field's path as a sender writes it, e.g. {@code news.articles[0].title}, escaped: keys are input. */
    private static String path(JsonProcessingException e) {
        StringBuilder sb = new StringBuilder();
        if (e instanceof JsonMappingException m) {
            for (var ref : m.getPath()) {
                if (ref.getFieldName() != null) {
                    sb.append(sb.isEmpty() ? "" : ".").append(ref.getFieldName());
                } else if (ref.getIndex() >= 0) {
                    sb.append('[').append(ref.getIndex()).append(']');
                }
            }
        }
        return sb.isEmpty() ? "?" : StrictJson.excerpt(sb.toString());
    }

    private static JsonPointer pointer(JsonMappingException e) {
        JsonPointer pointer = JsonPointer.empty();
        for (var ref : e.getPath()) {
            pointer = ref.getFieldName() != null ? pointer.appendProperty(ref.getFieldName())
                    : pointer.appendIndex(ref.getIndex());
        }
        return pointer;
    }

    private static String expected(Class<?> type) {
        if (type == String.class) {
            return "a string";
        }
        if (type != null && (type.isArray() || Collection.class.isAssignableFrom(type))) {
            return "an array";
        }
        return "an object";
    }

    private static String describe(JsonNodeType type) {
        return switch (type) {
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case ARRAY -> "an array";
            case OBJECT, POJO -> "an object";
            case NULL, MISSING, BINARY -> type.name().toLowerCase();
        };
    }

    /** An envelope or command field that must be text: absent and null are the same; anything else is refused. */
    private static String string(JsonNode node, String name) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new InvalidMessageException("field '" + name + "' must be a string, not "
                    + describe(node.getNodeType()));
        }
        return blankToNull(node.asText());
    }

    /**
     * The caller's id may be a whole number too: order numbers often are, and 1001 and "1001" name the same order.
     * A fraction or an exponent is no id, so it is refused rather than guessed at. The rule of every message kind's
     * {@code id} (WeCom's too).
     */
    public static String envelopeId(JsonNode node) {
        if (node == null || node.isNull() || node.isTextual()) {
            return string(node, "id");
        }
        if (node.isIntegralNumber()) {
            return node.bigIntegerValue().toString();
        }
        throw new InvalidMessageException("field 'id' must be a string or a whole number, not "
                + (node.isNumber() ? "a number with a fraction or an exponent" : describe(node.getNodeType())));
    }

    private static String firstNonNull(String a, String b, String c) {
        return a != null ? a : b != null ? b : c;
    }
}
