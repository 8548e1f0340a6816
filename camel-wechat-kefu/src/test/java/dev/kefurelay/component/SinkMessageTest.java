package dev.kefurelay.component;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kefurelay.message.InvalidMessageException;
import org.junit.jupiter.api.Test;

/** The Kamelet's shaping rules, without Camel. */
class SinkMessageTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String s) throws Exception {
        return JSON.readTree(s);
    }

    @Test
    void plainTextBecomesATextMessageToTheGivenUser() throws Exception {
        String shaped = SinkMessage.shape("您的订单已发货", "oUser1", null, null);
        assertEquals(json("{\"touser\":\"oUser1\",\"msgtype\":\"text\",\"text\":{\"content\":\"您的订单已发货\"}}"),
                json(shaped));
        assertTrue(shaped.startsWith("{\"touser\""), "touser first, as WeChat writes it: " + shaped);
    }

    @Test
    void kfAccountIsAddedAsCustomService() throws Exception {
        String shaped = SinkMessage.shape("hi", "oUser1", "anna@gh_shop", "text");
        assertEquals("anna@gh_shop", json(shaped).path("customservice").path("kf_account").asText());
    }

    @Test
    void aContentObjectIsWrappedInTheKameletsMsgtype() throws Exception {
        String shaped = SinkMessage.shape("{\"media_id\":\"MEDIA_1\"}", "oUser1", null, "image");
        assertEquals(json("{\"touser\":\"oUser1\",\"msgtype\":\"image\",\"image\":{\"media_id\":\"MEDIA_1\"}}"),
                json(shaped));
    }

    @Test
    void aWholeMessageWithNothingMissingIsHandedOnUntouched() {
        String body = "{\"appid\":\"wxA\",\"id\":\"m-1\",\"touser\":\"oOwn\",\"msgtype\":\"text\",\"text\":{\"content\":\"x\"}}";
        assertSame(body, SinkMessage.shape(body, "oKamelet", null, "image"));
    }

    @Test
    void aWholeMessageGetsOnlyWhatItLacks() throws Exception {
        String shaped = SinkMessage.shape("{\"id\":\"m-2\",\"msgtype\":\"text\",\"text\":{\"content\":\"x\"},"
                + "\"customservice\":{\"kf_account\":\"own@gh\"}}", "oKamelet", "kamelet@gh", null);
        JsonNode m = json(shaped);
        assertEquals("oKamelet", m.path("touser").asText());
        assertEquals("own@gh", m.path("customservice").path("kf_account").asText());
        assertEquals("m-2", m.path("id").asText(), "envelope keys stay for kefu-send");
    }

    @Test
    void theBodysOwnRecipientWinsOverTheKamelets() throws Exception {
        String shaped = SinkMessage.shape("{\"touser\":\"oOwn\",\"msgtype\":\"text\",\"text\":{\"content\":\"x\"}}",
                "oKamelet", "k@gh", null);
        assertEquals("oOwn", json(shaped).path("touser").asText());
        assertEquals("k@gh", json(shaped).path("customservice").path("kf_account").asText());
    }

    @Test
    void plainTextWithoutARecipientIsInvalidAndSaysHowToFixIt() {
        InvalidMessageException e = assertThrows(InvalidMessageException.class,
                () -> SinkMessage.shape("hello", null, null, null));
        assertTrue(e.getMessage().contains("KefuToUser"), e.getMessage());
    }

    @Test
    void plainTextCannotBeAnImage() {
        InvalidMessageException e = assertThrows(InvalidMessageException.class,
                () -> SinkMessage.shape("hello", "oUser1", null, "image"));
        assertTrue(e.getMessage().contains("msgtype text"), e.getMessage());
    }

    @Test
    void brokenJsonAndEmptyBodiesAreInvalid() {
        assertThrows(InvalidMessageException.class, () -> SinkMessage.shape("{\"touser\":", "o", null, null));
        assertThrows(InvalidMessageException.class, () -> SinkMessage.shape("  ", "o", null, null));
    }

    @Test
    void aDuplicateKeyIsRefusedBeforeTheBodyIsRewritten() {
        // the Kamelet adds touser, so the body is rewritten: a lenient parse would keep only the last "text"
        InvalidMessageException e = assertThrows(InvalidMessageException.class, () -> SinkMessage.shape(
                "{\"msgtype\":\"text\",\"text\":{\"content\":\"a\"},\"text\":{\"content\":\"b\"}}", "oU", null, null));
        assertTrue(e.getMessage().contains("key \"text\" appears twice"), e.getMessage());
    }
}
