package dev.kefurelay.sandbox;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * WeCom's kf/sync_msg (cursor, has_more, limit, the callback's token, 3 days), service_state/get and /trans,
 * send_msg_on_event with a welcome code, media/upload, and the encrypted callbacks the sandbox pushes.
 */
class WeComSyncApiTest extends WeComTestSupport {

    @Test
    void syncReadsACustomersMessagesPageByPageFromTheCursorAndNotWhatTheApiSent() throws Exception {
        List<String> written = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            written.add(wecom.customerWrites(KF, CUSTOMER, "message " + i));
        }
        wecom.customerWrites(KF2, CUSTOMER2, "to the other account");
        String token = corpToken();
        assertOkWeCom(kfSend(token, kfText(KF, CUSTOMER, "the API's own answer").toString()));

        Reply first = sync(token, MAPPER.createObjectNode().put("open_kfid", KF).put("limit", 2));
        assertOkWeCom(first);
        assertEquals(1, first.json().get("has_more").asInt());
        Reply second = sync(token, MAPPER.createObjectNode().put("open_kfid", KF).put("limit", 2)
                .put("cursor", first.json().get("next_cursor").asText()));
        Reply third = sync(token, MAPPER.createObjectNode().put("open_kfid", KF)
                .put("cursor", second.json().get("next_cursor").asText()));
        assertEquals(1, second.json().get("has_more").asInt());
        assertEquals(0, third.json().get("has_more").asInt());

        List<JsonNode> read = new ArrayList<>();
        for (Reply page : List.of(first, second, third)) {
            page.json().get("msg_list").forEach(read::add);
        }
        assertEquals(written, read.stream().map(m -> m.get("msgid").asText()).toList());
        JsonNode one = read.get(0);
        assertEquals(KF, one.get("open_kfid").asText());
        assertEquals(CUSTOMER, one.get("external_userid").asText());
        assertEquals(3, one.get("origin").asInt());
        assertEquals("text", one.get("msgtype").asText());
        assertEquals("message 1", one.get("text").get("content").asText());
        assertEquals(clock.instant().getEpochSecond(), one.get("send_time").asLong());

