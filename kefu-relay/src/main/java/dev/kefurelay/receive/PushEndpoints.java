package dev.kefurelay.receive;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.kefurelay.config.ConfigException;
import dev.kefurelay.config.Key;
import dev.kefurelay.config.KefuSettings;
import dev.kefurelay.config.SettingGroups;
import dev.kefurelay.push.PushCrypto;
import dev.kefurelay.push.PushReceiver;
import dev.kefurelay.push.PushReceivers;
import dev.kefurelay.push.ReplayGuard;
import dev.kefurelay.token.TokenMode;

/**
 * The relay's push keys ({@code kefu.push.*}) as the component's {@link PushReceivers}, which decide which keys open
 * the pushes to which path. Mode {@code component}: the platform's token and EncodingAESKey for its authorization
 * events and for the messages of every authorizer, whose plaintexts end in the platform's appid. Other modes: the
 * default account's ({@code kefu.push.*}, receive id {@code kefu.appid}) and each further account's
 * ({@code kefu.accounts.<appid>.push-token} / {@code .push-aes-key}); an appid without keys has no push endpoint. A
 * Mini Program's pushes come the same way, in JSON or XML. WeCom's corps' callback keys likewise
 * ({@link #wecomCorps}).
 */
public final class PushEndpoints {

    private final PushReceivers receivers;

    PushEndpoints(PushReceivers receivers) {
        this.receivers = receivers;
    }

    /** @throws ConfigException naming the property that is missing or wrong (never its value) */
    public static PushEndpoints from(KefuSettings settings) {
        boolean component = settings.tokenMode() == TokenMode.COMPONENT;
        SettingGroups.Accounts accountSettings = settings.accounts();
        String own = component ? accountSettings.componentAppid() : accountSettings.defaultAppid();
        SettingGroups.Push push = settings.push();
        boolean ownKeys = push.token().isSet() && own != null;
        if (component && !push.token().isSet()) {
            throw new ConfigException(Key.PUSH_PORT.key() + " is set: set " + Key.PUSH_TOKEN.key() + " (the Token "
                    + "entered at WeChat for the platform's authorization event and message URLs)");
        }
        // WeCom's callbacks alone are reason enough for the push port (they have keys of their own)
        if (!component && !ownKeys && accountSettings.push().isEmpty() && !settings.wecom().receives()) {
            throw new ConfigException(Key.PUSH_PORT.key() + " is set: set " + Key.PUSH_TOKEN.key() + " for "
                    + Key.APPID.key() + ", or " + Key.ACCOUNTS_PUSH_TOKEN.key() + " (the Token entered at WeChat for "
                    + "the account's message URL)");
        }
        return new PushEndpoints(receivers(push, component, own, () -> {
            Map<String, PushCrypto> keys = new LinkedHashMap<>();
            if (ownKeys) {
                keys.put(own, new PushCrypto(push.token().value(), push.aesKey().value(),
                        push.aesKeyPrevious().value(), own, Key.PUSH_AES_KEY.key()));
            }
            accountSettings.push().forEach((appid, k) -> keys.put(appid, new PushCrypto(k.token().value(),
                    k.aesKey().value(), null, appid, Key.ACCOUNTS_PUSH_AES_KEY.key(appid))));
            return keys;
        }));
    }

    /**
     * WeCom's callback keys by the same rule as the accounts': each corp with a callback Token opens its own path
     * with its keys, its corp id the receive id; the default corp ({@code kefu.wecom.corpid}) is the own one, which
     * also has {@code /wecom/kf}.
     *
     * @throws ConfigException naming the key that is wrong (never its value)
     */
    public static PushReceivers wecomCorps(KefuSettings settings) {
        SettingGroups.WeCom wecom = settings.wecom();
        return receivers(settings.push(), false, wecom.corpid(), () -> {
            Map<String, PushCrypto> keys = new LinkedHashMap<>();
            wecom.callbacks().forEach((corpid, k) -> keys.put(corpid, new PushCrypto(k.token().value(),
                    k.aesKey().value(), null, corpid, corpid.equals(wecom.corpid()) ? Key.WECOM_PUSH_AES_KEY.key()
                            : Key.WECOM_CORPS_PUSH_AES_KEY.key(corpid))));
            return keys;
        });
    }

    /** The keys with kefu.push's replay window and size; a key the crypto refuses stops the start naming it. */
    private static PushReceivers receivers(SettingGroups.Push push, boolean component, String own,
            Supplier<Map<String, PushCrypto>> keys) {
        try {
            return new PushReceivers(component, own, keys.get(),
                    new ReplayGuard(push.maxAge(), Clock.systemUTC(), Ticker.systemTicker()),
                    (int) Math.min(Integer.MAX_VALUE, push.maxSize()));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    public boolean componentMode() {
        return receivers.component();
    }

    /** The platform's (mode component) or the default account's appid. */
    public String ownAppid() {
        return receivers.ownAppid();
    }

    /** The authorization-event endpoint: mode component only. */
    public Optional<PushReceiver> platform() {
        return receivers.platform();
    }

    /** The message endpoint of this appid, if it has one. */
    public Optional<PushReceiver> account(String appid) {
        return receivers.account(appid);
    }
}
