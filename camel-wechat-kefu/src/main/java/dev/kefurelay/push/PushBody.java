package dev.kefurelay.push;

import java.util.Map;

/**
 * A push body in either of WeChat's forms, told apart by its first character: JSON (<code>{</code>, a Mini
 * Program whose message URL is set to JSON) or XML (everything else, which {@link PushXml} judges). Both give the
 * same map of fields, so nothing after this depends on the form.
 */
public final class PushBody {

    private PushBody() {
    }

    /** @throws PushRefusedException MALFORMED or TOO_LARGE */
    public static Map<String, Object> parse(byte[] body, int maxBytes) {
        return json(body) ? PushJson.parse(body, maxBytes) : PushXml.parse(body, maxBytes);
    }

    public static Map<String, Object> parse(String body, int maxBytes) {
        return parse(body.getBytes(java.nio.charset.StandardCharsets.UTF_8), maxBytes);
    }

    /** Whether the body is in the JSON form: its first character that is no white space is <code>{</code>. */
    public static boolean json(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return b == '{';
            }
        }
        return false;
    }
}
