package dev.kefurelay.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kefurelay.Samples;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The mapper gives exactly what Jackson gives, or leaves the message to Jackson. */
class ModelMapperTest {

    private static final ObjectMapper JACKSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    static java.util.Set<String> types() {
        return Samples.contents().keySet();
    }

    @ParameterizedTest
    @MethodSource("types")
    void everyTypeMapsAsJacksonMapsIt(String msgtype) throws Exception {
        ObjectNode tree = (ObjectNode) JACKSON.readTree(Samples.wechatBody(msgtype));
        KefuMessage mapped = ModelMapper.map(tree, KefuMessage.class);
        assertNotNull(mapped);
        assertEquals(JACKSON.treeToValue(tree, KefuMessage.class), mapped);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{}",
        "{\"touser\":null,\"msgtype\":\"text\",\"text\":{}}",
        "{\"touser\":\"o1\",\"msgtype\":\"news\",\"news\":{\"articles\":[]}}",
        "{\"touser\":\"o1\",\"msgtype\":\"news\",\"news\":{\"articles\":[{\"title\":\"a\"},{\"url\":\"u\"}]}}",
        "{\"touser\":\"o1\",\"msgtype\":\"text\",\"text\":{\"content\":\"x\"},\"aimsgcontext\":{\"msgid\":1,\"x\":[null]}}",
        "{\"touser\":\"o1\",\"msgtype\":\"text\",\"text\":{\"content\":\"x\"},\"customservice\":{\"kf_account\":\"k\"}}",
    })
    void theModelsShapeMapsAsJacksonMapsIt(String json) throws Exception {
        ObjectNode tree = (ObjectNode) JACKSON.readTree(json);
        KefuMessage mapped = ModelMapper.map(tree, KefuMessage.class);
        assertNotNull(mapped);
        assertEquals(JACKSON.treeToValue(tree, KefuMessage.class), mapped);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"touser\":1,\"msgtype\":\"text\"}",
        "{\"touser\":true}",
        "{\"touser\":[\"o1\"]}",
        "{\"touser\":{\"id\":\"o1\"}}",
        "{\"text\":\"x\"}",
        "{\"text\":{\"contnet\":\"x\"}}",
        "{\"fax\":{}}",
        "{\"news\":{\"articles\":{\"title\":\"a\"}}}",
        "{\"news\":{\"articles\":[null]}}",
        "{\"news\":{\"articles\":[\"a\"]}}",
        "{\"aimsgcontext\":\"x\"}",
    })
    void anythingElseIsLeftToJackson(String json) throws Exception {
        assertNull(ModelMapper.map((ObjectNode) JACKSON.readTree(json), KefuMessage.class));
    }
}
