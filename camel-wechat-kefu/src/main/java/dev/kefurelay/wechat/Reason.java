package dev.kefurelay.wechat;

/** Why a message was not delivered; the wire names are part of the contract (DLQ headers, .failed.jsonl). */
public enum Reason {
    INVALID_INPUT("invalid-input"),
    WECHAT_ERROR("wechat-error"),
    RETRIES_EXHAUSTED("retries-exhausted"),
    UNKNOWN_OUTCOME("unknown-outcome"),
    QUOTA_PAUSED("quota-paused"),
    /** The authorizer withdrew its authorization of the platform (WeChat pushed {@code unauthorized}). */
    UNAUTHORIZED("unauthorized");

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
