package dev.kefurelay.wecom;

import java.util.List;

import dev.kefurelay.message.MediaRef;

/**
 * A WeCom 微信客服 message as the component sends it: to a customer ({@code kf/send_msg}), or as the answer to an
 * event with the event's one-time code ({@code kf/send_msg_on_event}: a welcome, a farewell).
 *
 * @param corpid   the corp whose token sends it (the message's {@code corpid}, else the default corp)
 * @param touser   the customer's external_userid; null for an answer to an event (its code names the customer)
 * @param code     the event's code of an answer to an event, else null
 * @param id       the sender's id (envelope {@code id}, or {@code msgid} when that is all it gave), or null
 * @param msgid    what WeCom gets as {@code msgid}: {@link WeComMsgid#of} the id, or made up once for a message
 *                 without one
 * @param payload  the kf/send_msg body, with the msgid, in WeCom's order of the fields; without the ids its media
 *                 sources stand for
 * @param media    the media sources whose ids go into the payload once uploaded ({@link WeComMedia}), or none
 */
public record WeComMessage(String corpid, String openKfid, String touser, String code, String msgtype, String id,
        String msgid, String payload, List<MediaRef> media) {

    public WeComMessage {
        media = List.copyOf(media);
    }

    static final String SEND = "/cgi-bin/kf/send_msg";
    static final String SEND_ON_EVENT = "/cgi-bin/kf/send_msg_on_event";

    /** The API that takes it. */
    public String path() {
        return code == null ? SEND : SEND_ON_EVENT;
    }

    /** The key the component's store claims ids under: msgids are unique per kf account. */
    public String claimAccount() {
        return "wecom:" + openKfid;
    }
}
