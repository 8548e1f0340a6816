package dev.kefurelay.window;

import java.time.Instant;

/**
 * What the window book answered when a customer-service message asked for a place in its user's window.
 *
 * @param verdict  {@link Verdict#TAKEN}: the place is this message's (counted); {@link Verdict#CLOSED}: the book
 *                 knows the window closed or used up; {@link Verdict#UNKNOWN}: the book knows nothing of the user
 * @param openedAt for {@code TAKEN}, when the window was opened: the window a place is given back to
 *                 ({@code KefuStore#returnWindowPlace}); null otherwise
 */
public record WindowPlace(Verdict verdict, Instant openedAt) {

    public enum Verdict { TAKEN, CLOSED, UNKNOWN }

    public static final WindowPlace CLOSED = new WindowPlace(Verdict.CLOSED, null);
    public static final WindowPlace UNKNOWN = new WindowPlace(Verdict.UNKNOWN, null);

    public static WindowPlace taken(Instant openedAt) {
        return new WindowPlace(Verdict.TAKEN, openedAt);
    }
}
