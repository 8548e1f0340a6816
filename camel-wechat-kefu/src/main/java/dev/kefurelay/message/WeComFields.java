package dev.kefurelay.message;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What WeCom's {@code kf/send_msg} (微信客服, 发送消息) takes: each message type's object, its fields, which of them are
 * required and how long they may be. The one table the component's checks ({@code WeComMessageReader}) and the
 * sandbox's judgement share, as {@link MessageFields} is for Official Accounts. It follows WeCom's documentation of
 * 发送消息 (developer.work.weixin.qq.com, document/path/94677), WxJava's {@code WxCpKfMsgSendRequest} and the limits
 * silenceper/wechat copies from it ({@code work/kf/sendmsg}); lengths are in UTF-8 bytes, as WeCom counts them, and a
 * field has one only where WeCom refuses longer text (where it cuts the text itself, none is set).
 */
public final class WeComFields {

    /** What a field holds. */
    public enum Kind { STRING, NUMBER, INTEGER }

    /**
     * One field of a message object.
     *
     * @param maxBytes the longest UTF-8 text WeCom takes; 0 for no documented limit (and for numbers)
     * @param maxAbs   the largest magnitude a number may have (a latitude's 90); 0 for none (and for text)
     */
    public record Field(String name, Kind kind, boolean required, int maxBytes, double maxAbs) {
    }

    /** The fields of one object, in WeCom's order. */
    public record Fields(List<Field> fields) {

        public Fields {
            fields = List.copyOf(fields);
        }

        public Optional<Field> field(String name) {
            return fields.stream().filter(f -> f.name().equals(name)).findFirst();
        }
    }

    /** The top level besides the content object; {@code msgid} is written by the component from the message's id. */
    public static final Fields MESSAGE = new Fields(List.of(required("touser", 0), required("open_kfid", 0),
            optional("msgid", 32), required("msgtype", 0)));

    /** msgid: at most 32 characters of this set (WeCom: 不多于32字节, 字符串取值范围 [0-9a-zA-Z_-]*). */
    public static final String MSGID_PATTERN = "[0-9A-Za-z_-]{1,32}";

    /** {@code msgmenu.list} takes at most this many entries. */
    public static final int MENU_MAX_ITEMS = 10;

    /** msgtype → its content object, in WeCom's order of the types. */
    public static final Map<String, Fields> CONTENT = content();

    /** A menu entry's {@code type} → the object named by it ({@code {"type":"click","click":{…}}}). */
    public static final Map<String, Fields> MENU_ITEMS = menuItems();

    /**
     * msgtype → its id fields that a media source may stand in for → WeCom's media/upload {@code type}. A link's or a
     * mini program card's picture is an image.
     */
    public static final Map<String, Map<String, String>> MEDIA_FIELDS = Map.of(
            "image", Map.of("media_id", "image"),
            "voice", Map.of("media_id", "voice"),
            "video", Map.of("media_id", "video"),
            "file", Map.of("media_id", "file"),
            "link", Map.of("thumb_media_id", "image"),
            "miniprogram", Map.of("thumb_media_id", "image"));

    /** The types send_msg_on_event takes (an answer to an event such as a welcome): text and menus only. */
    public static final List<String> EVENT_TYPES = List.of("text", "msgmenu");

    private WeComFields() {
    }

    private static Map<String, Fields> content() {
        Map<String, Fields> m = new LinkedHashMap<>();
        m.put("text", fields(required("content", 2048)));
        m.put("image", fields(required("media_id", 0)));
        m.put("voice", fields(required("media_id", 0)));
        m.put("video", fields(required("media_id", 0)));
        m.put("file", fields(required("media_id", 0)));
        // a link's title and desc and a card's title WeCom cuts to 128, 512 and 64 bytes itself: not refused
        m.put("link", fields(required("title", 0), optional("desc", 0), required("url", 2048),
                required("thumb_media_id", 0)));
        m.put("miniprogram", fields(required("appid", 32), optional("title", 0), required("thumb_media_id", 0),
                required("pagepath", 1024)));
        // list's entries are checked against MENU_ITEMS; the object itself holds the texts around them
        m.put("msgmenu", fields(optional("head_content", 1024), optional("tail_content", 1024)));
        m.put("location", fields(number("latitude", 90), number("longitude", 180), optional("name", 0),
                optional("address", 0)));
        return Collections.unmodifiableMap(m);
    }

    private static Map<String, Fields> menuItems() {
        Map<String, Fields> m = new LinkedHashMap<>();
        m.put("click", fields(optional("id", 64), required("content", 128)));
        m.put("view", fields(required("url", 2048), required("content", 1024)));
        m.put("miniprogram", fields(required("appid", 32), required("pagepath", 1024), required("content", 1024)));
        m.put("text", fields(required("content", 256), new Field("no_newline", Kind.INTEGER, false, 0, 0)));
        return Collections.unmodifiableMap(m);
    }

    private static Fields fields(Field... fields) {
        return new Fields(List.of(fields));
    }

    private static Field required(String name, int maxBytes) {
        return new Field(name, Kind.STRING, true, maxBytes, 0);
    }

    private static Field optional(String name, int maxBytes) {
        return new Field(name, Kind.STRING, false, maxBytes, 0);
    }

    private static Field number(String name, double maxAbs) {
        return new Field(name, Kind.NUMBER, true, 0, maxAbs);
    }
}
