package dev.kefurelay.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The operator's keys sorted by what they configure: the plain keys (defaults filled in), each account's and
 * authorizer's own ({@code kefu.accounts.<appid>.*}, {@code kefu.authorizers.<appid>.*}) and the further WeCom corps'
 * ({@link WeComCorps}). Unchecked still: the maps stay open for the sandbox's demo values
 * ({@link SandboxDefaults#fill}) until {@link SettingChecks} has passed them and {@link KefuSettings} copies them.
 *
 * @param values        every plain key, defaults filled in
 * @param secrets       appid → the secret of each further official account (the default one joins later)
 * @param refreshTokens authorizer appid → the seed refresh token
 * @param pushTokens    appid → the account's own push Token
 * @param pushAesKeys   appid → the account's own EncodingAESKey
 * @param kinds         appid → the value of its kind key, not parsed yet
 */
record GivenKeys(Map<String, String> values, Map<String, String> secrets, Map<String, String> refreshTokens,
        Map<String, String> pushTokens, Map<String, String> pushAesKeys, Map<String, String> kinds,
        WeComCorps corps) {

    /**
     * Sorts the keys given, values stripped; throws {@link ConfigException} naming every unknown key at once, so
     * one start shows all the typos.
     */
    static GivenKeys sort(Map<String, String> given) {
        GivenKeys keys = new GivenKeys(new LinkedHashMap<>(Key.defaults()), new LinkedHashMap<>(),
                new LinkedHashMap<>(), new LinkedHashMap<>(), new LinkedHashMap<>(), new LinkedHashMap<>(),
                new WeComCorps());
        List<String> unknown = new ArrayList<>();
        given.forEach((name, raw) -> {
            String value = raw == null ? "" : raw.strip();
            Key key = Key.of(name).orElse(null);
            if (key == null) {
                unknown.add(name);
            } else if (!key.perAccount()) {
                keys.values.put(name, value);
            } else {
                keys.putOwn(key, key.appidOf(name).orElseThrow(), value);
            }
        });
        if (!unknown.isEmpty()) {
            throw new ConfigException("unknown propert" + (unknown.size() == 1 ? "y " : "ies ") + unknown
                    + ": check the spelling against the property table (docs/configuration.md)");
        }
        return keys;
    }

    /** A key of one account, authorizer or corp; {@code id} is its appid or corpid. */
    private void putOwn(Key key, String id, String value) {
        switch (key) {
            case ACCOUNTS_SECRET -> secrets.put(id, value);
            case ACCOUNTS_PUSH_TOKEN -> pushTokens.put(id, value);
            case ACCOUNTS_PUSH_AES_KEY -> pushAesKeys.put(id, value);
            case ACCOUNTS_KIND -> kinds.put(id, value);
            case AUTHORIZERS_REFRESH_TOKEN -> refreshTokens.put(id, value);
            case WECOM_CORPS_SECRET, WECOM_CORPS_PUSH_TOKEN, WECOM_CORPS_PUSH_AES_KEY -> corps.put(key, id, value);
            default -> throw new IllegalStateException(key.key() + " is read nowhere");
        }
    }

    /** The plain key's value. */
    String value(Key key) {
        return values.get(key.key());
    }

    /** The default account (kefu.appid) is an account like the further ones: its secret joins theirs. */
    void addDefaultAccount() {
        if (!value(Key.APPID).isEmpty()) {
            secrets.put(value(Key.APPID), value(Key.SECRET));
        }
    }

    /** appid → its own push keys, for every account given either (the checks refuse one given alone). */
    Map<String, SettingGroups.PushKeys> accountPush() {
        Set<String> appids = new TreeSet<>(pushTokens.keySet());
        appids.addAll(pushAesKeys.keySet());
        Map<String, SettingGroups.PushKeys> push = new TreeMap<>();
        for (String appid : appids) {
            push.put(appid, new SettingGroups.PushKeys(new SettingGroups.Secret(pushTokens.get(appid)),
                    new SettingGroups.Secret(pushAesKeys.get(appid))));
        }
        return push;
    }

    /** Names the keys only: the values hold secrets. */
    @Override
    public String toString() {
        return "GivenKeys[accounts=" + secrets.keySet() + ", authorizers=" + refreshTokens.keySet() + ", corps="
                + corps + "]";
    }
}
