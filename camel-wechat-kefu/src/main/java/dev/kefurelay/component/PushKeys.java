package dev.kefurelay.component;

import static dev.kefurelay.util.Strings.blankToNull;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.kefurelay.push.PushCrypto;
import dev.kefurelay.push.PushReceivers;
import dev.kefurelay.push.ReplayGuard;
import dev.kefurelay.token.OptionNames;
import dev.kefurelay.token.TokenMode;

/**
 * Which keys a {@code wechat-kefu:push} endpoint opens pushes with: in component mode the platform's
 * ({@code pushToken}, {@code pushSecretKey} of {@code componentAppid}), which open every authorizer's; otherwise the
 * default account's ({@code pushToken} of {@code appid}) and each further account's ({@code accountPushTokens},
 * {@code accountPushSecretKeys}). An endpoint's own {@code pushToken} and {@code pushSecretKey} are its appid's (in
 * component mode, the platform's). Errors name the option to set, never a value.
 */
final class PushKeys {

    private PushKeys() {
    }

    /** @throws IllegalArgumentException an option is missing or wrong; the text names it */
    static PushReceivers receivers(WeChatKefuComponentConfiguration c, WeChatKefuConfiguration endpoint,
            OptionNames names) {
        boolean component = c.getTokenMode() == TokenMode.COMPONENT;
        String endpointToken = blankToNull(endpoint.getPushToken());
        String endpointKey = blankToNull(endpoint.getPushSecretKey());
        if (endpointKey != null && endpointToken == null) {
            throw new IllegalArgumentException("wechat-kefu:push: pushSecretKey is set without pushToken: set the "
                    + "endpoint's pushToken too (the Token entered at WeChat beside the EncodingAESKey)");
        }
        String own = blankToNull(component ? c.getComponentAppid() : c.getAppid());
        Map<String, PushCrypto> keys = new LinkedHashMap<>();
        try {
            if (component) {
                if (own == null) {
                    throw new IllegalArgumentException("wechat-kefu:push in component mode needs "
                            + names.name("component-appid") + " (the platform's appid ends each push's plaintext)");
                }
                String token = endpointToken != null ? endpointToken : blankToNull(c.getPushToken());
                if (token == null) {
                    throw new IllegalArgumentException("wechat-kefu:push in component mode needs "
                            + names.name("push-token") + " (the Token entered at WeChat for the platform's "
                            + "authorization event and message URLs)");
                }
                keys.put(own, endpointToken != null ? new PushCrypto(token, endpointKey, null, own, "pushSecretKey")
                        : componentKeys(c, token, own, names));
            } else {
                accountKeys(c, own, names, keys);
                if (endpointToken != null) {
                    String appid = blankToNull(endpoint.getAppid()) != null ? endpoint.getAppid().strip() : own;
                    if (appid == null) {
                        throw new IllegalArgumentException("wechat-kefu:push: pushToken is set: set the endpoint's "
                                + "appid too (the account whose pushes it opens)");
                    }
                    keys.put(appid, new PushCrypto(endpointToken, endpointKey, null, appid, "pushSecretKey"));
                }
                if (keys.isEmpty()) {
                    throw new IllegalArgumentException("wechat-kefu:push has no push keys: set "
                            + names.name("push-token") + " (and " + names.name("push-secret-key") + ") for "
                            + names.name("appid") + ", " + names.name("account-push-tokens", "<appid>")
                            + " for a further account, or the endpoint's appid and pushToken");
                }
            }
        } catch (IllegalArgumentException e) {
            throw e.getMessage().startsWith("wechat-kefu:push") ? e
                    : new IllegalArgumentException("wechat-kefu:push: " + e.getMessage());
        }
        return new PushReceivers(component, own, keys, replay(c, names), maxSize(c, names));
    }

    private static void accountKeys(WeChatKefuComponentConfiguration c, String own, OptionNames names,
            Map<String, PushCrypto> keys) {
        String token = blankToNull(c.getPushToken());
        if (token != null) {
            if (own == null) {
                throw new IllegalArgumentException(names.name("push-token") + " is set: set " + names.name("appid")
                        + " too (the account whose pushes it opens)");
            }
            keys.put(own, componentKeys(c, token, own, names));
        } else if (blankToNull(c.getPushSecretKey()) != null) {
            throw new IllegalArgumentException(names.name("push-secret-key") + " is set without "
                    + names.name("push-token") + ": set the Token entered at WeChat beside it");
        }
        Map<String, String> tokens = c.getAccountPushTokens() == null ? Map.of() : c.getAccountPushTokens();
        Map<String, String> aesKeys = c.getAccountPushSecretKeys() == null ? Map.of() : c.getAccountPushSecretKeys();
        aesKeys.forEach((appid, key) -> {
            if (blankToNull(tokens.get(appid)) == null && blankToNull(key) != null) {
                throw new IllegalArgumentException(names.name("account-push-secret-keys", appid.strip()) + " is set "
                        + "without " + names.name("account-push-tokens", appid.strip()));
            }
        });
        tokens.forEach((id, t) -> {
            String appid = id.strip();
            if (blankToNull(t) == null) {
                throw new IllegalArgumentException(names.name("account-push-tokens", appid) + " is empty");
            }
            keys.put(appid, new PushCrypto(t.strip(), blankToNull(aesKeys.get(id)), null, appid,
                    names.name("account-push-secret-keys", appid)));
        });
    }

    /** The component's own keys (push-token, push-secret-key and the previous one) for this receive id. */
    private static PushCrypto componentKeys(WeChatKefuComponentConfiguration c, String token, String receiveId,
            OptionNames names) {
        return new PushCrypto(token, blankToNull(c.getPushSecretKey()), blankToNull(c.getPushSecretKeyPrevious()),
                receiveId, names.name("push-secret-key"));
    }

    private static ReplayGuard replay(WeChatKefuComponentConfiguration c, OptionNames names) {
        Duration window = c.getPushMaxAge();
        if (window == null || window.isNegative()) {
            throw new IllegalArgumentException(names.name("push-max-age") + " must be 0 (off) or longer, not "
                    + window);
        }
        return new ReplayGuard(window, Clock.systemUTC(), Ticker.systemTicker(), names.name("push-max-age"));
    }

    private static int maxSize(WeChatKefuComponentConfiguration c, OptionNames names) {
        if (c.getPushMaxSize() <= 0) {
            throw new IllegalArgumentException(names.name("push-max-size") + " must be more than 0, not "
                    + c.getPushMaxSize());
        }
        return c.getPushMaxSize();
    }
}
