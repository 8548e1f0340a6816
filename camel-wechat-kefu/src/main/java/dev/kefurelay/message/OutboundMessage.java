package dev.kefurelay.message;

import java.util.List;

/**
 * A message as the relay handles it: WeChat's body plus the envelope keys that never reach WeChat.
 *
 * @param appid the sending account (already defaulted), never null after reading
 * @param id    the caller's message id for duplicate suppression, or null
 * @param media the media sources to upload before sending, whose ids go into {@code message}; empty for most
 * @param body     the custom/send body, written once when the message was read (envelope keys and null values
 *                 left out); null when there are media sources, whose ids are known only per attempt
 * @param fallback what to send instead when the user's window is closed or used up, or null
 */
public record OutboundMessage(String appid, String id, KefuMessage message, List<MediaRef> media, String body,
        Fallback fallback) {

    public OutboundMessage {
        media = media == null ? List.of() : List.copyOf(media);
    }

    /** A message made in code rather than read: its body is written from the model. */
    public OutboundMessage(String appid, String id, KefuMessage message) {
        this(appid, id, message, List.of(), message.toJson(), null);
    }

    /** The same message from another account (the appid the transport chose). */
    OutboundMessage withAppid(String sender) {
        return new OutboundMessage(sender, id, message, media, body, fallback);
    }
}
