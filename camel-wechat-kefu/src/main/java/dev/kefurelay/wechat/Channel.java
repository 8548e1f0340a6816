package dev.kefurelay.wechat;

/**
 * Which WeChat API carried a message (or was to carry it when it failed): customer service inside the user's window,
 * a fallback when the window was closed, or WeCom 微信客服. The wire names are contract: header {@code KefuChannel},
 * {@code "channel"} in JMS replies, inbox records and the outcome log line.
 */
public enum Channel {
    /** {@code /cgi-bin/message/custom/send}: a customer-service message, inside the user's window. */
    CUSTOM("custom"),
    /** {@code /cgi-bin/message/template/send}: a template message, the fallback of service accounts. */
    TEMPLATE("template"),
    /** {@code /cgi-bin/message/subscribe/bizsend} (Mini Programs: {@code subscribe/send}): a subscribe message. */
    SUBSCRIBE("subscribe"),
    /**
     * {@code /cgi-bin/kf/send_msg} (an answer to an event: {@code send_msg_on_event}): a WeCom 微信客服 message, inside
     * the customer's window. WeCom has no fallback channel.
     */
    WECOM("wecom");

    private final String wireName;

    Channel(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** Whether a message goes by it only outside the user's window, as its {@code fallback}. */
    public boolean isFallback() {
        return this == TEMPLATE || this == SUBSCRIBE;
    }

    /** The channel of this wire name, or null when it names none. */
    public static Channel ofWireName(String name) {
        for (Channel c : values()) {
            if (c.wireName.equals(name)) {
                return c;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return wireName;
    }
}
