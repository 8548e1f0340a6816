package dev.kefurelay.window;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * What a user does that opens the account's customer-service window to them, and what each opens: WeChat's table
 * (since June 2023; before it, about 20 messages), as {@code WECHAT-API.md} ("The customer-service window") gives it
 * from WeChat's customer-service message documentation (客服消息, "48小时内…5条" and the event rows). The one table the
 * component's window book and the sandbox's judgement share. Each new interaction resets
 * the window to its own count and period; counts do not add up. Outside the window custom/send answers 45015, with
 * its count used up 45047.
 * <p>
 * WeCom 微信客服 keeps the {@link #MESSAGE} row for its customers: kf/send_msg may send only within 48 hours of the
 * customer's last message, at most 5 messages, and the customer's next message opens it again (WeCom's 发送消息:
 * "仅当微信客户在主动发送消息给客服后的48小时内，企业可发送消息给客户，最多可发送5条消息；若用户继续发送消息，企业可再次下发消息");
 * outside it kf/send_msg answers 95001. Entering a session opens nothing there ({@link #ofWeCom}).
 */
public enum Interaction {

    /** The user sends a message (text, image, voice, video, location, link…): 5 messages within 48 hours. */
    MESSAGE(5, Duration.ofHours(48)),
    /** A menu click ({@code Event} CLICK, scancode_push, scancode_waitmsg): 3 within 1 minute. */
    MENU_CLICK(3, Duration.ofMinutes(1)),
    /** The user follows the account ({@code Event} subscribe): 3 within 1 minute. */
    FOLLOW(3, Duration.ofMinutes(1)),
    /** The user scans the account's QR code ({@code Event} SCAN): 3 within 1 minute. */
    SCAN(3, Duration.ofMinutes(1)),
    /** Mini Program: the user enters the customer-service session ({@code user_enter_tempsession}): 2 within 1 minute. */
    ENTER_SESSION(2, Duration.ofMinutes(1));

    /** The push {@code Event}s that open a window, and which row each is (the same table's first column). */
    private static final Map<String, Interaction> EVENTS = Map.of(
            "CLICK", MENU_CLICK,
            "scancode_push", MENU_CLICK,
            "scancode_waitmsg", MENU_CLICK,
            "subscribe", FOLLOW,
            "SCAN", SCAN,
            "user_enter_tempsession", ENTER_SESSION);

    /** kf/sync_msg's {@code origin} of what the customer sent (4 is an event, 5 an agent's message). */
    private static final int WECOM_CUSTOMER = 3;

    private final int messages;
    private final Duration within;

    Interaction(int messages, Duration within) {
        this.messages = messages;
        this.within = within;
    }

    /** How many customer-service messages the window it opens takes. */
    public int messages() {
        return messages;
    }

    /** How long that window stays open. */
    public Duration within() {
        return within;
    }

    /**
     * The interaction a push stands for: a user's message of any type opens {@link #MESSAGE}; an event its row, or
     * nothing for events that open no window (VIEW, LOCATION, unsubscribe, TEMPLATESENDJOBFINISH, …).
     *
     * @param msgType the push's {@code MsgType} ({@code event} for events)
     * @param event   its {@code Event}, for events
     */
    public static Optional<Interaction> ofPush(String msgType, String event) {
        if (msgType == null || msgType.isEmpty()) {
            return Optional.empty();
        }
        return "event".equals(msgType) ? ofEvent(event) : Optional.of(MESSAGE);
    }

    /**
     * The interaction an entry of WeCom's {@code kf/sync_msg} stands for: a customer's own message ({@code origin}
     * 3, any {@code msgtype} but {@code event}) opens {@link #MESSAGE}; events (origin 4: entering a session, a
     * session's state changing…) and what the kf account's agents sent (origin 5) open nothing.
     */
    public static Optional<Interaction> ofWeCom(int origin, String msgtype) {
        return origin == WECOM_CUSTOMER && msgtype != null && !msgtype.isEmpty() && !"event".equals(msgtype)
                ? Optional.of(MESSAGE) : Optional.empty();
    }

    /** The interaction a pushed event stands for; empty for events that open no window (VIEW, LOCATION, …). */
    public static Optional<Interaction> ofEvent(String event) {
        return Optional.ofNullable(event == null ? null : EVENTS.get(event));
    }
}
