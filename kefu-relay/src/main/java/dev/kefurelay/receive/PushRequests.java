package dev.kefurelay.receive;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.camel.Exchange;

/** A push request's parts as the caller sent them: the appid of its path and its query parameters. */
final class PushRequests {

    private PushRequests() {
    }

    static String lastSegment(Exchange exchange) {
        String uri = exchange.getIn().getHeader(Exchange.HTTP_URI, String.class);
        String path = uri == null ? "" : uri.split("\\?", 2)[0];
        try {
            return URLDecoder.decode(path.substring(path.lastIndexOf('/') + 1), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            // a broken %-escape: no appid, refused like any unknown one
            return "";
        }
    }

    /** The query's parameters, the first of each name; a broken %-escape leaves that parameter out. */
    static Map<String, String> query(String raw) {
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
