package dev.kefurelay.store;

/** Told how the store performs (e.g. for metrics): every call's latency, and how long token locks were waited for. */
public interface StoreListener {

    StoreListener NONE = new StoreListener() {
    };

    /** One call to the store; {@code operation} is a fixed name such as {@code claim-id}, never a key. */
    default void call(String operation, long nanos, boolean ok) {
    }

    /** How long a caller waited for an account's token lock (whether it got it or timed out). */
    default void lockWait(long nanos, boolean acquired) {
    }
}
