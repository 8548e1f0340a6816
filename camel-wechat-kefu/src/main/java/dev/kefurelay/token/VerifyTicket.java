package dev.kefurelay.token;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

import dev.kefurelay.store.KefuStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The latest {@code component_verify_ticket}. WeChat pushes one every 10 minutes and each is valid 12 hours, so
 * the last one is kept in the store: after a restart, or while pushes stop, it is still the one to use.
 * {@code kefu.component.ticket} only seeds an empty store; a pushed ticket is newer by construction. Relays sharing
 * a store may handle pushes in any order: the stored ticket is replaced only by a newer one (compare-and-set).
 */
public final class VerifyTicket {

    private static final Logger LOG = LoggerFactory.getLogger(VerifyTicket.class);
    static final String KEY = "component-verify-ticket";
    /** WeChat's stated validity of one ticket. */
    static final Duration VALID_FOR = Duration.ofHours(12);

    /**
     * A ticket and when WeChat made it (its push's CreateTime) or, without that, when the relay received it;
     * {@link #toString()} leaves the ticket out.
     */
    public record Ticket(String value, Instant receivedAt) {
        @Override
        public String toString() {
            return "Ticket[***, received " + receivedAt + "]";
        }
    }

    private final KefuStore store;
    private final Clock clock;

    public VerifyTicket(KefuStore store, String initial, Clock clock) {
        this.store = store;
        this.clock = clock;
        if (initial != null && !initial.isBlank() && store.get(KEY).isEmpty()) {
            arrived(initial, "kefu.component.ticket");
        }
    }

    /**
     * A new ticket, received now: stored before it is used, so the last one survives a restart. Now to the second,
     * the precision of WeChat's CreateTime: a push made in the same second as this one counts as newer.
     */
    public void arrived(String ticket, String from) {
        arrived(ticket, from, clock.instant().truncatedTo(ChronoUnit.SECONDS));
    }

    /**
     * A ticket WeChat made at {@code createdAt} (its push's CreateTime, or when it was received): stored unless the
     * store already holds a newer one, whichever relay handled which push first.
     */
    public void arrived(String ticket, String from, Instant createdAt) {
        String value = ticket == null ? "" : ticket.strip();
        if (value.isEmpty()) {
            throw new dev.kefurelay.message.InvalidMessageException("an empty component_verify_ticket from " + from
                    + " was ignored");
        }
        String next = createdAt.toEpochMilli() + " " + value;
        while (true) {
            String stored = store.get(KEY).orElse(null);
            if (stored != null && parse(stored).receivedAt().isAfter(createdAt)) {
                LOG.info("component_verify_ticket from {} is older than the stored one: kept the stored one", from);
                return;
            }
            if (store.compareAndSet(KEY, stored, next)) {
                LOG.info("component_verify_ticket received from {} and stored", from);
                return;
            }
            // another relay stored one meanwhile: compare with that one
        }
    }

    public Optional<Ticket> latest() {
        return store.get(KEY).map(VerifyTicket::parse);
    }

    private static Ticket parse(String stored) {
        int space = stored.indexOf(' ');
        return new Ticket(stored.substring(space + 1), Instant.ofEpochMilli(Long.parseLong(stored.substring(0, space))));
    }

    /** For error texts: how old the ticket is, and whether WeChat should still take it. */
    String describeAge(Ticket ticket) {
        Duration age = Duration.between(ticket.receivedAt(), clock.instant());
        return "the last one arrived " + age.toMinutes() + " min ago at " + ticket.receivedAt()
                + (age.compareTo(VALID_FOR) > 0 ? ", longer ago than the 12 hours a ticket is valid" : "");
    }
}
