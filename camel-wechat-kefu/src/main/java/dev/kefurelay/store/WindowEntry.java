package dev.kefurelay.store;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

import dev.kefurelay.window.Interaction;

/**
 * One user's entry in the window book: the window their newest interaction opened, and how many of its places
 * messages took. The rules of the book in plain Java: the local store applies them as they are, the PostgreSQL store
 * as the same conditions in its statements ({@link JdbcWindows}); the contract test holds both to them.
 *
 * <p>Instants are kept to the microsecond, as PostgreSQL keeps them, so that both stores answer the same
 * {@code openedAt} and compare the same instants.
 *
 * @param openedAt when the window opened: the interaction's instant, or for a closed entry when WeChat said it was
 *                 closed (so that an older interaction, arriving late, cannot open it again)
 * @param closesAt the first instant it is no longer open
 * @param places   how many messages it takes (the interaction's); 0 once WeChat said it was closed
 * @param used     how many places messages took
 */
record WindowEntry(Instant openedAt, Instant closesAt, int places, int used) {

    /** The window an interaction opens, whatever was there before. */
    static WindowEntry opened(Interaction interaction, Instant at) {
        Instant from = micros(at);
        return new WindowEntry(from, from.plus(interaction.within()), interaction.messages(), 0);
    }

    /**
     * A window WeChat said was closed at {@code sentAt} (45015/45047). No places rather than only a past
     * {@code closesAt}: a relay whose clock is a little behind, or a place given back afterwards, must not find it open
     * again.
     */
    static WindowEntry closed(Instant sentAt) {
        Instant at = micros(sentAt);
        return new WindowEntry(at, at, 0, 0);
    }

    /**
     * The entry after an interaction: the new window, unless the entry's window opened after {@code at}, or at the
     * same instant with the same shape. WeChat retries a push with its {@code CreateTime}, and a retry must not give
     * back the places taken since; but {@code CreateTime} has whole seconds, so another interaction in the same
     * second (a click after a message) is a window of another shape, and replaces it as a later one would. A window
     * WeChat closed at that very instant stays closed: a tie goes to WeChat's answer.
     */
    static WindowEntry afterInteraction(WindowEntry current, Interaction interaction, Instant at) {
        WindowEntry next = opened(interaction, at);
        if (current == null || current.openedAt.isBefore(next.openedAt)) {
            return next;
        }
        boolean sameShape = current.places == next.places && current.closesAt.equals(next.closesAt);
        return current.openedAt.equals(next.openedAt) && current.places > 0 && !sameShape ? next : current;
    }

    /** The entry after WeChat refused a message sent at {@code sentAt}: closed, unless a newer window opened since. */
    static WindowEntry afterClose(WindowEntry current, Instant sentAt) {
        return current == null || !current.openedAt.isAfter(micros(sentAt)) ? closed(sentAt) : current;
    }

    /** Whether a message sent at {@code now} may take a place. */
    boolean hasPlace(Instant now) {
        return used < places && closesAt.isAfter(now);
    }

    WindowEntry taken() {
        return new WindowEntry(openedAt, closesAt, places, used + 1);
    }

    /** A place given back: only to the window it was taken from, and never below none used. */
    WindowEntry afterReturn(Instant from) {
        return used > 0 && openedAt.equals(micros(from)) ? new WindowEntry(openedAt, closesAt, places, used - 1) : this;
    }

    /** Whether it is open at {@code now}, places left or not (the gauge of open windows). */
    boolean openAt(Instant now) {
        return closesAt.isAfter(now);
    }

    static Instant micros(Instant t) {
        return t.truncatedTo(ChronoUnit.MICROS);
    }

    /**
     * The book is keyed by account and user; both are required. The message names the argument, never its value
     * (an openid identifies a person).
     */
    static void check(String appid, String openid) {
        Objects.requireNonNull(appid, "appid");
        Objects.requireNonNull(openid, "openid");
    }
}
