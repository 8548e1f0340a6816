package dev.kefurelay.store;

/** The store could not be read or written. Its message names the file and the cause, never a value. */
public class StoreException extends RuntimeException {

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
