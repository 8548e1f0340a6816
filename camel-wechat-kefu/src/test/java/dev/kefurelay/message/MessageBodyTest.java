package dev.kefurelay.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kefurelay.Samples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The custom/send body is written once, when the message is read, and says what the model says. */
class MessageBodyTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final MessageReader reader = new MessageReader("wxdefault");

    static java.util.Set<String> types() {
        return Samples.contents().keySet();
    }

    @ParameterizedTest
    @MethodSource("types")
    void theBodyOfEveryTypeIsWeChatsJsonAndTheModelsToo(String msgtype) throws Exception {
        OutboundMessage m = reader.read("{\"appid\":\"wxother\",\"id\":7," + Samples.wechatBody(msgtype).substring(1),
                null, null);
        assertEquals(JSON.readTree(Samples.wechatBody(msgtype)), JSON.readTree(m.body()));
        assertEquals(JSON.readTree(m.message().toJson()), JSON.readTree(m.body()));
    }

    @Test
    void aNullValueIsLeftOutOfTheBodyAsOutOfTheModel() throws Exception {
        OutboundMessage m = reader.read("{\"touser\":\"o1\",\"msgtype\":\"video\",\"video\":{\"media_id\":\"m\","
                + "\"thumb_media_id\":null,\"title\":null},\"customservice\":null,\"aimsgcontext\":null,\"appid\":null}",
                null, null);
        assertEquals("{\"touser\":\"o1\",\"msgtype\":\"video\",\"video\":{\"media_id\":\"m\"}}", m.body());
    }

    @Test
    void plainTextGetsItsBodyFromTheModel() throws Exception {
        OutboundMessage m = reader.read("您的快递到了 👋🏽", null, "oPlainUser");
        assertEquals(JSON.readTree("{\"touser\":\"oPlainUser\",\"msgtype\":\"text\",\"text\":{\"content\":"
                + "\"您的快递到了 👋🏽\"}}"), JSON.readTree(m.body()));
    }

    @Test
    void aMessageWithAMediaSourceHasNoBodyUntilItsIdIsKnown() {
        OutboundMessage m = reader.read("{\"touser\":\"o1\",\"msgtype\":\"image\",\"image\":{\"source_url\":"
                + "\"https://example.com/a.png\"}}", null, null);
        assertNull(m.body());
        assertTrue(!m.media().isEmpty());
    }
}
