package dev.kefurelay.message;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The body of {@code POST /cgi-bin/message/custom/typing}, plus the sending account (never posted).
 *
 * @param appid   the account whose token is used, already defaulted
 * @param touser  the user who sees "typing…"
 * @param command {@code Typing} or {@code CancelTyping}, in WeChat's spelling
 */
public record TypingCommand(String appid, String touser, String command) {

    public static final String TYPING = "Typing";
    public static final String CANCEL_TYPING = "CancelTyping";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What WeChat receives: touser and command only. */
    public String toJson() {
        ObjectNode body = JSON.createObjectNode();
        body.put("touser", touser);
        body.put("command", command);
        return body.toString();
    }
}
