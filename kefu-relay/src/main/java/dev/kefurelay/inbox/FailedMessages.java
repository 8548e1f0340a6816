package dev.kefurelay.inbox;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kefurelay.broker.DeadLetterRoutes;
import dev.kefurelay.component.KefuHeaders;
import dev.kefurelay.component.Outcome;
import org.apache.camel.Exchange;

/**
 * A failed message of an inbox file as a line of the contract's {@code .failed.jsonl}:
 * {@code {"reason":…,"errcode":…,"errmsg":…,"channel":…,"message":{…}}} ({@code channel} when one was reached).
 */
final class FailedMessages {

    private static final ObjectMapper JSON = new ObjectMapper();

    private FailedMessages() {
    }

    static boolean failed(Exchange part) {
        return Outcome.STATUS_FAILED.equals(part.getMessage().getHeader(KefuHeaders.OUTCOME));
    }

    static String line(Exchange part) {
        ObjectNode line = JSON.createObjectNode();
        line.put("reason", part.getMessage().getHeader(KefuHeaders.REASON, String.class));
        Integer errcode = part.getMessage().getHeader(KefuHeaders.ERRCODE, Integer.class);
        if (errcode == null) {
            line.putNull("errcode");
        } else {
            line.put("errcode", errcode);
        }
        line.put("errmsg", part.getMessage().getHeader(KefuHeaders.ERRMSG, String.class));
        String channel = part.getMessage().getHeader(KefuHeaders.CHANNEL, String.class);
        if (channel != null) {
            line.put("channel", channel);
        }
        line.set("message", asJsonOrText(input(part)));
        return line.toString();
    }

    /**
     * The message as it was handed over. A .jsonl line arrives as bytes; one that is not UTF-8 is kept with U+FFFD in
     * the record (never sent: its errmsg says where the bytes are wrong).
     */
    private static String input(Exchange part) {
        Object input = part.getProperty(DeadLetterRoutes.INPUT);
        return input instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(input);
    }

    /** A line that is not JSON is kept as text, so nothing of it is lost when it is fixed and dropped again. */
    private static JsonNode asJsonOrText(String input) {
        try {
            JsonNode node = JSON.readTree(input);
            return node != null && node.isObject() ? node : JSON.getNodeFactory().textNode(input);
        } catch (Exception e) {
            return JSON.getNodeFactory().textNode(input);
        }
    }
}
