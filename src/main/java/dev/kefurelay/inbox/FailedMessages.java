package dev.kefurelay.inbox;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kefurelay.send.KefuHeaders;
import org.apache.camel.Exchange;

/**
 * The failed messages of one file, collected while its messages are sent in parallel (each split part sees
 * this same object through the exchange property), each as a line of the contract's {@code .failed.jsonl}:
 * {@code {"reason":…,"errcode":…,"errmsg":…,"message":{…}}}.
 */
public final class FailedMessages {

    public static final String PROPERTY = "KefuFailedMessages";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final AtomicInteger total = new AtomicInteger();

    /** Called with each part once kefu-send has recorded its outcome. */
    public void record(Exchange part) {
        total.incrementAndGet();
        if ("failed".equals(part.getMessage().getHeader(KefuHeaders.OUTCOME))) {
            lines.add(line(part));
        }
    }

    public List<String> lines() {
        return List.copyOf(lines);
    }

    public int total() {
        return total.get();
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
        String input = part.getProperty(KefuHeaders.INPUT, String.class);
        line.set("message", asJsonOrText(input));
        return line.toString();
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
