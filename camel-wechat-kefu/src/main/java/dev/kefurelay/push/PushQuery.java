package dev.kefurelay.push;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** A push request's query string as WeChat sends it: {@code timestamp}, {@code nonce}, the signatures, echostr. */
public final class PushQuery {

    private PushQuery() {
    }

    /** The query's parameters, the first of each name; a broken %-escape leaves that parameter out. */
    public static Map<String, String> parse(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            try {
                String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                out.putIfAbsent(key, value);
            } catch (IllegalArgumentException e) {
                // then the check that needs it says it is missing
            }
        }
        return out;
    }
}
