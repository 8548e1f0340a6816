package dev.kefurelay.message;

/** Bad input: the text names the field that is wrong, so the sender can fix it. */
public class InvalidMessageException extends RuntimeException {

    public InvalidMessageException(String message) {
        super(message);
    }
}
