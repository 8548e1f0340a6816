package dev.kefurelay.wecom;

import java.time.Instant;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kefurelay.window.Interaction;
import dev.kefurelay.window.WindowKeeper;

/**
 * What a {@code kf/sync_msg} entry opens in the window book: a customer's own message (see
 * {@link Interaction#ofWeCom}) opens the window of its kf account (open_kfid, the book's account) with that customer
 * (external_userid, the book's user), from its {@code send_time}. Read from the entry as WeCom gives it, or as the
 * relay puts it on its queue (the same fields at the top).
 *
 * @param at the entry's {@code send_time}; null when it has none (the book then takes now)
 */
public record KfInteraction(String openKfid, String externalUserid, Interaction interaction, Instant at) {

    /** The interaction of this entry; empty for events, agents' messages and entries that name no customer. */
    public static Optional<KfInteraction> of(JsonNode entry) {
        if (entry == null || !entry.isObject()) {
            return Optional.empty();
        }
        String openKfid = text(entry, "open_kfid");
        String customer = text(entry, "external_userid");
        JsonNode origin = entry.get("origin");
        if (openKfid == null || customer == null || origin == null || !origin.canConvertToInt()) {
            return Optional.empty();
        }
        JsonNode sendTime = entry.get("send_time");
        Instant at = sendTime != null && sendTime.canConvertToLong() ? Instant.ofEpochSecond(sendTime.asLong()) : null;
        return Interaction.ofWeCom(origin.asInt(), text(entry, "msgtype"))
                .map(i -> new KfInteraction(openKfid, customer, i, at));
    }

    /** Records it; a store that cannot throws (see {@link WindowKeeper#record}). */
    public void recordIn(WindowKeeper windows) {
        windows.record(openKfid, externalUserid, interaction, at);
    }

    private static String text(JsonNode entry, String field) {
        JsonNode value = entry.get(field);
        return value != null && value.isTextual() && !value.asText().isEmpty() ? value.asText() : null;
    }
}
