package dev.kefurelay.store;

/** Another relay held an account's lock for longer than the store's lock timeout. */
public class StoreLockTimeoutException extends StoreException {

    public StoreLockTimeoutException(String message, Throwable cause) {
        super(message, cause);
    }
}
