package dev.kefurelay.component;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.kefurelay.wechat.Channel;
import dev.kefurelay.wechat.SendFailedException;

/**
 * What became of one message. Its JSON is the JMS reply and the shape of a failed line:
 * {@code {"errcode":0,"errmsg":"ok","channel":"custom"}} or {@code {"reason":…,"errcode":…,"errmsg":…,"channel":…}}.
 *
 * @param channel which API carried the message, or was to carry it when it failed: custom, template, subscribe or
 *                wecom; null when no channel was reached (invalid input, a duplicate, a typing command)
 * @param msgid   the msgid WeChat gave a template message, or a WeCom message's msgid: its later report
 *                ({@code TEMPLATESENDJOBFINISH}, {@code msg_send_fail}) names it
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Outcome(
        @JsonProperty("reason") String reason,
        @JsonProperty("errcode") Integer errcode,
        @JsonProperty("errmsg") String errmsg,
        @JsonProperty("duplicate") Boolean duplicate,
        @JsonProperty("channel") String channel,
        @JsonProperty("msgid") String msgid) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Done, with no channel to name (a typing command). */
    public static Outcome delivered() {
        return new Outcome(null, 0, "ok", null, null, null);
    }

    public static Outcome delivered(Channel channel, String msgid) {
        return new Outcome(null, 0, "ok", null, channel.wireName(), msgid);
    }

    /** Delivered earlier under the same id: nothing was sent this time. */
    public static Outcome alreadyDelivered() {
        return new Outcome(null, 0, "ok: already delivered, not sent again", true, null, null);
    }

    public static Outcome failed(SendFailedException e) {
        return new Outcome(e.reason().wireName(), e.errcode(), e.errmsg(), null,
                e.channel() == null ? null : e.channel().wireName(), null);
    }

    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isDelivered() {
        return reason == null;
    }

    /** delivered, duplicate or failed: the value of the KefuOutcome header. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public String status() {
        return reason != null ? "failed" : Boolean.TRUE.equals(duplicate) ? "duplicate" : "delivered";
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an outcome is always serialisable", e);
        }
    }
}
