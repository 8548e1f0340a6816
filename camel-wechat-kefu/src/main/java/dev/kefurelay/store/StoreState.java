package dev.kefurelay.store;

/**
 * Whether the store can be used, as last found: what readiness reports and what the relay's inputs follow. Read
 * without waiting on the store itself.
 *
 * @param problem why it cannot be used (naming the store and the cause, never a value), or null when it can
 */
public record StoreState(boolean up, String problem) {

    public static final StoreState UP = new StoreState(true, null);

    public static StoreState down(String problem) {
        return new StoreState(false, problem);
    }
}
