package dev.kefurelay.message;

/**
 * A message as the relay handles it: WeChat's body plus the envelope keys that never reach WeChat.
 *
 * @param appid the sending account (already defaulted), never null after reading
 * @param id    the caller's message id for duplicate suppression, or null
 */
public record OutboundMessage(String appid, String id, KefuMessage message) {
}
