package dev.kefurelay.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.kefurelay.component.OptionChecks;
import dev.kefurelay.media.AllowHosts;
import dev.kefurelay.push.PushReceivers;
import dev.kefurelay.message.AccountKind;
import dev.kefurelay.token.OptionNames;
import dev.kefurelay.token.TokenMode;

/**
 * The checks across keys, and those of the component's options, run once before the typed groups are built. The
 * base URLs and the credentials are checked by the component's own rules ({@link OptionChecks}), named by the
 * relay's keys ({@link ComponentOptions#RELAY_KEYS}), so the relay refuses at start exactly what the component
 * would refuse later. A message names the key; a value is shown only where it is no secret.
 */
final class SettingChecks {

    private static final OptionNames KEYS = ComponentOptions.RELAY_KEYS;

    private SettingChecks() {
    }

    /**
     * @param values      every plain key, defaults filled in
     * @param secrets     appid → secret of every official account, the default one included
     * @param accountPush appid → its own push keys
     * @param corps       the further WeCom corps' keys
     */
    static void check(Map<String, String> values, Map<String, String> secrets,
            Map<String, SettingGroups.PushKeys> accountPush, WeComCorps corps) {
        TokenMode mode = tokenMode(values);
        baseUrls(values);
        // every port, count, duration, size and true/false against its rule, in one place
        SettingRules.check(values);
        try {
            AllowHosts.parse(values.get(Key.MEDIA_ALLOW_HOSTS.key()), Key.MEDIA_ALLOW_HOSTS.key());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
        notEmpty(values, Key.HTTP_BIND);
        String pushPort = values.get(Key.PUSH_PORT.key());
        if (!"0".equals(pushPort) && pushPort.equals(values.get(Key.HTTP_PORT.key()))) {
            throw new ConfigException(Key.PUSH_PORT.key() + "=" + pushPort + " is " + Key.HTTP_PORT.key() + " too: the "
                    + "pushes face WeChat, health and metrics stay apart; choose another port");
        }
        notEmpty(values, Key.PUSH_BIND);
        accountPush.forEach((appid, keys) -> {
            String given = keys.token().isSet() ? Key.ACCOUNTS_PUSH_TOKEN.key(appid) : Key.ACCOUNTS_PUSH_AES_KEY.key(appid);
            if (!secrets.containsKey(appid) || mode == TokenMode.COMPONENT) {
                throw new ConfigException(given + " is set, but " + appid + " is no official account of this relay ("
                        + Key.ACCOUNTS_SECRET.key(appid) + "; in mode component the platform's kefu.push.* serve "
                        + "every authorizer)");
            }
            if (!keys.token().isSet()) {
                throw new ConfigException(given + " is set: set " + Key.ACCOUNTS_PUSH_TOKEN.key(appid) + " too");
            }
        });
        wecom(values);
        wecomCorps(values, corps);
        String storeUrl = values.get(Key.STORE_URL.key());
        if (!storeUrl.isEmpty() && !storeUrl.startsWith("jdbc:postgresql://")) {
            throw new ConfigException(Key.STORE_URL.key() + "=" + storeUrl.replaceAll("(?i)password=[^&]*", "password=***")
                    + " is not a jdbc:postgresql://host:port/database URL (leave it empty for the local store)");
        }
        if (!List.of("relay", "broker").contains(values.get(Key.MODE.key()))) {
            throw new ConfigException(Key.MODE.key() + "=" + values.get(Key.MODE.key()) + " is not relay or broker");
        }
        if (!Boolean.parseBoolean(values.get(Key.SANDBOX.key())) && !"broker".equals(values.get(Key.MODE.key()))) {
            credentials(mode, values, secrets);
        }
    }

    /**
     * The accounts' kinds by the component's rule ({@link OptionChecks#accountKinds}), named by the relay's keys. In
     * modes stable and client-credential a kind names one of the relay's accounts (its secret is set); in mode
     * component any appid may be an authorizer, one authorized at run time too.
     *
     * @param kinds appid → the value of kefu.accounts.&lt;appid&gt;.kind
     */
    static Map<String, AccountKind> kinds(Map<String, String> values, Map<String, String> secrets,
            Map<String, String> kinds) {
        Map<String, AccountKind> parsed;
        try {
            parsed = OptionChecks.accountKinds(kinds, KEYS);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
        // a broker-only relay sends for no account: there is nothing to check its kinds against
        boolean brokerOnly = "broker".equals(values.get(Key.MODE.key()));
        if (tokenMode(values) != TokenMode.COMPONENT && !brokerOnly) {
            parsed.keySet().stream().filter(appid -> !secrets.containsKey(appid)).findFirst().ifPresent(appid -> {
                throw new ConfigException(Key.ACCOUNTS_KIND.key(appid) + " is set, but " + appid + " is no account of "
                        + "this relay: set " + Key.ACCOUNTS_SECRET.key(appid) + " too (or make it " + Key.APPID.key() + ")");
            });
        }
        return parsed;
    }

    static TokenMode tokenMode(Map<String, String> values) {
        try {
            return TokenMode.parse(values.get(Key.TOKEN_MODE.key()));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(Key.TOKEN_MODE.key() + ": " + e.getMessage());
        }
    }

    /** The base URLs by the component's rule, without a trailing slash. */
    static List<String> baseUrls(Map<String, String> values) {
        try {
            return OptionChecks.baseUrls(values.get(Key.WECHAT_BASE_URL.key()), KEYS).stream()
                    .map(java.net.URI::toString).toList();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    /**
     * The component's rule (each account named has its secret; in mode component the platform's appid and secret),
     * and the relay's own: it sends from at least one account, since its messages do not bring credentials.
     */
    private static void credentials(TokenMode mode, Map<String, String> values, Map<String, String> secrets) {
        String appid = values.get(Key.APPID.key());
        String secret = values.get(Key.SECRET.key());
        Map<String, String> accounts = new java.util.LinkedHashMap<>(secrets);
        accounts.remove(appid);
        List<String> missing = new ArrayList<>(OptionChecks.missingCredentials(mode, appid, secret, accounts,
                values.get(Key.COMPONENT_APPID.key()), values.get(Key.COMPONENT_SECRET.key()), KEYS));
        if (mode != TokenMode.COMPONENT && secrets.isEmpty()) {
            missing.add(KEYS.name("appid"));
            if (secret.isEmpty()) {
                missing.add(KEYS.name("secret"));
            }
        }
        if (!missing.isEmpty()) {
            throw new ConfigException("missing credentials: set " + String.join(", ", missing) + " (environment: "
                    + String.join(", ", missing.stream().map(ConfigSources::envName).toList())
                    + "), or run with -Dkefu.sandbox=true");
        }
    }

    /**
     * WeCom: a corp with its secret; callbacks need the corp (its id is their receive id), a push port to arrive on
     * and an EncodingAESKey (WeCom's callbacks are always encrypted). The base URLs by the component's rule.
     */
    private static void wecom(Map<String, String> values) {
        boolean corp = !values.get(Key.WECOM_CORPID.key()).isEmpty();
        if (corp && values.get(Key.WECOM_SECRET.key()).isEmpty()) {
            throw new ConfigException(Key.WECOM_CORPID.key() + " is set: set " + Key.WECOM_SECRET.key() + " (the secret "
                    + "of the corp's app that may call 微信客服)");
        }
        if (!corp && !values.get(Key.WECOM_SECRET.key()).isEmpty()) {
            throw new ConfigException(Key.WECOM_SECRET.key() + " is set: set " + Key.WECOM_CORPID.key() + " too");
        }
        boolean callbacks = !values.get(Key.WECOM_PUSH_TOKEN.key()).isEmpty();
        if (callbacks && !corp) {
            throw new ConfigException(Key.WECOM_PUSH_TOKEN.key() + " is set: set " + Key.WECOM_CORPID.key() + " and "
                    + Key.WECOM_SECRET.key() + " (callbacks are pulled with the corp's token)");
        }
        if (callbacks && values.get(Key.WECOM_PUSH_AES_KEY.key()).isEmpty()) {
            throw new ConfigException(Key.WECOM_PUSH_TOKEN.key() + " is set: set " + Key.WECOM_PUSH_AES_KEY.key()
                    + " (the EncodingAESKey WeCom shows beside the Token)");
        }
        if (callbacks && "0".equals(values.get(Key.PUSH_PORT.key()))) {
            throw new ConfigException(Key.WECOM_PUSH_TOKEN.key() + " is set: set " + Key.PUSH_PORT.key() + " (WeCom's "
                    + "callbacks arrive on the push port's /wecom/kf)");
        }
        try {
            OptionChecks.baseUrls(values.get(Key.WECOM_BASE_URL.key()), KEYS);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage().replace(KEYS.name("base-url"), Key.WECOM_BASE_URL.key()));
        }
    }

    /**
     * Further corps, as further accounts are checked: each with its secret (their callback keys name a corp of the
     * relay), an id that can stand in a path ({@code /wecom/kf/<corpid>}), not the default corp under a second
     * name, and callbacks with both keys and the push port.
     */
    private static void wecomCorps(Map<String, String> values, WeComCorps corps) {
        String defaultCorp = values.get(Key.WECOM_CORPID.key());
        for (String corpid : corps.named()) {
            String given = corps.secret(corpid) != null ? Key.WECOM_CORPS_SECRET.key(corpid)
                    : !corps.pushToken(corpid).isEmpty() ? Key.WECOM_CORPS_PUSH_TOKEN.key(corpid)
                    : Key.WECOM_CORPS_PUSH_AES_KEY.key(corpid);
            if (!PushReceivers.APPID.matcher(corpid).matches()) {
                throw new ConfigException(given + ": '" + corpid + "' is not a corp id (letters, digits, _ and -, as "
                        + "WeCom's 企业ID)");
            }
            if (corpid.equals(defaultCorp)) {
                throw new ConfigException(given + " is set, but " + corpid + " is " + Key.WECOM_CORPID.key() + ": give "
                        + "its keys as " + Key.WECOM_SECRET.key() + ", " + Key.WECOM_PUSH_TOKEN.key() + " and "
                        + Key.WECOM_PUSH_AES_KEY.key());
            }
            if (corps.secret(corpid) == null) {
                throw new ConfigException(given + " is set, but " + corpid + " is no corp of this relay: set "
                        + Key.WECOM_CORPS_SECRET.key(corpid) + " too");
            }
            if (corps.secret(corpid).isEmpty()) {
                throw new ConfigException(Key.WECOM_CORPS_SECRET.key(corpid) + " is empty: give the secret of the "
                        + "corp's app that may call 微信客服");
            }
            boolean token = !corps.pushToken(corpid).isEmpty();
            boolean aesKey = !corps.pushAesKey(corpid).isEmpty();
            if (aesKey && !token) {
                throw new ConfigException(Key.WECOM_CORPS_PUSH_AES_KEY.key(corpid) + " is set: set "
                        + Key.WECOM_CORPS_PUSH_TOKEN.key(corpid) + " too");
            }
            if (token && !aesKey) {
                throw new ConfigException(Key.WECOM_CORPS_PUSH_TOKEN.key(corpid) + " is set: set "
                        + Key.WECOM_CORPS_PUSH_AES_KEY.key(corpid) + " (the EncodingAESKey WeCom shows beside the "
                        + "Token)");
            }
            if (token && "0".equals(values.get(Key.PUSH_PORT.key()))) {
                throw new ConfigException(Key.WECOM_CORPS_PUSH_TOKEN.key(corpid) + " is set: set " + Key.PUSH_PORT.key()
                        + " (WeCom's callbacks arrive on the push port's /wecom/kf/" + corpid + ")");
            }
        }
    }

    private static void notEmpty(Map<String, String> values, Key key) {
        if (values.get(key.key()).isEmpty()) {
            throw new ConfigException(key.key() + " is empty: give an address such as 127.0.0.1");
        }
    }
}
