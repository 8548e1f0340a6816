package dev.kefurelay.component;

import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.Map;

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

    /*
     * The outcomes nearly every message ends with are shared instances whose JSON is written once, at class
     * initialisation, by the same mapper: toJson hands that text out instead of writing the same fields for every
     * message. An equal outcome made otherwise is written as before, to the same text.
     */
    private static final Outcome DELIVERED = new Outcome(null, 0, "ok", null, null, null);
    private static final Outcome ALREADY_DELIVERED = new Outcome(null, 0, "ok: already delivered, not sent again",
            true, null, null);
    private static final Map<Channel, Outcome> DELIVERED_BY = new EnumMap<>(Channel.class);
    private static final Map<Outcome, String> WRITTEN = new IdentityHashMap<>();

    static {
        for (Channel channel : Channel.values()) {
            DELIVERED_BY.put(channel, new Outcome(null, 0, "ok", null, channel.wireName(), null));
        }
        for (Outcome shared : DELIVERED_BY.values()) {
            WRITTEN.put(shared, shared.write());
        }
        WRITTEN.put(DELIVERED, DELIVERED.write());
        WRITTEN.put(ALREADY_DELIVERED, ALREADY_DELIVERED.write());
    }

    /** Done, with no channel to name (a typing command). */
    public static Outcome delivered() {
        return DELIVERED;
    }

    public static Outcome delivered(Channel channel, String msgid) {
        return msgid == null ? DELIVERED_BY.get(channel) : new Outcome(null, 0, "ok", null, channel.wireName(), msgid);
    }

    /** Delivered earlier under the same id: nothing was sent this time. */
    public static Outcome alreadyDelivered() {
        return ALREADY_DELIVERED;
    }

    public static Outcome failed(SendFailedException e) {
        return new Outcome(e.reason().wireName(), e.errcode(), e.errmsg(), null,
                e.channel() == null ? null : e.channel().wireName(), null);
    }

    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isDelivered() {
        return reason == null;
    }

    /** The values of {@link #status()}, the KefuOutcome header. */
    public static final String STATUS_DELIVERED = "delivered";
    public static final String STATUS_DUPLICATE = "duplicate";
    public static final String STATUS_FAILED = "failed";

    /** {@link #STATUS_DELIVERED}, {@link #STATUS_DUPLICATE} or {@link #STATUS_FAILED}: the KefuOutcome header. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public String status() {
        return reason != null ? STATUS_FAILED : Boolean.TRUE.equals(duplicate) ? STATUS_DUPLICATE : STATUS_DELIVERED;
    }

    public String toJson() {
        String written = WRITTEN.get(this);
        return written != null ? written : write();
    }

    private String write() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an outcome is always serialisable", e);
        }
    }
}
