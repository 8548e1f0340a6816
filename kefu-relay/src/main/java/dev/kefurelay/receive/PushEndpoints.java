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
 * {@code kefu.appid}); an appid without keys has no push endpoint.
 */
public final class PushEndpoints {

    private static final Pattern APPID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private final boolean component;
    private final String ownAppid;
    private final PushCrypto crypto;
    private final ReplayGuard replay;
    private final int maxBytes;

    PushEndpoints(boolean component, String ownAppid, String token, String aesKey, String previousAesKey,
            ReplayGuard replay, int maxBytes) {
        this.component = component;
        this.ownAppid = ownAppid;
        // a key that is no EncodingAESKey stops the start, not the first push
        this.crypto = new PushCrypto(token, aesKey, previousAesKey, ownAppid, "kefu.push.aes-key");
        this.replay = replay;
        this.maxBytes = maxBytes;
    }

    /** @throws ConfigException naming the property that is missing or wrong (never its value) */
    public static PushEndpoints from(KefuSettings settings) {
        boolean component = settings.tokenMode() == TokenMode.COMPONENT;
        String own = component ? settings.get("kefu.component.appid") : settings.get("kefu.appid");
        if (own.isEmpty()) {
            throw new ConfigException("kefu.push.port is set: push endpoints need " + (component
                    ? "kefu.component.appid" : "kefu.appid") + " (the appid WeChat encrypts the pushes for)");
        }
        if (settings.get("kefu.push.token").isEmpty()) {
            throw new ConfigException("kefu.push.port is set: set kefu.push.token (the Token entered at WeChat for "
                    + "the push URL)");
        }
        long max = settings.bytes("kefu.push.max-size");
        try {
            return new PushEndpoints(component, own, settings.get("kefu.push.token"), settings.get("kefu.push.aes-key"),
                    settings.get("kefu.push.aes-key-previous"),
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
        return component ? Optional.of(new PushReceiver("component", crypto, replay, maxBytes))
                : Optional.empty();
    }

    /** The message endpoint of this appid, if it has one. */
    public Optional<PushReceiver> account(String appid) {
        if (appid == null || !APPID.matcher(appid).matches() || (!component && !appid.equals(ownAppid))) {
            return Optional.empty();
        }
        return Optional.of(new PushReceiver(appid, crypto, replay, maxBytes));
    }
}
