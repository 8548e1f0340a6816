package dev.kefurelay;

import java.util.LinkedHashMap;
import java.util.Map;

/** One valid WeCom 微信客服 message of every type kf/send_msg takes, as WeCom names the fields. */
public final class WeComSamples {

    public static final String CUSTOMER = "wmCustomerExternalUserid0000001";
    public static final String OPEN_KFID = "wkKfAccountOpenKfid00000000001";

    private WeComSamples() {
    }

    /** msgtype → the JSON object WeCom expects for it. */
    public static Map<String, String> contents() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("text", "{\"content\":\"您的订单已发货 🚚 可点击链接查看物流 https://example.com/o/1\"}");
        m.put("image", "{\"media_id\":\"MEDIA_IMAGE\"}");
        m.put("voice", "{\"media_id\":\"MEDIA_VOICE\"}");
        m.put("video", "{\"media_id\":\"MEDIA_VIDEO\"}");
        m.put("file", "{\"media_id\":\"MEDIA_FILE\"}");
        m.put("link", "{\"title\":\"新品上市\",\"desc\":\"秋季新款\",\"url\":\"https://example.com/a\","
                + "\"thumb_media_id\":\"THUMB_IMAGE\"}");
        m.put("miniprogram", "{\"appid\":\"wxminiprogram01\",\"title\":\"订单详情\",\"thumb_media_id\":\"THUMB_IMAGE\","
                + "\"pagepath\":\"pages/order?id=1\"}");
        m.put("msgmenu", "{\"head_content\":\"您对本次服务是否满意?\",\"list\":["
                + "{\"type\":\"click\",\"click\":{\"id\":\"101\",\"content\":\"满意\"}},"
                + "{\"type\":\"view\",\"view\":{\"url\":\"https://example.com/survey\",\"content\":\"填写问卷\"}},"
                + "{\"type\":\"miniprogram\",\"miniprogram\":{\"appid\":\"wxminiprogram01\","
                + "\"pagepath\":\"pages/help\",\"content\":\"帮助中心\"}},"
                + "{\"type\":\"text\",\"text\":{\"content\":\"或直接回复\",\"no_newline\":0}}],"
                + "\"tail_content\":\"欢迎再次光临\"}");
        m.put("location", "{\"latitude\":23.106021,\"longitude\":113.320389,\"name\":\"广州塔\","
                + "\"address\":\"广州市海珠区阅江西路222号\"}");
        return m;
    }

    /** The body kf/send_msg takes for this type, without msgid: what a sender writes. */
    public static String message(String msgtype) {
        return message(OPEN_KFID, CUSTOMER, msgtype);
    }

    public static String message(String openKfid, String customer, String msgtype) {
        return "{\"touser\":\"" + customer + "\",\"open_kfid\":\"" + openKfid + "\",\"msgtype\":\"" + msgtype
                + "\",\"" + msgtype + "\":" + contents().get(msgtype) + "}";
    }

    /** The exact body WeCom should receive: the message with the msgid the component made of its id. */
    public static String wecomBody(String openKfid, String customer, String msgtype, String msgid) {
        return "{\"touser\":\"" + customer + "\",\"open_kfid\":\"" + openKfid + "\",\"msgid\":\"" + msgid
                + "\",\"msgtype\":\"" + msgtype + "\",\"" + msgtype + "\":" + contents().get(msgtype) + "}";
    }

    /**
     * A customer's text message as an entry of kf/sync_msg's {@code msg_list} (origin 3: the customer's own), sent at
     * {@code sendTime} (epoch seconds).
     */
    public static String customerEntry(String openKfid, String customer, long sendTime, String content) {
        return "{\"msgid\":\"from-" + customer + "-" + sendTime + "\",\"open_kfid\":\"" + openKfid
                + "\",\"external_userid\":\"" + customer + "\",\"send_time\":" + sendTime
                + ",\"origin\":3,\"msgtype\":\"text\",\"text\":{\"content\":\"" + content + "\"}}";
    }

    public static String text(String openKfid, String customer, String id, String content) {
        return "{" + (id == null ? "" : "\"id\":\"" + id + "\",") + "\"touser\":\"" + customer + "\",\"open_kfid\":\""
                + openKfid + "\",\"msgtype\":\"text\",\"text\":{\"content\":\"" + content + "\"}}";
    }
}
