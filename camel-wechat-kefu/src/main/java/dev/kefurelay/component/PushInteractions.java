package dev.kefurelay.component;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

import dev.kefurelay.message.InvalidMessageException;
import dev.kefurelay.push.PushRefusedException;
import dev.kefurelay.push.PushXml;

/**
 * {@code wechat-kefu:interaction}: a push an application received and decrypted itself (its XML as text or bytes,
 * or its fields as a {@code Map}, e.g. from a push consumer) is recorded in the window book when it opens the user's
 * window. The answer is which interaction it was ({@code message}, {@code menu_click}, {@code follow}, {@code scan},
 * {@code enter_session}) or {@code none}.
 */
final class PushInteractions {

    private PushInteractions() {
    }

    @SuppressWarnings("unchecked")
    static String record(WindowBook windows, String appid, Object body) {
        if (appid == null) {
            throw new InvalidMessageException("appid is missing: name the account that received the push in the "
                    + "endpoint's appid or the KefuAppId header");
        }
        Map<String, Object> fields;
        try {
            if (body instanceof Map<?, ?> map) {
                fields = (Map<String, Object>) map;
            } else if (body instanceof byte[] bytes) {
                fields = PushXml.parse(bytes, PushXml.DEFAULT_MAX_BYTES);
            } else if (body instanceof String xml) {
                fields = PushXml.parse(xml.getBytes(StandardCharsets.UTF_8), PushXml.DEFAULT_MAX_BYTES);
            } else {
                throw new InvalidMessageException("an interaction is a push's XML (text or bytes) or its fields (a Map), "
                        + "not " + (body == null ? "nothing" : body.getClass().getSimpleName()));
            }
        } catch (PushRefusedException e) {
            throw new InvalidMessageException("the push cannot be read: " + e.getMessage());
        }
        return windows.record(appid, fields).map(i -> i.name().toLowerCase(Locale.ROOT)).orElse("none");
    }
}
