package dev.kefurelay.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one INFO line per delivered message, readable by a person watching the relay in sandbox mode. It carries
 * only the appid, a masked openid and a short preview of the content: never a token or secret, which by
 * construction it cannot see.
 */
final class DeliveryLog {

    private static final Logger LOG = LoggerFactory.getLogger(WeChatSandbox.class);
    private static final int PREVIEW_CODE_POINTS = 40;

    private DeliveryLog() {
    }

    static void delivered(String appid, String touser, String msgtype, JsonNode message) {
        if (!LOG.isInfoEnabled()) {
            return;
        }
        String preview = preview(msgtype, message.get(msgtype));
        LOG.info("sandbox delivered {} to {} from {}{}", msgtype, maskOpenid(touser), appid,
                preview == null ? "" : ": \"" + preview + "\"");
    }

    /** A template or subscribe message: the template's id, not its data (which may be anything about the user). */
    static void reached(Delivery delivery) {
        LOG.info("sandbox delivered {} {} to {} from {}", delivery.channel().wireName(), delivery.templateId(),
                maskOpenid(delivery.touser()), delivery.appid());
    }

    /** An openid identifies a person; a few leading characters are enough to tell test users apart. */
    static String maskOpenid(String openid) {
        int visible = Math.min(4, openid.length() / 2);
        return openid.substring(0, visible) + "…(masked)";
    }

    private static String preview(String msgtype, JsonNode content) {
        String text = switch (msgtype) {
            case "text" -> Json.text(content, "content");
            case "news" -> Json.text(content.get("articles").get(0), "title");
            case "msgmenu" -> Json.text(content, "head_content");
            default -> Json.text(content, "title");
        };
        return text == null ? null : truncate(oneLine(text));
    }

    /** User text must not be able to forge extra log lines. */
    private static String oneLine(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> {
            if (cp == '\n') {
                out.append("\\n");
            } else if (cp == '\r') {
                out.append("\\r");
            } else if (Character.isISOControl(cp)) {
                out.append(' ');
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.toString();
    }

    /** Cuts by code points so an emoji is never split into half a surrogate pair. */
    private static String truncate(String text) {
        if (text.codePointCount(0, text.length()) <= PREVIEW_CODE_POINTS) {
            return text;
        }
        return text.substring(0, text.offsetByCodePoints(0, PREVIEW_CODE_POINTS)) + "…";
    }
}
