package dev.kefurelay.message;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The body of {@code POST /cgi-bin/message/custom/send}, field for field as WeChat names them.
 * Exactly one content object is set: the one named by {@code msgtype}. Which fields are required is not said
 * here but in {@link MessageFields}, the table the sandbox shares; {@code MessageFieldsTest} keeps the two in step.
 * It holds the fields of every account kind ({@code link} and {@code businessid} are a Mini Program's); which of
 * them an account takes is its kind's table. {@code aimsgcontext} is passed on as given: its shape is not settled.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record KefuMessage(
        String touser,
        String msgtype,
        Text text,
        Media image,
        Media voice,
        Video video,
        Music music,
        News news,
        Media mpnews,
        MpNewsArticle mpnewsarticle,
        MsgMenu msgmenu,
        WxCard wxcard,
        MiniProgramPage miniprogrampage,
        Link link,
        CustomService customservice,
        String businessid,
        ObjectNode aimsgcontext) {

    /** The message types an Official Account's custom/send accepts, in WeChat's spelling. */
    public static final List<String> TYPES = List.copyOf(MessageFields.CONTENT.keySet());

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The custom/send body of this message, as WeChat names the fields. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a message of strings and JSON objects is always serialisable", e);
        }
    }

    /** The content object named by {@code msgtype}, or null when it is absent or the type is unknown. */
    public Object content() {
        if (msgtype == null) {
            return null;
        }
        return switch (msgtype) {
            case "text" -> text;
            case "image" -> image;
            case "voice" -> voice;
            case "video" -> video;
            case "music" -> music;
            case "news" -> news;
            case "mpnews" -> mpnews;
            case "mpnewsarticle" -> mpnewsarticle;
            case "msgmenu" -> msgmenu;
            case "wxcard" -> wxcard;
            case "miniprogrampage" -> miniprogrampage;
            case "link" -> link;
            default -> null;
        };
    }

    /** A plain text message, the shape used when a caller hands us only a string and a user. */
    public static KefuMessage text(String touser, String content) {
        return new KefuMessage(touser, "text", new Text(content), null, null, null, null, null, null, null, null,
                null, null, null, null, null, null);
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Text(String content) {
    }

    /** image, voice and mpnews all carry only a media_id. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Media(String media_id) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Video(String media_id, String thumb_media_id, String title, String description) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Music(String title, String description, String musicurl, String hqmusicurl,
            String thumb_media_id) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record News(List<Article> articles) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Article(String title, String description, String url, String picurl) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record MpNewsArticle(String article_id) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record MsgMenu(String head_content, List<MenuItem> list, String tail_content) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record MenuItem(String id, String content) {
    }

    /** card_ext is a JSON text in a string (as wechatpy sends it), passed through untouched. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record WxCard(String card_id, String card_ext) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record MiniProgramPage(String title, String appid, String pagepath, String thumb_media_id) {
    }

    /** A Mini Program's link card; thumb_url is a picture's URL, not an uploaded media_id. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Link(String title, String description, String url, String thumb_url) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CustomService(String kf_account) {
    }
}
