package dev.kefurelay.wecom;

/**
 * A WeCom 微信客服 message as the component sends it.
 *
 * @param corpid   the corp whose token sends it (the message's {@code corpid}, else the default corp)
 * @param id       the sender's id (envelope {@code id}, or {@code msgid} when that is all it gave), or null
 * @param msgid    what WeCom gets as {@code msgid}: {@link WeComMsgid#of} the id, or made up once for a message
 *                 without one
 * @param payload  the kf/send_msg body, with the msgid, in WeCom's order of the fields
 */
public record WeComMessage(String corpid, String openKfid, String touser, String msgtype, String id, String msgid,
        String payload) {

    /** The key the component's store claims ids under: msgids are unique per kf account. */
    public String claimAccount() {
        return "wecom:" + openKfid;
    }
}
