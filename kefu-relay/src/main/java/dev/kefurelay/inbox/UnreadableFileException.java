package dev.kefurelay.inbox;

/** A dropped file that cannot be read as messages at all; it goes to .error/ with this text as the reason. */
public class UnreadableFileException extends RuntimeException {

    public UnreadableFileException(String message) {
        super(message, null, false, false);
    }
}
