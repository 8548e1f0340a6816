package dev.kefurelay.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * Judges a custom/send (or typing) body like WeChat: which check fails first decides the errcode, so the order of
 * the checks below is part of the behaviour.
 */
final class MessageValidator {

    /**
     * Required fields per msgtype: every field of the table in WECHAT-API.md except the ones it marks optional
     * (wxcard.card_ext). Being as strict as that table means a message the relay passes is one WeChat takes.
     */
    private static final Map<String, List<String>> REQUIRED = Map.ofEntries(
            Map.entry("text", List.of("content")),
            Map.entry("image", List.of("media_id")),
            Map.entry("voice", List.of("media_id")),
            Map.entry("mpnews", List.of("media_id")),
            Map.entry("video", List.of("media_id", "thumb_media_id", "title", "description")),
            Map.entry("music", List.of("title", "description", "musicurl", "hqmusicurl", "thumb_media_id")),
            Map.entry("news", List.of("articles")),
            Map.entry("mpnewsarticle", List.of("article_id")),
            Map.entry("msgmenu", List.of("head_content", "list", "tail_content")),
            Map.entry("wxcard", List.of("card_id")),
            Map.entry("miniprogrampage", List.of("title", "appid", "pagepath", "thumb_media_id")));

    private static final List<String> ARTICLE_FIELDS = List.of("title", "description", "url", "picurl");
    private static final List<String> MENU_ITEM_FIELDS = List.of("id", "content");

    private MessageValidator() {
    }

    static boolean knownType(String msgtype) {
        return msgtype != null && REQUIRED.containsKey(msgtype);
    }

    /** Returns the touser once the body is a message WeChat would accept. */
    static String validate(JsonNode message) {
        String touser = requireTouser(message);
        String msgtype = Json.text(message, "msgtype");
        if (!knownType(msgtype)) {
            throw new ApiException(ErrorCodes.INVALID_MESSAGE_TYPE);
        }
        JsonNode content = message.get(msgtype);
        if (content == null || !content.isObject()) {
            throw new ApiException(ErrorCodes.DATA_FORMAT_ERROR);
        }
        requireFields(content, REQUIRED.get(msgtype));
        if (msgtype.equals("news")) {
            checkArticles(content.get("articles"));
        } else if (msgtype.equals("msgmenu")) {
            checkItems(content.get("list"), MENU_ITEM_FIELDS);
        }
        return touser;
    }

    static String requireTouser(JsonNode message) {
        String touser = Json.text(message, "touser");
        if (touser == null || touser.isEmpty()) {
            throw new ApiException(ErrorCodes.INVALID_OPENID);
        }
        return touser;
    }

    private static void checkArticles(JsonNode articles) {
        // The size limit is checked before the articles' contents: WeChat answers 45008 for two valid articles.
        if (articles.isArray() && articles.size() > 1) {
            throw new ApiException(ErrorCodes.ARTICLE_SIZE_OUT_OF_LIMIT);
        }
        checkItems(articles, ARTICLE_FIELDS);
    }

    private static void checkItems(JsonNode items, List<String> fields) {
        if (!items.isArray() || items.isEmpty()) {
            throw new ApiException(ErrorCodes.DATA_FORMAT_ERROR);
        }
        for (JsonNode item : items) {
            if (!item.isObject()) {
                throw new ApiException(ErrorCodes.DATA_FORMAT_ERROR);
            }
            requireFields(item, fields);
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
