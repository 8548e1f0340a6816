package dev.kefurelay.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kefurelay.wechat.Channel;

/**
 * Something that reached a user, by whichever channel: a customer-service message (custom/send), a template message
 * (template/send) or a subscribe message (subscribe/bizsend).
 *
 * @param channel    which API carried it, in the component's own words ({@link Channel}, {@code KefuChannel})
 * @param msgtype    custom/send's {@code msgtype}; null for the other channels
 * @param templateId the template's id; null for custom/send
 * @param msgid      the {@code msgid} template/send answered; null for the other channels
 * @param body       the request's JSON as it arrived
 */
public record Delivery(String appid, String touser, Channel channel, String msgtype, String templateId, Long msgid,
        JsonNode body) {
}
