package dev.kefurelay.message;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The body of a typing call, plus what is never posted: the sending account and its kind, which picks the path
 * ({@link AccountKind#typingPath()}: custom/typing for an Official Account, custom/business/typing for a Mini
 * Program).
 *
 * @param appid      the account whose token is used, already defaulted
 * @param touser     the user who sees "typing…"
 * @param command    {@code Typing} or {@code CancelTyping}, in WeChat's spelling
 * @param businessid a Mini Program's sub-merchant (客服子商户) that types, or null
 * @param kind       the account's kind
 */
public record TypingCommand(String appid, String touser, String command, String businessid, AccountKind kind) {

    public static final String TYPING = "Typing";
    public static final String CANCEL_TYPING = "CancelTyping";

    private static final ObjectMapper JSON = new ObjectMapper();

    public TypingCommand {
        kind = kind == null ? AccountKind.OFFICIAL : kind;
    }

    /** An Official Account's command. */
    public TypingCommand(String appid, String touser, String command) {
        this(appid, touser, command, null, AccountKind.OFFICIAL);
    }

    /** Where it is posted. */
    public String path() {
        return kind.typingPath();
    }

    /** What WeChat receives: touser and command, and businessid when there is one. */
    public String toJson() {
        ObjectNode body = JSON.createObjectNode();
        body.put("touser", touser);
        body.put("command", command);
        if (businessid != null) {
            body.put("businessid", businessid);
        }
        return body.toString();
    }
}
