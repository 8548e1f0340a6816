package dev.kefurelay.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The custom/send body cut from the sender's text: the same JSON as the tree written out, less the envelope. */
class BodyTextTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> ENVELOPE = List.of("appid", "id", "fallback");

    @Test
    void theEnvelopeIsCutWhereverItStandsAndTheRestKeptAsWritten() {
        assertEquals("{\"touser\":\"o1\",\"msgtype\":\"text\",\"text\":{\"content\":\"\\\"你\\\"好 👋\"}}",
                BodyText.cut("{\"appid\":\"wx1\",\"touser\":\"o1\",\"msgtype\":\"text\",\"id\":1001,"
                        + "\"text\":{\"content\":\"\\\"你\\\"好 👋\"},\"fallback\":{\"msgtype\":\"template\","
                        + "\"template\":{\"template_id\":\"t\",\"data\":{}}}}", ENVELOPE));
        assertEquals("{\"touser\" : \"o1\",\"msgtype\":\"text\"}",
                BodyText.cut("{ \"touser\" : \"o1\" ,\n  \"msgtype\":\"text\",\"id\" : \"a\" }", ENVELOPE));
    }

    @Test
    void aTextWithoutEnvelopeIsTheBodyItself() {
        String json = "{\"touser\":\"o1\",\"msgtype\":\"text\",\"text\":{\"content\":\"hi\"}}";
        assertSame(json, BodyText.cut(json, ENVELOPE));
    }

    @Test
    void onlyTheTopLevelIsTheEnvelope() {
        // a Mini Program card names its own appid
        assertEquals("{\"touser\":\"o1\",\"msgtype\":\"miniprogrampage\",\"miniprogrampage\":{\"title\":\"t\","
                + "\"appid\":\"wxmini\",\"pagepath\":\"p\",\"thumb_media_id\":\"m\"}}",
                BodyText.cut("{\"touser\":\"o1\",\"appid\":\"wx1\",\"msgtype\":\"miniprogrampage\",\"miniprogrampage\""
                        + ":{\"title\":\"t\",\"appid\":\"wxmini\",\"pagepath\":\"p\",\"thumb_media_id\":\"m\"}}",
                        ENVELOPE));
    }

    @Test
    void whatOnlyTheTreeKnowsIsLeftToIt() {
        // a null is left out of the body, and only the tree's writer leaves it out
        assertNull(BodyText.cut("{\"touser\":\"o1\",\"msgtype\":\"text\",\"text\":{\"content\":\"x\"},"
                + "\"customservice\":null}", ENVELOPE));
        assertNull(BodyText.cut("{\"touser\":\"o1\",\"news\":{\"articles\":[{\"title\":null}]}}", ENVELOPE));
        // an escaped key may be an envelope key
        assertNull(BodyText.cut("{\"touser\":\"o1\",\"app\\u0069d\":\"wx1\"}", ENVELOPE));
        // WeChat must get characters as themselves, not as \\uxxxx (its 40033): the tree's writer decodes them
        assertNull(BodyText.cut("{\"touser\":\"o1\",\"text\":{\"content\":\"\\u4f60\"}}", ENVELOPE));
        assertNull(BodyText.cut("{\"touser\":\"o1\",\"url\":\"https:\\/\\/x\"}", ENVELOPE));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"appid\":\"wx1\",\"touser\":\"o1\",\"msgtype\":\"text\",\"text\":{\"content\":\"null, none: {}[]\\\"n\\\\\"}}",
        "{\"touser\":\"o1\",\"msgtype\":\"news\",\"news\":{\"articles\":[{\"title\":\"a\",\"url\":\"https://x/n?a=1\"},"
                + "{\"title\":\"b\",\"picurl\":\"\\\"}]\"}]},\"id\":-12}",
        "{\"touser\":\"o1\",\"msgtype\":\"msgmenu\",\"msgmenu\":{\"list\":[{\"id\":\"101\",\"content\":\"yes\"}],"
                + "\"tail_content\":\"\"},\"id\":true,\"appid\":false}",
        "{\"touser\":\"o1\",\"x\":1.5e3,\"y\":[1,2,[3,{}]],\"id\":\"\"}",
        "{\"id\":\"only\"}",
    })
    void theCutIsTheTreeWrittenWithoutTheEnvelope(String json) throws Exception {
        String cut = BodyText.cut(json, ENVELOPE);
        ObjectNode tree = (ObjectNode) JSON.readTree(json);
        tree.remove(ENVELOPE);
        JsonNode body = JSON.readTree(cut);
        assertEquals(tree, body);
        assertFalse(ENVELOPE.stream().anyMatch(body::has));
    }

    @Test
    void theReaderSendsTheCutAndWritesTheTreeWhenItCannot() throws Exception {
        MessageReader reader = new MessageReader("wx1");
        String text = "{\"touser\":\"o1\",\"msgtype\":\"text\",\"text\":{\"content\":\"你\\n好\"}}";
        assertEquals(text, reader.read("{\"appid\":\"wx2\",\"id\":7," + text.substring(1), null, null).body());
        // written by Python's json.dumps: the characters reach WeChat as themselves
        String escaped = "{\"touser\":\"o1\",\"msgtype\":\"text\",\"text\":{\"content\":\"\\u4f60\\n\\u597d\"}}";
        assertEquals(text, reader.read("{\"app\\u0069d\":\"wx2\"," + escaped.substring(1), null, null).body());
        assertEquals(text, reader.read(escaped, null, null).body());
    }
}
