package dev.kefurelay.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kefurelay.message.MessageFields;
import dev.kefurelay.message.MessageReader;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** custom/send and custom/typing: what WeChat accepts, what it refuses and with which errcode. */
class MessageApiTest extends SandboxTestSupport {

    // ---- custom/send validation -----------------------------------------------------------------------------

    static Stream<Arguments> invalidMessages() {
        String u = "\"touser\":\"" + OPENID + "\",";
        String article = "{\"title\":\"t\",\"description\":\"d\",\"url\":\"https://e.x\",\"picurl\":\"https://e.x/p.png\"}";
        return Stream.of(
                Arguments.of("empty body", "", 44002, "empty post data"),
                Arguments.of("blank body", "  \n", 44002, "empty post data"),
                Arguments.of("not JSON", "touser=x&msgtype=text", 47001, "data format error"),
                Arguments.of("JSON array", "[{}]", 47001, "data format error"),
                Arguments.of("trailing garbage", "{" + u + "\"msgtype\":\"text\",\"text\":{\"content\":\"a\"}} x",
                        47001, "data format error"),
                Arguments.of("no touser", "{\"msgtype\":\"text\",\"text\":{\"content\":\"a\"}}", 40003, "invalid openid"),
                Arguments.of("empty touser", "{\"touser\":\"\",\"msgtype\":\"text\",\"text\":{\"content\":\"a\"}}",
                        40003, "invalid openid"),
                Arguments.of("no msgtype", "{" + u + "\"text\":{\"content\":\"a\"}}", 40008, "invalid message type"),
                Arguments.of("unknown msgtype", "{" + u + "\"msgtype\":\"sticker\",\"sticker\":{}}",
                        40008, "invalid message type"),
                Arguments.of("object missing", "{" + u + "\"msgtype\":\"text\"}", 47001, "data format error"),
                Arguments.of("object not an object", "{" + u + "\"msgtype\":\"text\",\"text\":\"a\"}",
                        47001, "data format error"),
                Arguments.of("text without content", "{" + u + "\"msgtype\":\"text\",\"text\":{}}", 47001,
                        "data format error"),
                Arguments.of("text with empty content", "{" + u + "\"msgtype\":\"text\",\"text\":{\"content\":\"\"}}",
                        47001, "data format error"),
                Arguments.of("image without media_id", "{" + u + "\"msgtype\":\"image\",\"image\":{\"media_id\":null}}",
                        47001, "data format error"),
                Arguments.of("video without media_id", "{" + u + "\"msgtype\":\"video\",\"video\":"
                        + "{\"thumb_media_id\":\"m\",\"title\":\"t\",\"description\":\"d\"}}", 47001,
                        "data format error"),
                Arguments.of("music without hqmusicurl", "{" + u + "\"msgtype\":\"music\",\"music\":{\"title\":\"t\","
                        + "\"description\":\"d\",\"musicurl\":\"u\",\"thumb_media_id\":\"m\"}}", 47001,
                        "data format error"),
                Arguments.of("news with two articles", "{" + u + "\"msgtype\":\"news\",\"news\":{\"articles\":["
                        + article + "," + article + "]}}", 45008, "article size out of limit"),
                Arguments.of("news with no article", "{" + u + "\"msgtype\":\"news\",\"news\":{\"articles\":[]}}",
                        47001, "data format error"),
                Arguments.of("news article without url", "{" + u + "\"msgtype\":\"news\",\"news\":{\"articles\":"
                        + "[{\"title\":\"t\",\"description\":\"d\",\"picurl\":\"p\"}]}}", 47001, "data format error"),
                Arguments.of("mpnewsarticle without article_id", "{" + u + "\"msgtype\":\"mpnewsarticle\","
                        + "\"mpnewsarticle\":{}}", 47001, "data format error"),
                Arguments.of("msgmenu with empty list", "{" + u + "\"msgtype\":\"msgmenu\",\"msgmenu\":"
                        + "{\"head_content\":\"h\",\"list\":[],\"tail_content\":\"t\"}}", 47001, "data format error"),
                Arguments.of("msgmenu item without content", "{" + u + "\"msgtype\":\"msgmenu\",\"msgmenu\":"
                        + "{\"head_content\":\"h\",\"list\":[{\"id\":\"1\"}],\"tail_content\":\"t\"}}", 47001,
                        "data format error"),
                Arguments.of("wxcard without card_id", "{" + u + "\"msgtype\":\"wxcard\",\"wxcard\":{\"card_ext\":\"{}\"}}",
                        47001, "data format error"),
                Arguments.of("miniprogrampage without pagepath", "{" + u + "\"msgtype\":\"miniprogrampage\","
                        + "\"miniprogrampage\":{\"title\":\"t\",\"appid\":\"wxa\",\"thumb_media_id\":\"m\"}}", 47001,
                        "data format error"));
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("invalidMessages")
    void customSendRefusesAnInvalidMessageAndDeliversNothing(String name, String body, int errcode, String errmsg)
            throws Exception {
        assertError(errcode, errmsg, send(clientToken(), body));
        assertEquals(0, sandbox.deliveredCount());
        assertEquals(1, sandbox.sendCalls());
    }

    @Test
    void customSendChecksTheTokenBeforeTheBody() throws Exception {
        assertError(41001, "access_token missing", post("/cgi-bin/message/custom/send", text(OPENID, "a")));
        assertError(41001, "access_token missing", post("/cgi-bin/message/custom/send?access_token=", ""));
        assertError(40001, "invalid credential, access_token is invalid or not latest",
                send("not-a-token", "not even json"));
        assertEquals(3, sandbox.sendCalls());
        assertEquals(0, sandbox.deliveredCount());
    }

    static Stream<Arguments> validMessages() {
        return Stream.of(
                Arguments.of("text", "{\"content\":\"<a href=\\\"https://e.x\\\" data-miniprogram-appid=\\\"wxa\\\" "
                        + "data-miniprogram-path=\\\"pages/i\\\">open</a>\"}"),
                Arguments.of("image", "{\"media_id\":\"MEDIA\"}"),
                Arguments.of("voice", "{\"media_id\":\"MEDIA\"}"),
                Arguments.of("video", "{\"media_id\":\"M\",\"thumb_media_id\":\"T\",\"title\":\"t\",\"description\":\"d\"}"),
                Arguments.of("music", "{\"title\":\"t\",\"description\":\"d\",\"musicurl\":\"u\",\"hqmusicurl\":\"h\","
                        + "\"thumb_media_id\":\"T\"}"),
                Arguments.of("news", "{\"articles\":[{\"title\":\"t\",\"description\":\"d\",\"url\":\"u\",\"picurl\":\"p\"}]}"),
                Arguments.of("mpnews", "{\"media_id\":\"MEDIA\"}"),
                Arguments.of("mpnewsarticle", "{\"article_id\":\"ARTICLE\"}"),
                Arguments.of("msgmenu", "{\"head_content\":\"满意吗\",\"list\":[{\"id\":\"101\",\"content\":\"满意\"},"
                        + "{\"id\":\"102\",\"content\":\"不满意\"}],\"tail_content\":\"谢谢\"}"),
                Arguments.of("wxcard", "{\"card_id\":\"CARD\"}"),
                Arguments.of("miniprogrampage", "{\"title\":\"t\",\"appid\":\"wxa\",\"pagepath\":\"pages/i\","
                        + "\"thumb_media_id\":\"T\"}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validMessages")
    void customSendDeliversEveryMessageType(String msgtype, String object) throws Exception {
        String body = "{\"touser\":\"" + OPENID + "\",\"msgtype\":\"" + msgtype + "\",\"" + msgtype + "\":" + object
                + ",\"customservice\":{\"kf_account\":\"agent@kefu\"}}";

        assertOk(send(clientToken(), body));

        List<WeChatSandbox.Delivered> delivered = sandbox.delivered();
        assertEquals(1, delivered.size());
        assertEquals(new WeChatSandbox.Delivered(APPID, OPENID, msgtype, MAPPER.readTree(body)), delivered.get(0));
    }

    /** Each type with its required fields only, as the shared table {@link MessageFields} lists them. */
    static Stream<String> minimalMessages() {
        return MessageFields.CONTENT.keySet().stream().map(msgtype -> {
            ObjectNode body = MAPPER.createObjectNode().put("touser", OPENID).put("msgtype", msgtype);
            fill(body.putObject(msgtype), MessageFields.CONTENT.get(msgtype));
            return body.toString();
        });
    }

    private static void fill(ObjectNode object, MessageFields.Fields fields) {
        for (String field : fields.required()) {
            MessageFields.ListOf list = fields.lists().get(field);
            if (list == null) {
                object.put(field, field.toUpperCase());
            } else {
                fill(object.putArray(field).addObject(), list.entry());
            }
        }
    }

    /**
     * The sandbox once required video/music title and description, msgmenu head/tail and miniprogrampage title,
     * which the relay treats as optional: a message the relay passes got 47001 from its own sandbox.
     */
    @ParameterizedTest
    @MethodSource("minimalMessages")
    void aMessageWithOnlyTheRequiredFieldsPassesTheRelayAndTheSandbox(String body) throws Exception {
        new MessageReader("wxany").read(body, null, null);
        assertOk(send(clientToken(), body));
        assertEquals(MAPPER.readTree(body), sandbox.delivered().get(0).body());
    }

    @Test
    void repliesAreUtf8JsonAndChineseAndEmojiArriveIntact() throws Exception {
        String content = "你好，世界 😀👍🏽 — ünïcödé";
        Reply reply = send(clientToken(), text(OPENID, content));

        assertEquals("application/json; charset=utf-8", reply.contentType());
        assertOk(reply);
        assertEquals(content, sandbox.delivered().get(0).body().get("text").get("content").asText());
    }

    @Test
    void aComponentTokenCannotSendMessages() throws Exception {
        sandbox.verifyTicket(TICKET);
        String componentToken = componentToken(TICKET).json().get("component_access_token").asText();

        assertError(40001, "invalid credential, access_token is invalid or not latest",
                send(componentToken, text(OPENID, "x")));
    }

    // ---- typing ---------------------------------------------------------------------------------------------

    @Test
    void typingCommandsAreRecordedAndChecked() throws Exception {
        String token = clientToken();
        String typing = "/cgi-bin/message/custom/typing?access_token=";

        assertOk(post(typing + token, "{\"touser\":\"" + OPENID + "\",\"command\":\"Typing\"}"));
        assertOk(post(typing + token, "{\"touser\":\"" + OPENID + "\",\"command\":\"CancelTyping\"}"));
        assertError(47001, "data format error", post(typing + token, "{\"touser\":\"" + OPENID + "\",\"command\":\"Dance\"}"));
        assertError(40003, "invalid openid", post(typing + token, "{\"command\":\"Typing\"}"));
        assertError(40001, "invalid credential, access_token is invalid or not latest",
                post(typing + "nope", "{\"touser\":\"" + OPENID + "\",\"command\":\"Typing\"}"));

        assertEquals(List.of(OPENID + ":Typing", OPENID + ":CancelTyping"), sandbox.typing());
        assertEquals(0, sandbox.sendCalls());
    }
}
