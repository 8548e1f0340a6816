package dev.kefurelay;

import java.util.LinkedHashMap;
import java.util.Map;

/** One valid message of every type, as a sender would write it (WeChat's field names). */
public final class Samples {

    public static final String USER = "oUserOpenId000000000000001";

    private Samples() {
    }

    /** msgtype → the JSON object WeChat expects for it. */
    public static Map<String, String> contents() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("text", "{\"content\":\"您的订单已发货 🚚 <a href=\\\"https://example.com/o/1\\\">查看</a>\"}");
        m.put("image", "{\"media_id\":\"MEDIA_IMAGE\"}");
        m.put("voice", "{\"media_id\":\"MEDIA_VOICE\"}");
        m.put("video", "{\"media_id\":\"MEDIA_VIDEO\",\"thumb_media_id\":\"THUMB\",\"title\":\"开箱\",\"description\":\"视频\"}");
        m.put("music", "{\"title\":\"歌\",\"description\":\"d\",\"musicurl\":\"https://example.com/m.mp3\","
                + "\"hqmusicurl\":\"https://example.com/hq.mp3\",\"thumb_media_id\":\"THUMB\"}");
        m.put("news", "{\"articles\":[{\"title\":\"新品\",\"description\":\"d\",\"url\":\"https://example.com/a\","
                + "\"picurl\":\"https://example.com/p.png\"}]}");
        m.put("mpnews", "{\"media_id\":\"MEDIA_MPNEWS\"}");
        m.put("mpnewsarticle", "{\"article_id\":\"ARTICLE_1\"}");
        m.put("msgmenu", "{\"head_content\":\"您对本次服务是否满意?\",\"list\":[{\"id\":\"101\",\"content\":\"满意\"},"
                + "{\"id\":\"102\",\"content\":\"不满意\"}],\"tail_content\":\"欢迎再次光临\"}");
        m.put("wxcard", "{\"card_id\":\"CARD_1\"}");
        m.put("miniprogrampage", "{\"title\":\"小程序\",\"appid\":\"wxminiprogram01\",\"pagepath\":\"pages/index?id=1\","
                + "\"thumb_media_id\":\"THUMB\"}");
        return m;
    }

    /** The exact body WeChat should receive for this type. */
    public static String wechatBody(String msgtype) {
        return "{\"touser\":\"" + USER + "\",\"msgtype\":\"" + msgtype + "\",\"" + msgtype + "\":"
                + contents().get(msgtype) + "}";
    }

    /**
     * msgtype → the JSON object a Mini Program takes for it (customerServiceMessage.send): four types, a link of its
     * own and a miniprogrampage without appid.
     */
    public static Map<String, String> miniProgramContents() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("text", "{\"content\":\"您好，请问有什么可以帮您？\"}");
        m.put("image", "{\"media_id\":\"MEDIA_IMAGE\"}");
        m.put("link", "{\"title\":\"新品上架\",\"description\":\"点击查看详情\",\"url\":\"https://example.com/new?a=1&b=2\","
                + "\"thumb_url\":\"https://example.com/t.png\"}");
        m.put("miniprogrampage", "{\"title\":\"订单详情\",\"pagepath\":\"pages/order?id=1\",\"thumb_media_id\":\"THUMB\"}");
        return m;
    }

    /** The exact body WeChat should receive for this type from a Mini Program. */
    public static String miniProgramBody(String msgtype) {
        return "{\"touser\":\"" + USER + "\",\"msgtype\":\"" + msgtype + "\",\"" + msgtype + "\":"
                + miniProgramContents().get(msgtype) + "}";
    }

    public static String text(String content) {
        return "{\"touser\":\"" + USER + "\",\"msgtype\":\"text\",\"text\":{\"content\":\"" + content + "\"}}";
    }

    public static String textWithId(String id, String content) {
        return "{\"id\":\"" + id + "\",\"touser\":\"" + USER + "\",\"msgtype\":\"text\",\"text\":{\"content\":\""
                + content + "\"}}";
    }
}
