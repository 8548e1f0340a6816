package dev.kefurelay.sandbox;

import dev.kefurelay.window.Interaction;
import java.time.Instant;

/**
 * One user's customer-service window with one account, as the sandbox keeps it: what opened it and when, and how many
 * custom/send messages went to the user since.
 */
public record UserWindow(Interaction opener, Instant openedAt, int sent) {

    public Instant closesAt() {
        return openedAt.plus(opener.within());
    }

    /** Open at this instant: before {@link #closesAt()} (at it, WeChat already answers 45015). */
    public boolean openAt(Instant now) {
        return now.isBefore(closesAt());
    }

    /** How many more messages it takes before custom/send answers 45047. */
    public int placesLeft() {
        return Math.max(0, opener.messages() - sent);
    }

    UserWindow oneMore() {
        return new UserWindow(opener, openedAt, sent + 1);
    }
}