        Reply after = sync(token, MAPPER.createObjectNode().put("open_kfid", KF)
                .put("cursor", third.json().get("next_cursor").asText()));
        assertEquals(0, after.json().get("msg_list").size(), "nothing new: the API's own message is not read back");
        wecom.customerWrites(KF, CUSTOMER, "one more");
        Reply later = sync(token, MAPPER.createObjectNode().put("open_kfid", KF)
                .put("cursor", third.json().get("next_cursor").asText()));
        assertEquals("one more", later.json().get("msg_list").get(0).get("text").get("content").asText());
    }

    @Test
    void onlyTheLastThreeDaysAreReadable() throws Exception {
        wecom.customerWrites(KF, CUSTOMER, "old");
        clock.advance(Duration.ofDays(3).plusSeconds(1));
        wecom.customerWrites(KF, CUSTOMER, "new");
        Reply page = sync(corpToken(), MAPPER.createObjectNode().put("open_kfid", KF));
        assertEquals(1, page.json().get("msg_list").size(), page.body());
        assertEquals("new", page.json().get("msg_list").get(0).get("text").get("content").asText());
    }

    @Test
    void syncRefusesAStaleOrForeignCallbackTokenABadCursorAndABadLimit() throws Exception {
        try (PushSink relay = new PushSink(CORPID)) {
            WeComPushes pushes = wecom.pushes(relay.url(), CORPID, PushSink.TOKEN, PushSink.AES_KEY);
            pushes.kfMsgOrEvent(KF);
            String callbackToken = relay.received().get(0).field("Token");
            String token = corpToken();

            assertOkWeCom(sync(token, MAPPER.createObjectNode().put("open_kfid", KF).put("token", callbackToken)));
            assertWeComError(95007, "invalid msg token", sync(token, MAPPER.createObjectNode().put("open_kfid", KF2)
                    .put("token", callbackToken)));
            assertWeComError(40058, "invalid cursor", sync(token, MAPPER.createObjectNode().put("open_kfid", KF)
                    .put("cursor", "not-a-cursor")));
            assertWeComError(40058, "invalid limit", sync(token, MAPPER.createObjectNode().put("open_kfid", KF)
                    .put("limit", 1001)));
            assertWeComError(95004, "open_kfid missing", sync(token, MAPPER.createObjectNode()));
            clock.advance(Duration.ofMinutes(10));
            assertWeComError(95007, "invalid msg token", sync(corpToken(), MAPPER.createObjectNode()
                    .put("open_kfid", KF).put("token", callbackToken)));
        }
    }

    @Test
    void everyCustomerMessageIsFollowedByAnEncryptedCallbackWithTheCorpAsReceiveId() throws Exception {
        try (PushSink relay = new PushSink(CORPID)) {
            wecom.pushTo(relay.url(), CORPID, PushSink.TOKEN, PushSink.AES_KEY);
            String msgid = wecom.customerWrites(KF, CUSTOMER, "你好");

            assertEquals(1, relay.received().size());
            PushSink.Received callback = relay.received().get(0);
            assertEquals(WeComPushes.PATH, callback.path());
            assertEquals(CORPID, callback.field("ToUserName"));
            assertEquals("event", callback.field("MsgType"));
            assertEquals("kf_msg_or_event", callback.field("Event"));
            assertEquals(KF, callback.field("OpenKfId"));
            Reply page = sync(corpToken(), MAPPER.createObjectNode().put("open_kfid", KF)
                    .put("token", callback.field("Token")));
            assertEquals(msgid, page.json().get("msg_list").get(0).get("msgid").asText());
        }
    }

    @Test
    void aWelcomeCodeAnswersOnceWithinItsTwentySeconds() throws Exception {
        String code = wecom.customerEnters(KF, CUSTOMER, "from-qr");
        String token = corpToken();
        JsonNode event = sync(token, MAPPER.createObjectNode().put("open_kfid", KF)).json().get("msg_list").get(0);
        assertEquals("event", event.get("msgtype").asText());
        assertEquals(4, event.get("origin").asInt());
        assertFalse(event.has("open_kfid"), "an event names its kf account inside event");
        assertEquals("enter_session", event.get("event").get("event_type").asText());
        assertEquals(code, event.get("event").get("welcome_code").asText());
        assertEquals("from-qr", event.get("event").get("scene_param").asText());

        ObjectNode welcome = MAPPER.createObjectNode().put("code", code).put("msgid", "welcome-1")
                .put("msgtype", "text");
        welcome.putObject("text").put("content", "您好，有什么可以帮您？");
        assertWeComError(40008, "invalid message type", onEvent(token, welcome.deepCopy().put("msgtype", "image")));
        clock.advance(Duration.ofSeconds(19));
        Reply answered = onEvent(token, welcome);
        assertOkWeCom(answered);
        assertEquals("welcome-1", answered.json().get("msgid").asText());
        assertWeComError(40058, "invalid code", onEvent(token, welcome.put("msgid", "welcome-2")));
        assertEquals(List.of(new KfDelivery(CORPID, KF, CUSTOMER, "text", "welcome-1", welcome.put("msgid",
                "welcome-1"), true)), wecom.sent());

        String late = wecom.customerEnters(KF, CUSTOMER2, null);
        clock.advance(Duration.ofSeconds(20));
        assertWeComError(40058, "invalid code", onEvent(token, welcome.put("code", late).put("msgid", "w3")));
    }

    @Test
    void serviceStateIsReadAndChangedByWeComsTable() throws Exception {
        String token = corpToken();
        assertEquals(0, stateGet(token, KF, CUSTOMER).json().get("service_state").asInt());
        wecom.customerWrites(KF, CUSTOMER, "hi");

        assertOkWeCom(trans(token, 1, null));
        assertEquals(1, stateGet(token, KF, CUSTOMER).json().get("service_state").asInt());
        assertWeComError(40058, "servicer_userid missing", trans(token, 3, null));
        Reply toAgent = trans(token, 3, "zhangsan");
        assertOkWeCom(toAgent);
        assertTrue(toAgent.json().has("msg_code"), toAgent.body());
        Reply state = stateGet(token, KF, CUSTOMER);
        assertEquals(3, state.json().get("service_state").asInt());
        assertEquals("zhangsan", state.json().get("servicer_userid").asText());
        assertWeComError(95016, "service state change not allowed", trans(token, 1, null));
        assertOkWeCom(trans(token, 4, null));
        assertWeComError(95016, "service state change not allowed", trans(token, 0, null));

        wecom.customerWrites(KF, CUSTOMER, "back again");
        assertEquals(0, stateGet(token, KF, CUSTOMER).json().get("service_state").asInt(), "a new session");
    }

    @Test
    void mediaUploadWithACorpTokenIsWeComsAndWithAnAccountTokenWeChats() throws Exception {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0};
        Reply image = upload(corpToken(), "image", png);
        assertOkWeComUpload(image, "image");
        assertTrue(image.json().get("created_at").isTextual(), "WeCom writes created_at as a string");
        assertOkWeComUpload(upload(corpToken(), "file", "a contract, any format".getBytes(UTF_8)), "file");
        assertWeComError(40005, "invalid type", upload(corpToken(), "thumb", png));
        assertWeComError(40004, "invalid media file type", upload(corpToken(), "image", "GIF89a......".getBytes(UTF_8)));
        assertWeComError(40006, "invalid file size", upload(corpToken(), "file", new byte[5]));

        Reply wechat = upload(clientToken(), "image", png);
        assertTrue(wechat.json().get("created_at").isNumber(), wechat.body());
        assertEquals(2, wecom.uploads());

        wecom.requireUploadedMedia(true);
        wecom.customerWrites(KF, CUSTOMER, "hi");
        ObjectNode picture = MAPPER.createObjectNode().put("touser", CUSTOMER).put("open_kfid", KF)
                .put("msgtype", "image");
        picture.putObject("image").put("media_id", "made-up");
        assertWeComError(40007, "invalid media_id", kfSend(corpToken(), picture.toString()));
        ((ObjectNode) picture.get("image")).put("media_id", image.json().get("media_id").asText());
        assertOkWeCom(kfSend(corpToken(), picture.toString()));
    }

    @Test
    void theSandboxsButtonsLetAPersonPlayTheCustomer() throws Exception {
        Reply wrote = get("/sandbox/wecom/customer/write?open_kfid=" + KF + "&external_userid=" + CUSTOMER
                + "&text=hello");
        assertEquals(200, wrote.status(), wrote.body());
        get("/sandbox/wecom/session?open_kfid=" + KF + "&external_userid=" + CUSTOMER + "&state=3");
        Reply session = get("/sandbox/wecom/session?open_kfid=" + KF + "&external_userid=" + CUSTOMER);
        assertEquals(3, session.json().get("service_state").asInt(), session.body());
        assertEquals(400, get("/sandbox/wecom/customer/write?open_kfid=wk-unknown&external_userid=x").status());
        assertEquals(400, get("/sandbox/wecom/session?open_kfid=" + KF).status());
        assertEquals(3, wecom.session(KF, CUSTOMER).orElseThrow().state());
    }

    private Reply onEvent(String token, ObjectNode body) throws Exception {
        return post("/cgi-bin/kf/send_msg_on_event?access_token=" + token, body.toString());
    }

    private Reply trans(String token, int state, String servicer) throws Exception {
        ObjectNode body = MAPPER.createObjectNode().put("open_kfid", KF).put("external_userid", CUSTOMER)
                .put("service_state", state);
        if (servicer != null) {
            body.put("servicer_userid", servicer);
        }
        return post("/cgi-bin/kf/service_state/trans?access_token=" + token, body.toString());
    }

    private Reply upload(String token, String type, byte[] content) throws Exception {
        String boundary = "sandbox-boundary";
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"media\"; filename=\"f\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n").getBytes(UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(UTF_8);
        byte[] body = new byte[head.length + content.length + tail.length];
        System.arraycopy(head, 0, body, 0, head.length);
        System.arraycopy(content, 0, body, head.length, content.length);
        System.arraycopy(tail, 0, body, head.length + content.length, tail.length);
        HttpRequest request = HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + "/cgi-bin/media/upload?access_token="
                + token + "&type=" + type)).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        return Reply.of(HTTP.send(request, HttpResponse.BodyHandlers.ofString(UTF_8)));
    }

    private static void assertOkWeComUpload(Reply reply, String type) {
        assertEquals(0, reply.json().path("errcode").asInt(-99), reply.body());
        assertEquals(type, reply.json().get("type").asText(), reply.body());
        assertTrue(reply.json().get("media_id").asText().length() > 10, reply.body());
    }
}
