package dev.kefurelay.component;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A push endpoint's path as configured, e.g. {@code /wechat/accounts/{appid}}: where its {@code {appid}} is in a
 * request's path (a third-party platform's message URL names each authorizer there, {@code $APPID$} at WeChat).
 * Read from the request's URI, whatever HTTP server and context path serve it; other {@code {name}} parts match any
 * one segment.
 */
public record PushPath(String template, Pattern pattern) {

    static final String APPID = "{appid}";
    private static final Pattern PARAMETER = Pattern.compile("\\{[^/}]+\\}");

    public static PushPath of(String template) {
        StringBuilder regex = new StringBuilder();
        Matcher m = PARAMETER.matcher(template);
        int at = 0;
        while (m.find()) {
            regex.append(Pattern.quote(template.substring(at, m.start())));
            regex.append(m.group().equals(APPID) ? "([^/]*)" : "[^/]*");
            at = m.end();
        }
        regex.append(Pattern.quote(template.substring(at)));
        // the server may serve it under a context path: the template is the path's end
        return new PushPath(template, Pattern.compile("(?:.*?)" + regex + "/?"));
    }

    public boolean namesAppid() {
        return template.contains(APPID);
    }

    /**
     * The appid in a request's URI ({@code CamelHttpUri}: a path, with or without its query), decoded; empty when
     * the URI does not match or a %-escape is broken (then no appid: refused like any unknown one).
     */
    public String appid(String uri) {
        String path = uri == null ? "" : uri.split("\\?", 2)[0];
        Matcher m = pattern.matcher(path);
        if (!namesAppid() || !m.matches()) {
            return "";
        }
        try {
            return URLDecoder.decode(m.group(1), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }
}
