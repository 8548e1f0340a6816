package dev.kefurelay.wechat;

/** Why a message was not delivered; the wire names are part of the contract (DLQ headers, .failed.jsonl). */
public enum Reason {
    INVALID_INPUT("invalid-input"),
    WECHAT_ERROR("wechat-error"),
    RETRIES_EXHAUSTED("retries-exhausted"),
    UNKNOWN_OUTCOME("unknown-outcome"),
    QUOTA_PAUSED("quota-paused"),
    /**
     * The user's customer-service window is closed or its messages used up (WeChat's 45015 or 45047, or the window
     * book knew it before any call), and the message carried no fallback. Never retried: only the user can open
     * the window again.
     */
    WINDOW_CLOSED("window-closed"),
    /** The authorizer withdrew its authorization of the platform (WeChat pushed {@code unauthorized}). */
    UNAUTHORIZED("unauthorized"),
    /**
     * WeCom 微信客服 refused the message (95018) because the customer's session is queued, with a human agent or
     * ended: only unhandled sessions and the bot's take API messages.
     */
    SESSION_STATE("session-state");

    private final String wireName;

    Reason(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    @Override
    public String toString() {
        return wireName;
    }
}
