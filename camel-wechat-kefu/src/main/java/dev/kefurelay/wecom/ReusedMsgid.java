package dev.kefurelay.wecom;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import dev.kefurelay.wechat.WeChatReply;

/**
 * Whether WeCom's answer to a send says "this msgid was used already": the message was delivered before (by an
 * earlier attempt whose answer was lost, or an earlier send of the same id), so it counts as delivered, not failed.
 * <p>
 * How sure this is: WeCom's documentation of kf/send_msg (发送消息, document/path/94677) says a msgid given must be
 * unique within the kf account, "否则接口返回错误" (otherwise the API answers an error), but names no errcode, and no
 * SDK (WxJava, silenceper/wechat, wechatpy, EasyWeChat) or report found names one. So the answer is recognised by
 * its words: an errmsg (before WeCom's ", hint:" tail) that names the msgid as existing, duplicated, repeated or used.
 * The component only ever sends msgids of the right length and alphabet, so the one msgid problem left to name is its
 * reuse. Operators who see another answer in production list its errcode in the option
 * {@code wecomReusedMsgidErrcodes}. An answer this misses ends the message as unknown-outcome after a lost answer,
 * else as wechat-error: reported, never sent twice.
 */
public final class ReusedMsgid {

    private static final Pattern SAYS_REUSED = Pattern.compile(
            "msg_?id.*(exist|dup|repeat|reuse|used|conflict|already)|(exist|dup|repeat|already).*msg_?id"
                    + "|消息id.*(重复|已存在)");

    private final Set<Integer> errcodes;

    /** @param errcodes errcodes that mean a reused msgid whatever their words (the operator's option) */
    public ReusedMsgid(Set<Integer> errcodes) {
        this.errcodes = Set.copyOf(errcodes);
    }

    public boolean means(WeChatReply reply) {
        int errcode = reply.errcode();
        if (reply.status() != 200 || errcode == 0) {
            return false;
        }
        if (errcodes.contains(errcode)) {
            return true;
        }
        String errmsg = reply.errmsg();
        int hint = errmsg.indexOf(", hint:");
        String words = (hint < 0 ? errmsg : errmsg.substring(0, hint)).toLowerCase(Locale.ROOT);
        return SAYS_REUSED.matcher(words).find();
    }

    /** The option's value: errcodes, comma separated; blank for none. */
    public static Set<Integer> parse(String value, String key) {
        if (value == null || value.isBlank()) {
            return Set.of();
        }
        java.util.Set<Integer> codes = new java.util.LinkedHashSet<>();
        for (String part : value.split(",")) {
            String code = part.strip();
            if (code.isEmpty()) {
                continue;
            }
            try {
                codes.add(Integer.parseInt(code));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(key + ": '" + code + "' is not an errcode (a whole number)");
            }
        }
        return codes;
    }
}
