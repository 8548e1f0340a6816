package dev.kefurelay.wecom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kefurelay.WeComSamples;
import dev.kefurelay.window.Interaction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which kf/sync_msg entries open a customer's window: their own messages only, from their send_time. */
class KfInteractionTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KF = WeComSamples.OPEN_KFID;
    private static final String CUSTOMER = WeComSamples.CUSTOMER;

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    @Test
    void aCustomersMessageOpensTheMessageRowForItsKfAccountAndCustomerFromItsSendTime() throws Exception {
        KfInteraction i = KfInteraction.of(json(WeComSamples.customerEntry(KF, CUSTOMER, 1767225600L, "hi")))
                .orElseThrow();

        assertEquals(new KfInteraction(KF, CUSTOMER, Interaction.MESSAGE, Instant.ofEpochSecond(1767225600L)), i);
        assertEquals(5, i.interaction().messages(), "WeCom's 5 messages");
        assertEquals(48, i.interaction().within().toHours(), "within 48 hours");
    }

    @ParameterizedTest
    @ValueSource(strings = {"image", "voice", "video", "file", "location", "link", "business_card", "miniprogram",
            "msgmenu", "channels_shop_product"})
    void aCustomersMessageOfAnyTypeOpensIt(String msgtype) throws Exception {
        String entry = WeComSamples.customerEntry(KF, CUSTOMER, 1767225600L, "x").replace("\"msgtype\":\"text\"",
                "\"msgtype\":\"" + msgtype + "\"");
        assertEquals(Interaction.MESSAGE, KfInteraction.of(json(entry)).orElseThrow().interaction());
    }

    @Test
    void eventsAgentsMessagesAndEntriesWithoutACustomerOpenNothing() throws Exception {
        String message = WeComSamples.customerEntry(KF, CUSTOMER, 1767225600L, "x");
        // an event as sync_msg lists it: its kf account and customer inside "event"
        assertTrue(KfInteraction.of(json("{\"msgid\":\"e1\",\"send_time\":1767225600,\"origin\":4,\"msgtype\":"
                + "\"event\",\"event\":{\"event_type\":\"enter_session\",\"open_kfid\":\"" + KF + "\","
                + "\"external_userid\":\"" + CUSTOMER + "\",\"welcome_code\":\"c\"}}")).isEmpty());
        assertTrue(KfInteraction.of(json(message.replace("\"origin\":3", "\"origin\":5"))).isEmpty(),
                "an agent's message from the WeCom client");
        assertTrue(KfInteraction.of(json(message.replace("\"origin\":3", "\"origin\":4").replace(
                "\"msgtype\":\"text\"", "\"msgtype\":\"event\""))).isEmpty());
        assertTrue(KfInteraction.of(json(message.replace("\"origin\":3,", ""))).isEmpty(), "no origin");
        assertTrue(KfInteraction.of(json(message.replace("\"external_userid\":\"" + CUSTOMER + "\",", "")))
                .isEmpty(), "no customer");
        assertTrue(KfInteraction.of(json("[1]")).isEmpty());
    }

    @Test
    void anEntryWithoutSendTimeLeavesTheTimeToTheBook() throws Exception {
        String entry = WeComSamples.customerEntry(KF, CUSTOMER, 1767225600L, "x").replace("\"send_time\":1767225600,",
                "");
        assertNull(KfInteraction.of(json(entry)).orElseThrow().at());
    }
}
