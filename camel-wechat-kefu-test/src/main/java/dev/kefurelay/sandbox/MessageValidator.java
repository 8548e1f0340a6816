package dev.kefurelay.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kefurelay.message.AccountKind;
import dev.kefurelay.message.MessageFields;
import java.util.List;

/**
 * Judges a custom/send (or typing) body like WeChat: which check fails first decides the errcode, so the order of
 * the checks below is part of the behaviour.
 */
final class MessageValidator {

    private MessageValidator() {
    }

    /** As {@link #validate(JsonNode, AccountKind)} for an Official Account. */
    static String validate(JsonNode message) {
        return validate(message, AccountKind.OFFICIAL);
    }

    /**
     * Returns the touser once the body is a message WeChat would accept from an account of this kind: a type the
     * kind does not take (a news to a Mini Program, a link to an Official Account) is an invalid message type.
     * Required fields come from the relay's own table ({@link MessageFields#of}): a message the relay passes must
     * not be refused here for a field WeChat does not require.
     */
    static String validate(JsonNode message, AccountKind kind) {
        String touser = requireTouser(message);
        String msgtype = Json.text(message, "msgtype");
        MessageFields.Fields fields = msgtype == null ? null : kind.fields().content().get(msgtype);
        if (fields == null) {
            throw new ApiException(ErrorCodes.INVALID_MESSAGE_TYPE);
        }
        JsonNode content = message.get(msgtype);
        if (content == null || !content.isObject()) {
            throw new ApiException(ErrorCodes.DATA_FORMAT_ERROR);
        }
        checkObject(content, fields);
        return touser;
    }

    static String requireTouser(JsonNode message) {
        String touser = Json.text(message, "touser");
        if (touser == null || touser.isEmpty()) {
            throw new ApiException(ErrorCodes.INVALID_OPENID);
        }
        return touser;
    }

    private static void checkObject(JsonNode object, MessageFields.Fields fields) {
        requireFields(object, fields.required());
        fields.lists().forEach((field, list) -> {
            JsonNode entries = object.get(field);
            if (entries != null) {
                checkEntries(entries, list);
            }
        });
    }

    private static void checkEntries(JsonNode entries, MessageFields.ListOf list) {
        // The count is checked before the entries' contents: WeChat answers 45008 for two valid articles.
        if (entries.isArray() && entries.size() > list.max()) {
            throw new ApiException(ErrorCodes.ARTICLE_SIZE_OUT_OF_LIMIT);
        }
        if (!entries.isArray() || entries.isEmpty()) {
            throw new ApiException(ErrorCodes.DATA_FORMAT_ERROR);
        }
        for (JsonNode entry : entries) {
            if (!entry.isObject()) {
                throw new ApiException(ErrorCodes.DATA_FORMAT_ERROR);
            }
            checkObject(entry, list.entry());
        }
    }

    private static void requireFields(JsonNode object, List<String> fields) {
        for (String field : fields) {
            JsonNode value = object.get(field);
            boolean missing = value == null || value.isNull() || (value.isTextual() && value.asText().isEmpty());
            if (missing) {
                throw new ApiException(ErrorCodes.DATA_FORMAT_ERROR);
            }
        }
    }
}
