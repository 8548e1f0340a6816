package dev.kefurelay.wecom;

import java.util.Optional;
import java.util.function.BiFunction;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A customer's message or an event of a WeCom kf account, as the back office gets it: the entry kf/sync_msg gave
 * (its fields as WeCom names them) with {@code "channel":"wecom"} and the {@code corpid}, the kf account and the
 * customer at the top for events too (WeCom puts them inside {@code event}), and for {@code msg_send_fail} the
 * sender's {@code id} of the failed message when it is known.
 *
 * @param msgid WeCom's msgid of the entry: the same message pulled twice has the same one
 */
public record KfInbound(String corpid, String openKfid, String externalUserid, String msgid, String msgtype,
        String eventType, String json) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param idOf the sender's id of a msgid the kf account sent (open_kfid, msgid), if known
     */
    static KfInbound of(String corpid, String openKfid, JsonNode entry,
            BiFunction<String, String, Optional<String>> idOf) {
        ObjectNode out = JSON.createObjectNode();
        out.put("channel", "wecom");
        out.put("corpid", corpid);
        JsonNode event = entry.path("event");
        String kf = text(entry, "open_kfid", text(event, "open_kfid", openKfid));
        String customer = text(entry, "external_userid", text(event, "external_userid", null));
        out.put("open_kfid", kf);
        out.put("external_userid", customer);
        entry.fields().forEachRemaining(f -> {
            if (!out.has(f.getKey())) {
                out.set(f.getKey(), f.getValue());
            }
        });
        String eventType = text(event, "event_type", null);
        if ("msg_send_fail".equals(eventType)) {
            idOf.apply(kf, text(event, "fail_msgid", null)).ifPresent(id -> out.put("id", id));
        }
        return new KfInbound(corpid, kf, customer, text(entry, "msgid", null), text(entry, "msgtype", null),
                eventType, out.toString());
    }

    private static String text(JsonNode node, String field, String fallback) {
        JsonNode value = node.get(field);
        return value != null && value.isValueNode() && !value.isNull() ? value.asText() : fallback;
    }
}
