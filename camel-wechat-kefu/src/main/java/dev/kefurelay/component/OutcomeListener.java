package dev.kefurelay.component;

/** Told of every outcome, e.g. by metrics. */
@FunctionalInterface
public interface OutcomeListener {

    OutcomeListener NONE = (appid, outcome, latencyMs) -> { };

    void outcome(String appid, Outcome outcome, long latencyMs);

    /** A failed attempt of this account's message is about to be made again (backoff over). */
    default void retry(String appid) {
    }
}
