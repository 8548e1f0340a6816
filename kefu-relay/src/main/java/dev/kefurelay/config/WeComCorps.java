package dev.kefurelay.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The keys of further WeCom corps as given ({@code kefu.wecom.corps.<corpid>.secret}, {@code .push-token},
 * {@code .push-aes-key}), and the WeCom group's maps made of them and of the default corp's keys
 * ({@code kefu.wecom.corpid}, {@code .secret}, {@code .push-token}, {@code .push-aes-key}). Checked by
 * {@link SettingChecks}; holds secrets and prints none.
 */
final class WeComCorps {

    private final Map<String, String> secrets = new TreeMap<>();
    private final Map<String, String> pushTokens = new TreeMap<>();
    private final Map<String, String> pushAesKeys = new TreeMap<>();

    void put(Key key, String corpid, String value) {
        switch (key) {
            case WECOM_CORPS_SECRET -> secrets.put(corpid, value);
            case WECOM_CORPS_PUSH_TOKEN -> pushTokens.put(corpid, value);
            case WECOM_CORPS_PUSH_AES_KEY -> pushAesKeys.put(corpid, value);
            default -> throw new IllegalArgumentException(key.key() + " is no key of a further corp");
        }
    }

    boolean none() {
        return named().isEmpty();
    }

    /** Every further corp any of its keys names. */
    Set<String> named() {
        Set<String> all = new TreeSet<>(secrets.keySet());
        all.addAll(pushTokens.keySet());
        all.addAll(pushAesKeys.keySet());
        return all;
    }

    String secret(String corpid) {
        return secrets.get(corpid);
    }

    String pushToken(String corpid) {
        return pushTokens.getOrDefault(corpid, "");
    }

    String pushAesKey(String corpid) {
        return pushAesKeys.getOrDefault(corpid, "");
    }

    /** corpid → the secret of its 微信客服 app: the default corp first, then the further ones. */
    Map<String, SettingGroups.Secret> secrets(Map<String, String> values) {
        Map<String, SettingGroups.Secret> all = new LinkedHashMap<>();
        String corpid = values.get(Key.WECOM_CORPID.key());
        if (!corpid.isEmpty()) {
            all.put(corpid, new SettingGroups.Secret(values.get(Key.WECOM_SECRET.key())));
        }
        secrets.forEach((id, secret) -> all.put(id, new SettingGroups.Secret(secret)));
        return Collections.unmodifiableMap(all);
    }

    /** corpid → its callback Token and EncodingAESKey, for the corps given a Token. */
    Map<String, SettingGroups.PushKeys> callbacks(Map<String, String> values) {
        Map<String, SettingGroups.PushKeys> all = new LinkedHashMap<>();
        String corpid = values.get(Key.WECOM_CORPID.key());
        if (!corpid.isEmpty() && !values.get(Key.WECOM_PUSH_TOKEN.key()).isEmpty()) {
            all.put(corpid, new SettingGroups.PushKeys(new SettingGroups.Secret(values.get(Key.WECOM_PUSH_TOKEN.key())),
                    new SettingGroups.Secret(values.get(Key.WECOM_PUSH_AES_KEY.key()))));
        }
        pushTokens.forEach((id, token) -> {
            if (!token.isEmpty()) {
                all.put(id, new SettingGroups.PushKeys(new SettingGroups.Secret(token),
                        new SettingGroups.Secret(pushAesKey(id))));
            }
        });
        return Collections.unmodifiableMap(all);
    }

    /** Names the corps only. */
    @Override
    public String toString() {
        return "WeComCorps" + named();
    }
}
