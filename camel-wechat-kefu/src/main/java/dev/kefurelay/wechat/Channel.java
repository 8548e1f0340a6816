package dev.kefurelay.wechat;

/**
 * Which WeChat API carried a message (or was to carry it when it failed): customer service inside the user's window,
 * or a fallback when the window was closed. The wire names are contract: header {@code KefuChannel}, {@code
 * "channel"} in JMS replies, inbox records and the outcome log line.
 */
public enum Channel {
    /** {@code /cgi-bin/message/custom/send}: a customer-service message, inside the user's window. */
    CUSTOM("custom"),
    /** {@code /cgi-bin/message/template/send}: a template message, the fallback of service accounts. */
    TEMPLATE("template"),
    /** {@code /cgi-bin/message/subscribe/bizsend} (Mini Programs: {@code subscribe/send}): a subscribe message. */
    SUBSCRIBE("subscribe");

    private final String wireName;

    Channel(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
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
