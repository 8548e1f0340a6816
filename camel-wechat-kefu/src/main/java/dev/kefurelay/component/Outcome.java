package dev.kefurelay.component;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.kefurelay.wechat.SendFailedException;

/**
 * What became of one message. Its JSON is the JMS reply and the shape of a failed line:
 * {@code {"errcode":0,"errmsg":"ok"}} or {@code {"reason":…,"errcode":…,"errmsg":…}}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Outcome(
        @JsonProperty("reason") String reason,
        @JsonProperty("errcode") Integer errcode,
        @JsonProperty("errmsg") String errmsg,
        @JsonProperty("duplicate") Boolean duplicate) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static Outcome delivered() {
        return new Outcome(null, 0, "ok", null);
    }

    /** Delivered earlier under the same id: nothing was sent this time. */
    public static Outcome alreadyDelivered() {
        return new Outcome(null, 0, "ok: already delivered, not sent again", true);
    }

    public static Outcome failed(SendFailedException e) {
        return new Outcome(e.reason().wireName(), e.errcode(), e.errmsg(), null);
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
