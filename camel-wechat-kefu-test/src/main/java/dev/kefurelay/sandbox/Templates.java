package dev.kefurelay.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The templates each account has added (template messages and subscribe messages are separate kinds at WeChat, with
 * separate ids), the keys each declares, and users' one-time consents to subscribe messages: each consent lets one
 * message through, as WeChat's one-time subscriptions do.
 */
final class Templates {

    private record Key(String appid, String templateId) {
    }

    private record Consent(String appid, String openid, String templateId) {
    }

    private final Map<Key, List<String>> templates = new ConcurrentHashMap<>();
    private final Map<Key, List<String>> subscribeTemplates = new ConcurrentHashMap<>();
    private final Map<Consent, Integer> consents = new ConcurrentHashMap<>();

    void template(String appid, String templateId, List<String> keys) {
        templates.put(key(appid, templateId), checkedKeys(keys));
    }

    void subscribeTemplate(String appid, String templateId, List<String> keys) {
        subscribeTemplates.put(key(appid, templateId), checkedKeys(keys));
    }

    /** The keys the account's template declares, or 40037 for a template the account does not have. */
    List<String> templateKeys(String appid, String templateId) {
        return keys(templates, appid, templateId);
    }

    List<String> subscribeKeys(String appid, String templateId) {
        return keys(subscribeTemplates, appid, templateId);
    }

    /** The user accepts one more subscribe message of this template (WeChat's subscription dialog, once per tap). */
    void consent(String appid, String openid, String templateId, int times) {
        if (times < 1) {
            throw new IllegalArgumentException("a consent lets at least 1 message through, not " + times);
        }
        require(openid, "openid");
        consents.merge(new Consent(require(appid, "appid"), openid, require(templateId, "templateId")), times,
                Integer::sum);
    }

    int consentsLeft(String appid, String openid, String templateId) {
        return consents.getOrDefault(new Consent(appid, openid, templateId), 0);
    }

    /** Uses one consent, atomically; 43101 when there is none left. */
    void useConsent(String appid, String openid, String templateId) {
        boolean[] used = {false};
        consents.computeIfPresent(new Consent(appid, openid, templateId), (k, left) -> {
            used[0] = true;
            return left == 1 ? null : left - 1;
        });
        if (!used[0]) {
            throw new ApiException(ErrorCodes.USER_REFUSED_MESSAGE);
        }
    }

    /**
     * WeChat's check of {@code data} against the template's keys: 47003 naming the first key that is missing, not an
     * object with a {@code value}, or (subscribe messages, {@code emptyRefused}) empty. Keys the template does not
     * declare are ignored, as WeChat ignores them.
     */
    /** A {@code miniprogram} given is an object, as both fallback APIs take it; else WeChat's 47001. */
    static void checkMiniprogram(JsonNode body) {
        JsonNode miniprogram = body.get("miniprogram");
        if (miniprogram != null && !miniprogram.isObject()) {
            throw new ApiException(ErrorCodes.DATA_FORMAT_ERROR);
        }
    }

    static void checkData(JsonNode data, List<String> keys, boolean emptyRefused) {
        if (data == null || !data.isObject()) {
            throw new ApiException(ErrorCodes.ARGUMENT_INVALID, "data is invalid");
        }
        for (String key : keys) {
            JsonNode entry = data.get(key);
            if (entry == null || entry.isNull()) {
                throw new ApiException(ErrorCodes.ARGUMENT_INVALID, "data." + key + ".value is emtpy");
            }
            JsonNode value = entry.isObject() ? entry.get("value") : null;
            if (value == null || !value.isValueNode() || value.isNull()) {
                throw new ApiException(ErrorCodes.ARGUMENT_INVALID, "data." + key + ".value invalid");
            }
            if (emptyRefused && value.asText().isEmpty()) {
                // WeChat's own spelling
                throw new ApiException(ErrorCodes.ARGUMENT_INVALID, "data." + key + ".value is emtpy");
            }
        }
    }

    void reset() {
        consents.clear();
    }

    private static List<String> keys(Map<Key, List<String>> registry, String appid, String templateId) {
        List<String> keys = templateId == null ? null : registry.get(new Key(appid, templateId));
        if (keys == null) {
            throw new ApiException(ErrorCodes.INVALID_TEMPLATE_ID);
        }
        return keys;
    }

    private static Key key(String appid, String templateId) {
        return new Key(require(appid, "appid"), require(templateId, "templateId"));
    }

    private static List<String> checkedKeys(List<String> keys) {
        keys.forEach(k -> require(k, "a template's key"));
        return List.copyOf(keys);
    }

    private static String require(String value, String name) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException(name + " must not be empty");
        }
        return value;
    }
}
