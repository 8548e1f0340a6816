package dev.kefurelay.component;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kefurelay.message.InvalidMessageException;
import dev.kefurelay.message.StrictJson;
import dev.kefurelay.push.PushRefusedException;
import dev.kefurelay.push.PushXml;
import dev.kefurelay.wecom.KfInteraction;
import dev.kefurelay.window.Interaction;

/**
 * {@code wechat-kefu:interaction}: a push an application received and decrypted itself (its XML as text or bytes,
 * or its fields as a {@code Map}, e.g. from a push consumer) is recorded in the window book when it opens the user's
 * window. A WeCom 微信客服 entry an application pulled with {@code kf/sync_msg} itself (its JSON as text or bytes, or
 * a {@code Map}: an object with {@code open_kfid}) is recorded the same way, for its kf account and customer. The
 * answer is which interaction it was ({@code message}, {@code menu_click}, {@code follow}, {@code scan},
 * {@code enter_session}) or {@code none}.
 */
final class PushInteractions {

    private static final ObjectMapper JSON = new ObjectMapper();

    private PushInteractions() {
    }

    /** @param appid the account that received a push; a WeCom entry names its own kf account */
    @SuppressWarnings("unchecked")
    static String record(WindowBook windows, String appid, Object body) {
        Optional<JsonNode> wecom = wecomEntry(body);
        if (wecom.isPresent()) {
            Optional<KfInteraction> interaction = KfInteraction.of(wecom.get());
            interaction.ifPresent(i -> i.recordIn(windows));
            return name(interaction.map(KfInteraction::interaction));
        }
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
                throw new InvalidMessageException("an interaction is a push's XML (text or bytes) or its fields (a "
                        + "Map), or a WeCom kf/sync_msg entry's JSON, not "
                        + (body == null ? "nothing" : body.getClass().getSimpleName()));
            }
        } catch (PushRefusedException e) {
            throw new InvalidMessageException("the push cannot be read: " + e.getMessage());
        }
        return name(windows.record(appid, fields));
    }

    /**
     * The body as a WeCom entry: JSON (text or bytes), or a Map of an entry's fields ({@code open_kfid} or
     * {@code origin}: a push's fields are capitalised); empty for a push. An entry names its kf account at its top,
     * or inside {@code event} for an event as sync_msg lists it.
     */
    private static Optional<JsonNode> wecomEntry(Object body) {
        JsonNode entry;
        if (body instanceof Map<?, ?> map) {
            if (!map.containsKey("open_kfid") && !map.containsKey("origin")) {
                return Optional.empty();
            }
            entry = JSON.valueToTree(map);
        } else {
            // a push's XML starts with '<', an entry's JSON with '{'
            String text = body instanceof byte[] bytes && startsWithBrace(bytes)
                    ? StrictJson.utf8(bytes, "the WeCom entry")
                    : body instanceof String s && s.stripLeading().startsWith("{") ? s : null;
            if (text == null) {
                return Optional.empty();
            }
            entry = StrictJson.parse(text.strip(), "the WeCom entry");
        }
        if (!entry.has("open_kfid") && !entry.path("event").has("open_kfid")) {
            throw new InvalidMessageException("the WeCom entry has no open_kfid: an interaction in JSON is an entry of "
                    + "kf/sync_msg's msg_list (open_kfid, external_userid, origin, msgtype, send_time)");
        }
        return Optional.of(entry);
    }

    private static boolean startsWithBrace(byte[] bytes) {
        for (byte b : bytes) {
            if (!Character.isWhitespace(b)) {
                return b == '{';
            }
        }
        return false;
    }

    private static String name(Optional<Interaction> interaction) {
        return interaction.map(i -> i.name().toLowerCase(Locale.ROOT)).orElse("none");
    }
}
