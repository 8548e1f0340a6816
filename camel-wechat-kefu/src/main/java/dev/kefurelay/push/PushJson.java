package dev.kefurelay.push;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.ErrorReportConfiguration;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Reads a push in WeChat's JSON form (a Mini Program's message URL may be set to JSON:
 * {@code {"ToUserName":…,"FromUserName":…,"CreateTime":1482048670,"MsgType":"text","Content":…,"MsgId":…}}) into
 * the same map {@link PushXml} makes of the XML form: field name to text, or to a nested map. Numbers become their
 * text as written ({@code CreateTime} "1482048670", a 64-bit {@code MsgId} whole), true/false their words, a null
 * is left out as an absent element would be, and an array becomes a list; so whatever reads the fields afterwards
 * (the signature check, decryption, the inbound JSON, the window book) cannot tell the two forms apart. Strict:
 * one object, no duplicate key, no trailing input, limited nesting; refusals never quote the input.
 */
public final class PushJson {

    /** WeChat's pushes are flat or one level deep; more is no push. */
    static final int MAX_DEPTH = 8;

    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH)
                            .maxNumberLength(64).build())
                    .errorReportConfiguration(ErrorReportConfiguration.builder()
                            .maxErrorTokenLength(0).maxRawContentLength(0).build())
                    .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            // a Latitude of 23.1340 stays "23.1340", as the XML form writes it
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    private PushJson() {
    }

    /** @throws PushRefusedException MALFORMED or TOO_LARGE */
    public static Map<String, Object> parse(byte[] json, int maxBytes) {
        if (json.length > maxBytes) {
            throw new PushRefusedException(PushRefusedException.Why.TOO_LARGE,
                    "push JSON of " + json.length + " bytes is larger than the limit of " + maxBytes);
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new PushRefusedException(PushRefusedException.Why.MALFORMED, "the push body is not valid JSON"
                    + (at != null && at.getLineNr() > 0 ? " (line " + at.getLineNr() + ", column " + at.getColumnNr()
                            + ")" : ""));
        } catch (IOException e) {
            throw new PushRefusedException(PushRefusedException.Why.MALFORMED, "the push body could not be read");
        }
        if (!(root instanceof ObjectNode object)) {
            throw new PushRefusedException(PushRefusedException.Why.MALFORMED,
                    "the push JSON is " + (root == null || root.isMissingNode() ? "empty" : "no object"));
        }
        return fields(object);
    }

    private static Map<String, Object> fields(ObjectNode object) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> field = it.next();
            Object value = value(field.getValue());
            if (value != null) {
                out.put(field.getKey(), value);
            }
        }
        return out;
    }

    private static Object value(JsonNode node) {
        if (node instanceof ObjectNode object) {
            return fields(object);
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>(node.size());
            node.forEach(entry -> list.add(value(entry)));
            return list;
        }
        if (node.isNull()) {
            return null;
        }
        if (node.isIntegralNumber()) {
            return node.bigIntegerValue().toString();
        }
        if (node.isNumber()) {
            return node.decimalValue().toPlainString();
        }
        return node.asText();
    }
}
