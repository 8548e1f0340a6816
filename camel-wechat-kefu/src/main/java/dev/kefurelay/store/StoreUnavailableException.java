package dev.kefurelay.store;

/**
 * The store cannot be reached now (connection refused, lost or timed out, the database not taking connections): not
 * a fault of the call, which may pass once the store is back. Its message names the store and the cause, never a
 * value.
 */
public class StoreUnavailableException extends StoreException {

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
