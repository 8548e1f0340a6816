package dev.kefurelay.message;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each sending account's kind, by appid: what the component was configured with, plus what endpoints bring as they
 * start. An appid nobody named is an Official Account, the kind most accounts are. Read on every message (by the
 * message reader and by whatever else in the send flow depends on the kind), written only at start.
 */
public final class AccountKinds {

    private final Map<String, AccountKind> kinds = new ConcurrentHashMap<>();

    /** No account named: every appid is an Official Account until {@link #add} says otherwise. */
    public AccountKinds() {
    }

    /** @param kinds appid → kind, as configured */
    public AccountKinds(Map<String, AccountKind> kinds) {
        kinds.forEach(this::add);
    }

    /** The account's kind; {@link AccountKind#OFFICIAL} for an appid nobody named (and for null). */
    public AccountKind of(String appid) {
        return appid == null ? AccountKind.OFFICIAL : kinds.getOrDefault(appid, AccountKind.OFFICIAL);
    }

    /** The kind named for this appid, if one was. */
    public Optional<AccountKind> named(String appid) {
        return appid == null ? Optional.empty() : Optional.ofNullable(kinds.get(appid));
    }

    /**
     * Names an account's kind.
     *
     * @throws IllegalArgumentException the appid was named with the other kind already: one account is one kind,
     *                                  whoever names it
     */
    public void add(String appid, AccountKind kind) {
        AccountKind before = kinds.putIfAbsent(appid, kind);
        if (before != null && before != kind) {
            throw new IllegalArgumentException(appid + " is a " + before.wireName() + " account already, not "
                    + kind.wireName());
        }
    }

    /** appid → kind of every account named, for status pages and tests. */
    public Map<String, AccountKind> named() {
        return Map.copyOf(kinds);
    }

    @Override
    public String toString() {
        return "AccountKinds" + kinds;
    }
}
