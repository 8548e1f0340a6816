package dev.kefurelay.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kefurelay.Samples;
import dev.kefurelay.message.AccountKind;
import dev.kefurelay.message.KefuMessage;
import dev.kefurelay.window.Interaction;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The sandbox as a Mini Program's WeChat: the four types it takes, each other type refused as WeChat refuses it,
 * typing on custom/business/typing only, and its pushes in JSON and XML.
 */
class MiniProgramApiTest extends SandboxTestSupport {

    static final String MINI = "wx00000000000000m1";
    static final String MINI_SECRET = "secret-m1-do-not-log";
    static final String BUSINESS_TYPING = "/cgi-bin/message/custom/business/typing?access_token=";
    static final String TYPING = "/cgi-bin/message/custom/typing?access_token=";

    @BeforeEach
    void miniProgram() {
        sandbox.account(MINI, MINI_SECRET).kind(MINI, AccountKind.MINIPROGRAM);
    }

    private String miniToken() throws Exception {
        return token(get("/cgi-bin/token?grant_type=client_credential&appid=" + MINI + "&secret=" + MINI_SECRET));
    }

    private static String typing(String command) {
        return "{\"touser\":\"" + OPENID + "\",\"command\":\"" + command + "\"}";
    }

    @Test
    void everyTypeOfAMiniProgramIsDeliveredAsSent() throws Exception {
        String token = miniToken();
        for (String msgtype : Samples.miniProgramContents().keySet()) {
            assertOk(send(token, Samples.miniProgramBody(msgtype)));
        }
        assertEquals(List.of("text", "image", "link", "miniprogrampage"),
                sandbox.delivered().stream().map(WeChatSandbox.Delivered::msgtype).toList());
        assertEquals(MAPPER.readTree(Samples.miniProgramBody("link")), sandbox.delivered().get(2).body());
        assertTrue(sandbox.delivered().stream().allMatch(d -> d.appid().equals(MINI)));
    }

    @Test
    void aTypeOnlyAnOfficialAccountTakesIsAnInvalidMessageType() throws Exception {
        String token = miniToken();
        for (String msgtype : KefuMessage.TYPES) {
            if (!AccountKind.MINIPROGRAM.fields().types().contains(msgtype)) {
                assertError(40008, "invalid message type", send(token, Samples.wechatBody(msgtype)));
            }
        }
        // and the other way round: an Official Account has no link
        assertError(40008, "invalid message type", send(clientToken(), Samples.miniProgramBody("link")));
        assertEquals(0, sandbox.deliveredCount());
    }

    @Test
    void aLinkOrCardWithoutARequiredFieldIsADataFormatError() throws Exception {
        String token = miniToken();
        assertError(47001, "data format error", send(token, "{\"touser\":\"" + OPENID + "\",\"msgtype\":\"link\","
                + "\"link\":{\"title\":\"t\",\"description\":\"d\",\"url\":\"https://e.x\"}}"));
        assertError(47001, "data format error", send(token, "{\"touser\":\"" + OPENID + "\",\"msgtype\":"
                + "\"miniprogrampage\",\"miniprogrampage\":{\"title\":\"t\",\"pagepath\":\"p\"}}"));
    }

    @Test
    void aMiniProgramTypesOnTheBusinessPathOnly() throws Exception {
        String token = miniToken();
        assertOk(post(BUSINESS_TYPING + token, "{\"touser\":\"" + OPENID + "\",\"command\":\"Typing\","
                + "\"businessid\":\"shop-1\"}"));
        assertError(45081, "user is already in typing state", post(BUSINESS_TYPING + token, typing("Typing")));
        assertOk(post(BUSINESS_TYPING + token, typing("CancelTyping")));
        assertOk(post(BUSINESS_TYPING + token, typing("Typing")));
        // the indicator lasts 20 seconds: then Typing may be sent again
        clock.advance(Duration.ofSeconds(21));
        assertOk(post(BUSINESS_TYPING + token, typing("Typing")));
        assertError(45072, "command field invalid", post(BUSINESS_TYPING + token, typing("Dance")));
        assertError(48001, "api unauthorized", post(TYPING + token, typing("Typing")));
        assertError(48001, "api unauthorized", post(BUSINESS_TYPING + clientToken(), typing("Typing")));
        assertEquals(List.of(OPENID + ":Typing", OPENID + ":CancelTyping", OPENID + ":Typing", OPENID + ":Typing"),
                sandbox.typing());
    }

