package dev.kefurelay.receive;

import java.time.Clock;
import java.util.Optional;
import java.util.regex.Pattern;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.kefurelay.config.ConfigException;
import dev.kefurelay.config.KefuSettings;
import dev.kefurelay.push.PushCrypto;
import dev.kefurelay.push.PushReceiver;
import dev.kefurelay.push.ReplayGuard;
import dev.kefurelay.token.TokenMode;

/**
 * Which keys open the pushes to which path. Mode {@code component}: the platform's token and EncodingAESKey
 * ({@code kefu.push.*}) for its authorization events and for the messages of every authorizer, whose plaintexts
 * end in the platform's appid. Other modes: the default account's ({@code kefu.push.*}, receive id
 * {@code kefu.appid}) and each further account's ({@code kefu.accounts.<appid>.push-token} / {@code .push-aes-key});
 * an appid without keys has no push endpoint.
 */
public final class PushEndpoints {

    private static final Pattern APPID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private final boolean component;
    private final String ownAppid;
    /** appid → its keys: the platform's (mode component), else the default account's and each account's own. */
    private final java.util.Map<String, PushCrypto> accounts;
    private final ReplayGuard replay;
    private final int maxBytes;

    PushEndpoints(boolean component, String ownAppid, java.util.Map<String, PushCrypto> accounts, ReplayGuard replay,
            int maxBytes) {
        this.component = component;
        this.ownAppid = ownAppid;
        this.accounts = java.util.Map.copyOf(accounts);
        this.replay = replay;
        this.maxBytes = maxBytes;
    }

    /** @throws ConfigException naming the property that is missing or wrong (never its value) */
    public static PushEndpoints from(KefuSettings settings) {
        boolean component = settings.tokenMode() == TokenMode.COMPONENT;
        String own = component ? settings.get("kefu.component.appid") : settings.get("kefu.appid");
        boolean ownKeys = !settings.get("kefu.push.token").isEmpty();
        if (component && !ownKeys) {
            throw new ConfigException("kefu.push.port is set: set kefu.push.token (the Token entered at WeChat for the "
                    + "platform's authorization event and message URLs)");
        }
        if (!component && !(ownKeys && !own.isEmpty()) && settings.pushAccounts().isEmpty()) {
            throw new ConfigException("kefu.push.port is set: set kefu.push.token for kefu.appid, or "
                    + "kefu.accounts.<appid>.push-token (the Token entered at WeChat for the account's message URL)");
        }
        long max = settings.bytes("kefu.push.max-size");
        try {
            java.util.Map<String, PushCrypto> accounts = new java.util.LinkedHashMap<>();
            if (ownKeys && !own.isEmpty()) {
                accounts.put(own, new PushCrypto(settings.get("kefu.push.token"), settings.get("kefu.push.aes-key"),
                        settings.get("kefu.push.aes-key-previous"), own, "kefu.push.aes-key"));
            }
            for (String appid : settings.pushAccounts()) {
                accounts.put(appid, new PushCrypto(settings.accountPush(appid, "push-token"),
                        settings.accountPush(appid, "push-aes-key"), null, appid,
                        "kefu.accounts." + appid + ".push-aes-key"));
            }
            return new PushEndpoints(component, own, accounts,
                    new ReplayGuard(maxAge(settings), Clock.systemUTC(), Ticker.systemTicker()),
                    (int) Math.min(Integer.MAX_VALUE, max));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    /** kefu.push.max-age: {@code 0} turns the replay check off. */
    static java.time.Duration maxAge(KefuSettings settings) {
        return "0".equals(settings.get("kefu.push.max-age")) ? java.time.Duration.ZERO
                : settings.duration("kefu.push.max-age");
    }

    public boolean componentMode() {
        return component;
    }

    /** The platform's (mode component) or the default account's appid. */
    public String ownAppid() {
        return ownAppid;
    }

    /** The authorization-event endpoint: mode component only. */
    public Optional<PushReceiver> platform() {
        return component ? Optional.of(new PushReceiver("component", accounts.get(ownAppid), replay, maxBytes))
                : Optional.empty();
    }

    /** The message endpoint of this appid, if it has one. */
    public Optional<PushReceiver> account(String appid) {
        if (appid == null || !APPID.matcher(appid).matches()) {
            return Optional.empty();
        }
        // in mode component every authorizer's messages are encrypted with the platform's keys, for its appid
        PushCrypto crypto = accounts.get(component ? ownAppid : appid);
        return Optional.ofNullable(crypto).map(c -> new PushReceiver(appid, c, replay, maxBytes));
    }
}
