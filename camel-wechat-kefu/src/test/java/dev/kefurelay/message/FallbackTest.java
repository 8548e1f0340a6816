package dev.kefurelay.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kefurelay.wechat.Channel;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class FallbackTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final MessageReader READER = new MessageReader("wxdefault");
    private static final String TEXT = "\"touser\":\"oUser1\",\"msgtype\":\"text\",\"text\":{\"content\":\"shipped\"}";
    private static final String TEMPLATE = "{\"msgtype\":\"template\",\"template\":{\"template_id\":\"TPL1\","
            + "\"url\":\"https://shop.example/o/1\",\"miniprogram\":{\"appid\":\"wxmini\",\"pagepath\":\"p/o?id=1\"},"
            + "\"data\":{\"order\":{\"value\":\"A-1\"},\"amount\":{\"value\":12.5}}}}";

    private static OutboundMessage read(String fallback) {
        return READER.read("{\"id\":\"order-1\"," + TEXT + ",\"fallback\":" + fallback + "}", null, null);
    }

    @Test
    void aTemplateFallbackIsTakenOutOfTheCustomSendBodyAndSentToTheMessagesUserWithItsIdAsClientMsgId()
            throws Exception {
        OutboundMessage message = read(TEMPLATE);

        assertFalse(JSON.readTree(message.body()).has("fallback"), "custom/send never sees the fallback");
        assertEquals(Channel.TEMPLATE, message.fallback().channel());
        JsonNode body = JSON.readTree(message.fallback().body("oUser1", message.id()));
        assertEquals("oUser1", body.path("touser").asText());
        assertEquals("order-1", body.path("client_msg_id").asText());
        assertEquals("TPL1", body.path("template_id").asText());
        assertEquals("p/o?id=1", body.path("miniprogram").path("pagepath").asText());
        assertEquals(12.5, body.path("data").path("amount").path("value").asDouble());
    }

    @Test
    void aSubscribeFallbackGetsNoClientMsgId() throws Exception {
        OutboundMessage message = read("{\"msgtype\":\"subscribe\",\"subscribe\":{\"template_id\":\"SUB1\","
                + "\"page\":\"pages/order\",\"data\":{\"thing1\":{\"value\":\"shipped\"}}}}");

        JsonNode body = JSON.readTree(message.fallback().body("oUser1", message.id()));
        assertEquals(Channel.SUBSCRIBE, message.fallback().channel());
        assertEquals("pages/order", body.path("page").asText());
        assertFalse(body.has("client_msg_id"));
    }

    @Test
    void aMessageWithoutFallbackHasNone() {
        assertNull(READER.read("{" + TEXT + "}", null, null).fallback());
        assertNull(READER.read("{" + TEXT + ",\"fallback\":null}", null, null).fallback());
    }

    @Test
    void anIdLongerThan64CharactersBecomesItsSha256() {
        String id = "x".repeat(65);
        assertEquals(64, Fallback.clientMsgId(id).length());
        assertEquals(Fallback.clientMsgId(id), Fallback.clientMsgId(id));
        assertEquals("y".repeat(64), Fallback.clientMsgId("y".repeat(64)));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "[]|fallback must be an object",
        "{\"msgtype\":\"custom\",\"custom\":{}}|fallback.msgtype must be 'template' or 'subscribe', not 'custom'",
        "{\"template\":{}}|fallback.msgtype must be 'template' or 'subscribe', not missing",
        "{\"msgtype\":\"template\"}|fallback.template is missing",
        "{\"msgtype\":\"template\",\"template\":{\"data\":{\"a\":{\"value\":\"1\"}}}}|fallback.template.template_id is missing",
        "{\"msgtype\":\"template\",\"template\":{\"template_id\":\"T\"}}|fallback.template.data is missing",
        "{\"msgtype\":\"template\",\"template\":{\"template_id\":\"T\",\"data\":{}}}|fallback.template.data must be an object",
        "{\"msgtype\":\"template\",\"template\":{\"template_id\":\"T\",\"data\":{\"a\":\"1\"}}}|fallback.template.data.a must be {\"value\":…}",
        "{\"msgtype\":\"template\",\"template\":{\"template_id\":7,\"data\":{\"a\":{\"value\":\"1\"}}}}|field 'fallback.template.template_id' must be a string",
        "{\"msgtype\":\"template\",\"template\":{\"template_id\":\"T\",\"page\":\"p\",\"data\":{\"a\":{\"value\":\"1\"}}}}|unknown field 'fallback.template.page'",
        "{\"msgtype\":\"template\",\"template\":{\"template_id\":\"T\",\"miniprogram\":{\"pagepath\":\"p\"},\"data\":{\"a\":{\"value\":\"1\"}}}}|fallback.template.miniprogram.appid is missing",
        "{\"msgtype\":\"template\",\"touser\":\"o\",\"template\":{}}|field 'fallback.touser' does not belong in a template fallback: it goes to the message's touser",
        "{\"msgtype\":\"subscribe\",\"subscribe\":{\"template_id\":\"T\",\"url\":\"u\",\"data\":{\"a\":{\"value\":\"1\"}}}}|unknown field 'fallback.subscribe.url'",
    })
    void aBadFallbackFailsTheMessageWhenItIsReadNamingTheField(String fallback, String expected) {
        InvalidMessageException e = assertThrows(InvalidMessageException.class, () -> read(fallback));
        assertTrue(e.getMessage().startsWith(expected), e.getMessage());
    }
}
