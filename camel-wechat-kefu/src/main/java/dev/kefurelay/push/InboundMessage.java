package dev.kefurelay.push;

import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kefurelay.message.AccountKind;

/**
 * A user's message or event as an account received it, for the back office: {@code appid}, {@code kind} (the
 * account's: {@code official} or {@code miniprogram}, so one consumer can answer both by their rules), {@code openid}
 * (FromUserName), {@code type} (MsgType: text, image, voice, video, shortvideo, location, link, event), {@code
 * event} (Event, for events), {@code time} (CreateTime, seconds) and {@code msgid}, then {@code fields}: every
 * field as WeChat sent it, under its own name. A template message's delivery report ({@code TEMPLATESENDJOBFINISH})
 * also carries {@code id}: the id of the message that template message carried, when it is known.
 *
 * @param messageId that id, or null
 */
public record InboundMessage(String appid, AccountKind kind, Map<String, Object> fields, String messageId) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public InboundMessage {
        kind = kind == null ? AccountKind.OFFICIAL : kind;
    }

    /** An Official Account's. */
    public InboundMessage(String appid, Map<String, Object> fields) {
        this(appid, AccountKind.OFFICIAL, fields, null);
    }

    public InboundMessage(String appid, AccountKind kind, Map<String, Object> fields) {
        this(appid, kind, fields, null);
    }

    public InboundMessage withMessageId(String id) {
        return new InboundMessage(appid, kind, fields, id);
    }

    public String openid() {
        return PushXml.text(fields, "FromUserName");
    }

    public String type() {
        return PushXml.text(fields, "MsgType");
    }

    /**
     * What WeChat's three tries of one push share: MsgId for messages; sender and CreateTime for events (they
     * have no MsgId), with the event name, so that two events of one second stay two.
     */
    public String dedupeKey() {
        String msgId = PushXml.text(fields, "MsgId");
        if (msgId != null && !msgId.isEmpty()) {
            return appid + ":msg:" + msgId;
        }
        return appid + ":event:" + openid() + ":" + PushXml.text(fields, "CreateTime") + ":"
                + PushXml.text(fields, "Event");
    }

    public String toJson() {
        ObjectNode out = JSON.createObjectNode();
        out.put("appid", appid);
        out.put("kind", kind.wireName());
        out.put("openid", openid());
        out.put("type", type());
        String event = PushXml.text(fields, "Event");
        if (event != null) {
            out.put("event", event);
        }
        String time = PushXml.text(fields, "CreateTime");
        try {
            out.put("time", time == null ? null : Long.valueOf(time));
        } catch (NumberFormatException e) {
            out.put("time", time);
        }
        out.put("msgid", PushXml.text(fields, "MsgId"));
        if (messageId != null) {
            out.put("id", messageId);
        }
        out.set("fields", JSON.valueToTree(fields));
        return out.toString();
    }
}
