package dev.kefurelay.push;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which keys open the pushes to which endpoint, for the relay's push server and the component's consumer alike. In
 * a third-party platform's mode ({@code component}) one set of keys, the platform's, opens its authorization events
 * and the messages of every authorizer (their plaintexts end in the platform's appid); otherwise each account has its
 * own, and an appid without keys has no endpoint. Holds the replay guard every receiver shares and the size limit.
 *
 * @param component whether the keys are a third-party platform's
 * @param ownAppid  the platform's appid (mode component), else the default account's, or empty
 * @param keys      appid to its keys: the platform's only (mode component), else each account's
 */
public record PushReceivers(boolean component, String ownAppid, Map<String, PushCrypto> keys, ReplayGuard replay,
        int maxBytes) {

    /** What an appid in a push's path may be: nothing else reaches a log line or a nonce's scope. */
    public static final Pattern APPID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    public PushReceivers {
        ownAppid = ownAppid == null ? "" : ownAppid;
        keys = Map.copyOf(keys);
        if (component && !keys.containsKey(ownAppid)) {
            throw new IllegalArgumentException("a third-party platform's pushes need the platform's keys");
        }
    }

    /** The authorization-event endpoint's receiver: mode component only. */
    public Optional<PushReceiver> platform() {
        return component ? Optional.of(new PushReceiver("component", keys.get(ownAppid), replay, maxBytes))
                : Optional.empty();
    }

    /** The receiver of this appid's users' messages and events, if it has keys (in mode component: any appid). */
    public Optional<PushReceiver> account(String appid) {
        if (appid == null || !APPID.matcher(appid).matches()) {
            return Optional.empty();
        }
        // in mode component every authorizer's messages are encrypted with the platform's keys, for its appid
        PushCrypto crypto = keys.get(component ? ownAppid : appid);
        return Optional.ofNullable(crypto).map(c -> new PushReceiver(appid, c, replay, maxBytes));
    }

    /** The appids whose pushes have keys here: the accounts', or the platform's alone (mode component). */
    public Set<String> appids() {
        return keys.keySet();
    }

    /** Names the appids only: the keys are secrets. */
    @Override
    public String toString() {
        return "PushReceivers[" + (component ? "platform " + ownAppid : "accounts " + keys.keySet())
                + ", replay window " + replay.window() + ", max " + maxBytes + " bytes]";
    }
}
