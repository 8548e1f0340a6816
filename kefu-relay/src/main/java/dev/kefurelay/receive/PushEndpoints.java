package dev.kefurelay.receive;

import java.time.Clock;
import java.util.Optional;
import java.util.regex.Pattern;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.kefurelay.config.ConfigException;
import dev.kefurelay.config.Key;
import dev.kefurelay.config.SettingGroups;
import dev.kefurelay.config.KefuSettings;
import dev.kefurelay.message.AccountKind;
import dev.kefurelay.push.PushCrypto;
import dev.kefurelay.push.PushReceiver;
import dev.kefurelay.push.ReplayGuard;
import dev.kefurelay.token.TokenMode;

/**
 * Which keys open the pushes to which path. Mode {@code component}: the platform's token and EncodingAESKey
 * ({@code kefu.push.*}) for its authorization events and for the messages of every authorizer, whose plaintexts
 * end in the platform's appid. Other modes: the default account's ({@code kefu.push.*}, receive id
 * {@code kefu.appid}) and each further account's ({@code kefu.accounts.<appid>.push-token} / {@code .push-aes-key});
 * an appid without keys has no push endpoint. A Mini Program's pushes come the same way, in JSON or XML.
 */
public final class PushEndpoints {

    private static final Pattern APPID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private final boolean component;
    private final String ownAppid;
    /** appid → its keys: the platform's (mode component), else the default account's and each account's own. */
    private final java.util.Map<String, PushCrypto> accounts;
    private final ReplayGuard replay;
    private final int maxBytes;
    /** appid → kind of the accounts (authorizers too) named one; others are Official Accounts. */
    private final java.util.Map<String, AccountKind> kinds;

    PushEndpoints(boolean component, String ownAppid, java.util.Map<String, PushCrypto> accounts, ReplayGuard replay,
            int maxBytes) {
        this(component, ownAppid, accounts, replay, maxBytes, java.util.Map.of());
    }

    PushEndpoints(boolean component, String ownAppid, java.util.Map<String, PushCrypto> accounts, ReplayGuard replay,
            int maxBytes, java.util.Map<String, AccountKind> kinds) {
        this.component = component;
        this.ownAppid = ownAppid;
        this.accounts = java.util.Map.copyOf(accounts);
        this.replay = replay;
        this.maxBytes = maxBytes;
        this.kinds = java.util.Map.copyOf(kinds);
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
        try {
            java.util.Map<String, PushCrypto> accounts = new java.util.LinkedHashMap<>();
            if (ownKeys) {
                accounts.put(own, new PushCrypto(push.token().value(), push.aesKey().value(),
                        push.aesKeyPrevious().value(), own, Key.PUSH_AES_KEY.key()));
            }
            accountSettings.push().forEach((appid, keys) -> accounts.put(appid, new PushCrypto(keys.token().value(),
                    keys.aesKey().value(), null, appid, Key.ACCOUNTS_PUSH_AES_KEY.key(appid))));
            return new PushEndpoints(component, own == null ? "" : own, accounts,
                    new ReplayGuard(push.maxAge(), Clock.systemUTC(), Ticker.systemTicker()),
                    (int) Math.min(Integer.MAX_VALUE, push.maxSize()), accountSettings.kinds());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
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

    /** The kind of the account whose users' pushes come to {@code /wechat/accounts/<appid>}. */
    public AccountKind kind(String appid) {
        return kinds.getOrDefault(appid, AccountKind.OFFICIAL);
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
