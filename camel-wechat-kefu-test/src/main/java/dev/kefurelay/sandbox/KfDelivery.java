package dev.kefurelay.sandbox;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A message WeCom 微信客服 accepted for a customer: by {@code kf/send_msg}, or as the answer to an event
 * ({@code kf/send_msg_on_event}, e.g. a welcome).
 *
 * @param msgid   the msgid WeCom answered (the sender's, or one it made up)
 * @param body    the request's JSON as it arrived
 * @param onEvent sent with send_msg_on_event (an event's code), not send_msg
 */
public record KfDelivery(String corpid, String openKfid, String externalUserid, String msgtype, String msgid,
        JsonNode body, boolean onEvent) {
}
