package dev.kefurelay.message;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * What kind of WeChat account sends: an Official Account (公众号) or a Mini Program (小程序). Both post to the same
 * custom/send URL with the same tokens, but a Mini Program takes fewer message types ({@link MessageFields#of}) and
 * shows "typing…" through another path. The wire names are the relay's {@code kefu.accounts.<appid>.kind} values.
 */
public enum AccountKind {

    OFFICIAL("official", "/cgi-bin/message/custom/typing"),
    MINIPROGRAM("miniprogram", "/cgi-bin/message/custom/business/typing");

    private final String wireName;
    private final String typingPath;

    AccountKind(String wireName, String typingPath) {
        this.wireName = wireName;
        this.typingPath = typingPath;
    }

    public String wireName() {
        return wireName;
    }

    /** Where the typing indicator is posted for an account of this kind. */
    public String typingPath() {
        return typingPath;
    }

    /** The message fields this kind takes. */
    public MessageFields.Kind fields() {
        return MessageFields.of(this);
    }

    /**
     * @throws IllegalArgumentException naming the value (a kind is no secret) and the choices
     */
    public static AccountKind parse(String value) {
        for (AccountKind k : values()) {
            if (k.wireName.equals(value)) {
                return k;
            }
        }
        throw new IllegalArgumentException("'" + value + "' is not one of " + choices());
    }

    /** The wire names, comma separated: for messages that list the choices. */
    public static String choices() {
        return Arrays.stream(values()).map(AccountKind::wireName).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return wireName;
    }
}