    @Test
    void withWindowsEnforcedTypingNeedsAnInteractionInTheLast30Seconds() throws Exception {
        sandbox.enforceWindow(true);
        String token = miniToken();
        assertError(45080, "user has not interacted in the last 30 seconds",
                post(BUSINESS_TYPING + token, typing("Typing")));
        sandbox.users().interacted(MINI, OPENID, Interaction.ENTER_SESSION);
        assertOk(post(BUSINESS_TYPING + token, typing("Typing")));
        assertOk(post(BUSINESS_TYPING + token, typing("CancelTyping")));
        clock.advance(Duration.ofSeconds(31));
        assertError(45080, "user has not interacted in the last 30 seconds",
                post(BUSINESS_TYPING + token, typing("Typing")));
        // entering the session opens 2 messages within a minute
        sandbox.users().interacted(MINI, OPENID, Interaction.ENTER_SESSION);
        assertOk(send(token, text(OPENID, "one")));
        assertOk(send(token, text(OPENID, "two")));
        assertError(45047, "out of response count limit", send(token, text(OPENID, "three")));
    }

    @Test
    void miniProgramPushesComeInJsonOrXmlAndOpenTheWindow() throws Exception {
        try (PushSink relay = new PushSink(MINI)) {
            Pushes pushes = sandbox.pushes(relay.url(), PushSink.TOKEN, PushSink.AES_KEY, MINI);
            MiniProgramPushes json = pushes.miniProgram(MiniProgramPushes.Format.JSON);
            MiniProgramPushes xml = pushes.miniProgram(MiniProgramPushes.Format.XML);

            assertTrue(json.userEnteredSession(MINI, OPENID, "order-42").success());
            assertEquals(Interaction.ENTER_SESSION, sandbox.users().window(MINI, OPENID).orElseThrow().opener());
            assertTrue(json.userText(MINI, OPENID, "我的订单呢？").success());
            assertEquals(Interaction.MESSAGE, sandbox.users().window(MINI, OPENID).orElseThrow().opener());
            assertTrue(xml.userText(MINI, OPENID, "还在吗").success());
            assertTrue(xml.userImage(MINI, OPENID, "MEDIA_FROM_USER").success());

            List<PushSink.Received> received = relay.received();
            assertEquals(List.of(true, true, false, false), received.stream().map(PushSink.Received::json).toList());
            assertEquals("user_enter_tempsession", received.get(0).field("Event"));
            assertEquals("order-42", received.get(0).field("SessionFrom"));
            assertEquals("我的订单呢？", received.get(1).field("Content"));
            assertEquals(received.get(1).fields().keySet(), received.get(2).fields().keySet(),
                    "both forms carry the same fields");
            assertFalse(received.get(1).field("MsgId").equals(received.get(2).field("MsgId")));
            assertTrue(received.get(1).field("CreateTime").matches("\\d+"), "a number in JSON, its digits here");
            assertEquals("MEDIA_FROM_USER", received.get(3).field("MediaId"));
            assertEquals("/wechat/accounts/" + MINI, received.get(3).path());
        }
    }

    @Test
    void theSandboxsButtonPushesAMiniProgramsMessage() throws Exception {
        try (PushSink relay = new PushSink(MINI)) {
            sandbox.pushTo(relay.url(), PushSink.TOKEN, PushSink.AES_KEY, MINI);
            Reply text = post("/sandbox/push/miniprogram?appid=" + MINI + "&openid=" + OPENID + "&content=hi", "");
            assertEquals(200, text.json().path("relay_status").asInt(), text.body());
            Reply enter = post("/sandbox/push/miniprogram?appid=" + MINI + "&openid=" + OPENID
                    + "&event=user_enter_tempsession&format=xml", "");
            assertEquals(200, enter.json().path("relay_status").asInt(), enter.body());
            assertEquals(List.of(true, false), relay.received().stream().map(PushSink.Received::json).toList());
            assertEquals(400, post("/sandbox/push/miniprogram?appid=" + MINI + "&format=yaml", "").status());
        }
    }
}
