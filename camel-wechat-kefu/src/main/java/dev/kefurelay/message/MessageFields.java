package dev.kefurelay.message;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Which fields each message object has and which of them WeChat requires: the one table the relay's checks
 * ({@link MessageValidator}) and the sandbox's judgement share, so a message the relay passes is never one its own
 * sandbox refuses. It follows WeChat's custom/send documentation; a field is required only where WeChat documents
 * it as required or refuses a message without it. An Official Account and a Mini Program post to the same URL but
 * take different messages: each {@link AccountKind} has its table ({@link #of}).
 */
public final class MessageFields {

    /**
     * The fields of one JSON object.
     *
     * @param required fields that must be present and not empty
     * @param optional fields that may be left out
     * @param lists    the fields (required or optional) that hold an array of objects, and what each entry is
     */
    public record Fields(List<String> required, List<String> optional, Map<String, ListOf> lists) {

        public Fields {
            required = List.copyOf(required);
            optional = List.copyOf(optional);
            lists = Map.copyOf(lists);
        }

        /** Every field the object may have, required first. */
        public List<String> all() {
            return Stream.concat(required.stream(), optional.stream()).toList();
        }

        /** Whether the object may have this field: {@code all().contains(key)} without making the list. */
        public boolean takes(String key) {
            return required.contains(key) || optional.contains(key);
        }
    }

    /**
     * An array of objects.
     *
     * @param entry what each entry holds
     * @param max   the most entries WeChat takes
     */
    public record ListOf(Fields entry, int max) {
    }

    /** One article of a {@code news} message; WeChat takes one (45008 for more). */
    public static final Fields ARTICLE = strings(List.of("title", "url"), List.of("description", "picurl"));
    public static final Fields MENU_ITEM = strings(List.of("id", "content"), List.of());
    public static final Fields CUSTOMSERVICE = strings(List.of("kf_account"), List.of());

    /**
     * Top-level keys besides the content object. {@code aimsgcontext} is documented for custom/send but its shape
     * is not settled ({@code {"msgid":…}} or {@code {"is_ai_msg":1}}), so any object is passed on as given.
     */
    public static final Fields MESSAGE = strings(List.of("touser", "msgtype"), List.of("customservice",
            "aimsgcontext"));

    /** msgtype → its content object, in WeChat's order of the types: what an Official Account takes. */
    public static final Map<String, Fields> CONTENT = content();

    /**
     * A Mini Program's top-level keys: no {@code customservice} (its customer service has no kf accounts to pick),
     * and {@code businessid}, the sub-merchant (客服子商户) the message is sent as, passed on as given.
     */
    public static final Fields MINIPROGRAM_MESSAGE = strings(List.of("touser", "msgtype"), List.of("businessid",
            "aimsgcontext"));

    /**
     * What a Mini Program takes, from its customerServiceMessage.send page: four types, every field required; its
     * miniprogrampage has no appid (the card always opens the sending Mini Program), and {@code link} is its own.
     */
    public static final Map<String, Fields> MINIPROGRAM_CONTENT = miniProgramContent();

    /**
     * msgtype → its id fields that a media source may stand in for → the media/upload {@code type} of that content.
     * A miniprogrampage's card picture is an image (WeChat's page: "小程序卡片图片的媒体ID"), a music or video thumb a
     * thumb. mpnews takes no source: its media_id is a news item, not an uploaded file.
     */
    public static final Map<String, Map<String, String>> MEDIA_FIELDS = Map.of(
            "image", Map.of("media_id", "image"),
            "voice", Map.of("media_id", "voice"),
            "video", Map.of("media_id", "video", "thumb_media_id", "thumb"),
            "music", Map.of("thumb_media_id", "thumb"),
            "miniprogrampage", Map.of("thumb_media_id", "image"));

    /** One account kind's table: its top-level keys and msgtype → content object. */
    public record Kind(Fields message, Map<String, Fields> content) {

        public Kind {
            content = Collections.unmodifiableMap(new LinkedHashMap<>(content));
        }

        /** The types it takes, in WeChat's order. */
        public List<String> types() {
            return List.copyOf(content.keySet());
        }
    }

    private static final Map<AccountKind, Kind> KINDS = Map.of(
            AccountKind.OFFICIAL, new Kind(MESSAGE, CONTENT),
            AccountKind.MINIPROGRAM, new Kind(MINIPROGRAM_MESSAGE, MINIPROGRAM_CONTENT));

    /** The source kinds that may stand in for an id field: a file and a URL. */
    public static final List<String> SOURCE_KINDS = List.of("file", "source_url");

    private MessageFields() {
    }

    /** The table of an account kind. */
    public static Kind of(AccountKind kind) {
        return KINDS.get(kind);
    }

    /** Whether any kind of account takes this msgtype: one no kind takes is unknown, not merely refused. */
    public static boolean anyKindTakes(String msgtype) {
        return KINDS.values().stream().anyMatch(k -> k.content().containsKey(msgtype));
    }

    /** The key of a source for an id field: {@code file} for media_id, {@code thumb_file} for thumb_media_id. */
    public static String sourceKey(String idField, String kind) {
        return idField.startsWith("thumb_") ? "thumb_" + kind : kind;
    }

    /** What a sender may give for a missing id field: {@code give media_id, file (…) or source_url (…)}. */
    public static String sourcesFor(String idField) {
        return "give " + idField + ", " + sourceKey(idField, "file") + " (a file in the media folder) or "
                + sourceKey(idField, "source_url") + " (an http(s) URL)";
    }

    private static Map<String, Fields> content() {
        Map<String, Fields> m = new LinkedHashMap<>();
        m.put("text", strings(List.of("content"), List.of()));
        m.put("image", strings(List.of("media_id"), List.of()));
        m.put("voice", strings(List.of("media_id"), List.of()));
        // wechatpy never sends a thumb for video, and one report says WeChat errors on it: optional
        m.put("video", strings(List.of("media_id"), List.of("thumb_media_id", "title", "description")));
        m.put("music", strings(List.of("musicurl", "hqmusicurl", "thumb_media_id"), List.of("title", "description")));
        m.put("news", new Fields(List.of("articles"), List.of(), Map.of("articles", new ListOf(ARTICLE, 1))));
        // deprecated by WeChat in favour of mpnewsarticle; still accepted
        m.put("mpnews", strings(List.of("media_id"), List.of()));
        m.put("mpnewsarticle", strings(List.of("article_id"), List.of()));
        m.put("msgmenu", new Fields(List.of("list"), List.of("head_content", "tail_content"),
                Map.of("list", new ListOf(MENU_ITEM, Integer.MAX_VALUE))));
        // card_ext is a JSON string, as wechatpy sends it
        m.put("wxcard", strings(List.of("card_id"), List.of("card_ext")));
        m.put("miniprogrampage", strings(List.of("appid", "pagepath", "thumb_media_id"), List.of("title")));
        return Collections.unmodifiableMap(m);
    }

    private static Map<String, Fields> miniProgramContent() {
        Map<String, Fields> m = new LinkedHashMap<>();
        m.put("text", strings(List.of("content"), List.of()));
        m.put("image", strings(List.of("media_id"), List.of()));
        m.put("link", strings(List.of("title", "description", "url", "thumb_url"), List.of()));
        m.put("miniprogrampage", strings(List.of("title", "pagepath", "thumb_media_id"), List.of()));
        return Collections.unmodifiableMap(m);
    }

    private static Fields strings(List<String> required, List<String> optional) {
        return new Fields(required, optional, Map.of());
    }
}
