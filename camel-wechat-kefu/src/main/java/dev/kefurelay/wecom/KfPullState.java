package dev.kefurelay.wecom;

import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import dev.kefurelay.store.KefuStore;

/**
 * What the store keeps of pulling each kf account's messages, so that every relay sharing it pulls as one: the
 * cursor ({@code wecom.cursor.<open_kfid>}, stored after each page), who pulls now ({@code wecom.pull.<open_kfid>},
 * a lease: {@code held|owner|until}, taken and given back by compare-and-set, free once its time is over, so a relay
 * that died holds nothing for long), the latest callback not yet pulled for ({@code wecom.pending.<open_kfid>}:
 * {@code todo|nonce|corpid|token}, then {@code done|nonce}) and every kf account a callback ever named
 * ({@code wecom.kf-accounts}, for a relay that starts to finish what one that died left). The callback's token is a
 * secret for its 10 minutes: it is never logged.
 */
final class KfPullState {

    static final String ACCOUNTS = "wecom.kf-accounts";
    private static final String FREE = "free|-|0";

    /** A callback to pull for: {@code open} until a pull that began after it ended. */
    record Pending(String value, boolean open, String corpid, String token) {

        static final Pending NONE = new Pending(null, false, null, null);
    }

    private final KefuStore store;
    private final Clock clock;
    private final String owner;
    private final Duration lease;
    /** kf account → when this puller last took or renewed its lease. */
    private final java.util.Map<String, Long> lastTaken = new java.util.concurrent.ConcurrentHashMap<>();

    private static final String CURSOR = "wecom.cursor.";

    KfPullState(KefuStore store, Clock clock, String owner, Duration lease) {
        this.store = store;
        this.clock = clock;
        this.owner = owner;
        this.lease = lease;
    }

    Optional<String> cursor(String openKfid) {
        return storedCursor(store, openKfid);
    }

    static Optional<String> storedCursor(KefuStore store, String openKfid) {
        return store.get(CURSOR + openKfid);
    }

    void cursor(String openKfid, String cursor) {
        if (cursor != null && !cursor.isEmpty()) {
            store.put(CURSOR + openKfid, cursor);
        }
    }

    /** Takes the kf account's lease if it is free or its holder's time is over; false while another holds it. */
    boolean acquire(String openKfid) {
        String key = "wecom.pull." + openKfid;
        Optional<String> current = store.get(key);
        if (current.isPresent() && current.get().startsWith("held|") && !current.get().startsWith("held|" + owner + "|")
                && until(current.get()) > clock.millis()) {
            return false;
        }
        return store.compareAndSet(key, current.orElse(null), held(openKfid));
    }

    /** Whether a third of the lease went by since it was taken or renewed: time to renew, mid-page too. */
    boolean renewDue(String openKfid) {
        return clock.millis() - lastTaken.getOrDefault(openKfid, 0L) > lease.toMillis() / 3;
    }

    /** Another stretch of time, while pulling; false when the lease was lost (taken over after it ran out). */
    boolean renew(String openKfid) {
        String key = "wecom.pull." + openKfid;
        Optional<String> current = store.get(key);
        return current.isPresent() && current.get().startsWith("held|" + owner + "|")
                && store.compareAndSet(key, current.get(), held(openKfid));
    }

    void release(String openKfid) {
        String key = "wecom.pull." + openKfid;
        store.get(key).filter(v -> v.startsWith("held|" + owner + "|")).ifPresent(v -> store.compareAndSet(key, v, FREE));
    }

    /** A callback arrived: durably, before it is answered; and the kf account joins the list. */
    void request(String corpid, String openKfid, String token) {
        store.put("wecom.pending." + openKfid, "todo|" + UUID.randomUUID() + "|" + corpid + "|"
                + (token == null ? "" : token));
        remember(openKfid);
    }

    Pending pending(String openKfid) {
        return store.get("wecom.pending." + openKfid).map(v -> {
            String[] parts = v.split("\\|", -1);
            boolean open = "todo".equals(parts[0]) && parts.length == 4;
            return new Pending(v, open, open ? parts[2] : null, open && !parts[3].isEmpty() ? parts[3] : null);
        }).orElse(Pending.NONE);
    }

    /** The pull that began with {@code seen} ended: closed, unless a newer callback came meanwhile (then false). */
    boolean done(String openKfid, Pending seen) {
        if (!seen.open()) {
            return true;
        }
        return store.compareAndSet("wecom.pending." + openKfid, seen.value(), "done|" + seen.value().split("\\|")[1]);
    }

    List<String> accounts() {
        return store.get(ACCOUNTS).map(v -> Arrays.stream(v.split(",")).filter(s -> !s.isEmpty()).toList())
                .orElse(List.of());
    }

    private void remember(String openKfid) {
        for (int i = 0; i < 10; i++) {
            Optional<String> list = store.get(ACCOUNTS);
            if (list.isPresent() && Arrays.asList(list.get().split(",")).contains(openKfid)) {
                return;
            }
            String next = list.map(l -> l + "," + openKfid).orElse(openKfid);
            if (store.compareAndSet(ACCOUNTS, list.orElse(null), next)) {
                return;
            }
        }
        throw new IllegalStateException("could not add " + openKfid + " to the store's list of kf accounts");
    }

    private String held(String openKfid) {
        long now = clock.millis();
        lastTaken.put(openKfid, now);
        return "held|" + owner + "|" + (now + lease.toMillis());
    }

    private static long until(String value) {
        try {
            return Long.parseLong(value.substring(value.lastIndexOf('|') + 1));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
