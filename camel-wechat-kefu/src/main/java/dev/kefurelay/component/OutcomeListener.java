package dev.kefurelay.component;

/** Told of every outcome, e.g. by metrics. */
@FunctionalInterface
public interface OutcomeListener {

    OutcomeListener NONE = (appid, outcome, latencyMs) -> { };

    void outcome(String appid, Outcome outcome, long latencyMs);

    /** A failed attempt of this account's message is about to be made again (backoff over). */
    default void retry(String appid) {
    }

    /** A media source's content was uploaded (type image, voice, video or thumb). */
    default void mediaUploaded(String appid, String type) {
    }

    /** A media source's content had been uploaded before: its remembered media_id was used. */
    default void mediaReused(String appid, String type) {
    }

    /** A media source gave no media_id: its content was refused, could not be read, or the upload failed. */
    default void mediaFailed(String appid, String type, String reason) {
    }
}
