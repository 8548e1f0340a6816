package dev.kefurelay.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kefurelay.WeComSamples;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** WeCom's gettoken and kf/send_msg: tokens, every type and its checks, msgid uniqueness, sessions and the window. */
class WeComSendApiTest extends WeComTestSupport {

    static List<String> types() {
        return List.copyOf(WeComSamples.contents().keySet());
    }

    // ---- gettoken ------------------------------------------------------------------------------------------

    @Test
    void gettokenHandsOutTheSameTokenWhileItIsValidAndANewOneOnceItExpired() throws Exception {
        Reply first = gettoken(CORPID, CORP_SECRET);
        assertOkWeCom(first);
        assertEquals(7200, first.json().get("expires_in").asInt());
        String token = first.json().get("access_token").asText();
        assertEquals(token, corpToken(), "WeCom: 有效期内重复获取返回相同结果");
        wecom.customerWrites(KF, CUSTOMER, "hi");

        clock.advance(Duration.ofSeconds(7200));

        assertWeComError(42001, "access_token expired", kfSend(token, kfText(KF, CUSTOMER, "late").toString()));
        String renewed = corpToken();
        assertNotEquals(token, renewed);
        assertOkWeCom(kfSend(renewed, kfText(KF, CUSTOMER, "again").toString()));
        assertEquals(3, wecom.tokenFetches(CORPID));
    }

    @Test
    void gettokenRefusesAMissingOrWrongCredentialInWeComsWords() throws Exception {
        assertWeComError(41002, "corpid missing", get("/cgi-bin/gettoken?corpsecret=" + CORP_SECRET));
        assertWeComError(41004, "corpsecret missing", get("/cgi-bin/gettoken?corpid=" + CORPID));
        assertWeComError(40013, "invalid corpid", gettoken("ww-nobody", CORP_SECRET));
        assertWeComError(40001, "invalid credential", gettoken(CORPID, OTHER_SECRET));
    }

    @Test
    void aTokenThatIsNotTheCorpsIs40014AndACorpTokenIsNoWeChatToken() throws Exception {
        wecom.customerWrites(KF, CUSTOMER, "hi");
        String body = kfText(KF, CUSTOMER, "x").toString();

        assertWeComError(40014, "invalid access_token", kfSend("not-a-token", body));
        assertWeComError(40014, "invalid access_token", kfSend(clientToken(), body));
        assertWeComError(41001, "access_token missing", post("/cgi-bin/kf/send_msg", body));
        String token = corpToken();
        assertError(40001, "invalid credential, access_token is invalid or not latest",
                send(token, text(OPENID, "x")));
        sandbox.revokeTokens();
        assertWeComError(40014, "invalid access_token", kfSend(token, body));
    }

    // ---- every type, checked like WeCom -------------------------------------------------------------------

    @ParameterizedTest
    @MethodSource("types")
    void everyTypeIsDeliveredAsSentAndAnsweredWithItsMsgid(String msgtype) throws Exception {
        wecom.customerWrites(KF, CUSTOMER, "hi");
        ObjectNode body = (ObjectNode) MAPPER.readTree(WeComSamples.wecomBody(KF, CUSTOMER, msgtype, "order-1001_a"));

        Reply reply = kfSend(corpToken(), body.toString());

        assertOkWeCom(reply);
        assertEquals("order-1001_a", reply.json().get("msgid").asText());
        assertEquals(List.of(new KfDelivery(CORPID, KF, CUSTOMER, msgtype, "order-1001_a", body, false)),
                wecom.sent());
    }

    @Test
    void withoutMsgidWeComMakesOneUp() throws Exception {
        wecom.customerWrites(KF, CUSTOMER, "hi");
        Reply reply = kfSend(corpToken(), kfText(KF, CUSTOMER, "x").toString());
        assertOkWeCom(reply);
        assertTrue(reply.json().get("msgid").asText().matches("[0-9A-Za-z_-]{32}"), reply.body());
    }

    @Test
    void aMessageWeComWouldRefuseIsRefusedWithItsErrcodeAndNothingIsDelivered() throws Exception {
        wecom.customerWrites(KF, CUSTOMER, "hi");
        String token = corpToken();
        ObjectNode tooLong = kfText(KF, CUSTOMER, "长".repeat(683));
        ObjectNode noUrl = (ObjectNode) MAPPER.readTree(WeComSamples.message(KF, CUSTOMER, "link"));
        ((ObjectNode) noUrl.get("link")).remove("url");
        ObjectNode farNorth = (ObjectNode) MAPPER.readTree(WeComSamples.message(KF, CUSTOMER, "location"));
        ((ObjectNode) farNorth.get("location")).put("latitude", 90.5);
        ObjectNode bigMenu = (ObjectNode) MAPPER.readTree(WeComSamples.message(KF, CUSTOMER, "msgmenu"));
        for (int i = 0; i < 7; i++) {
            ((com.fasterxml.jackson.databind.node.ArrayNode) bigMenu.get("msgmenu").get("list"))
                    .addObject().put("type", "click").putObject("click").put("content", "更多" + i);
        }

        assertWeComError(45002, "content size out of limit", kfSend(token, tooLong.toString()));
        assertWeComError(44004, "empty content", kfSend(token, kfText(KF, CUSTOMER, "").toString()));
        assertWeComError(40008, "invalid message type", kfSend(token, kfText(KF, CUSTOMER, "x")
                .put("msgtype", "news").toString()));
        assertWeComError(40058, "invalid link.url", kfSend(token, noUrl.toString()));
        assertWeComError(40058, "invalid location.latitude", kfSend(token, farNorth.toString()));
        assertWeComError(40058, "invalid msgmenu.list", kfSend(token, bigMenu.toString()));
        assertWeComError(47001, "data format error", kfSend(token, "{\"touser\":"));
        assertWeComError(95004, "open_kfid missing", kfSend(token, kfText(KF, CUSTOMER, "x").without("open_kfid")
                .toString()));
        assertWeComError(95000, "invalid open_kfid", kfSend(token, kfText(OTHER_KF, CUSTOMER, "x").toString()));
        assertEquals(List.of(), wecom.sent());
    }

    @Test
    void aMsgidIsOneMessagePerKfAccountAndMustBeShortAndPlain() throws Exception {
        wecom.customerWrites(KF, CUSTOMER, "hi");
        wecom.customerWrites(KF2, CUSTOMER, "hi");
        String token = corpToken();

        assertOkWeCom(kfSend(token, kfText(KF, CUSTOMER, "first").put("msgid", "m-1").toString()));
        assertWeComError(40058, "msgid duplicated", kfSend(token, kfText(KF, CUSTOMER, "second").put("msgid", "m-1")
                .toString()));
        assertOkWeCom(kfSend(token, kfText(KF2, CUSTOMER, "another account").put("msgid", "m-1").toString()));
        assertWeComError(40058, "msgid exceed max length", kfSend(token, kfText(KF, CUSTOMER, "x")
                .put("msgid", "m".repeat(33)).toString()));
        assertWeComError(40058, "invalid msgid", kfSend(token, kfText(KF, CUSTOMER, "x").put("msgid", "订单1")
                .toString()));
        wecom.reusedMsgidAnswer(95999, "msgid exist");
        assertWeComError(95999, "msgid exist", kfSend(token, kfText(KF, CUSTOMER, "third").put("msgid", "m-1")
                .toString()));

        assertEquals(List.of("first", "another account"), wecom.sent().stream()
                .map(d -> d.body().get("text").get("content").asText()).toList());
    }

    @Test
    void tenSendsOfOneMsgidAtOnceDeliverOneMessage() throws Exception {
        wecom.customerWrites(KF, CUSTOMER, "hi");
        String token = corpToken();
        List<Reply> replies = all(10, () -> kfSend(token, kfText(KF, CUSTOMER, "once").put("msgid", "same")
                .toString()));

        assertEquals(1, replies.stream().filter(r -> r.json().get("errcode").asInt() == 0).count());
        assertEquals(9, replies.stream().filter(r -> r.json().get("errcode").asInt() == 40058).count());
        assertEquals(1, wecom.sent().size());
    }

    // ---- sessions and the window ---------------------------------------------------------------------------

    @Test
    void onlyAnUnhandledOrBotSessionTakesMessages95018Otherwise() throws Exception {
        wecom.customerWrites(KF, CUSTOMER, "hi");
        String token = corpToken();
        for (int state : new int[] {2, 3, 4}) {
            wecom.sessionState(KF, CUSTOMER, state);
            assertWeComError(95018, "send msg session status invalid", kfSend(token, kfText(KF, CUSTOMER,
                    "in " + state).toString()));
        }
        wecom.sessionState(KF, CUSTOMER, 1);
        assertOkWeCom(kfSend(token, kfText(KF, CUSTOMER, "the bot again").toString()));
        assertEquals(1, wecom.sent().size());
    }

    @Test
    void theWindowIsFiveMessagesWithin48HoursOfTheCustomersLastMessage() throws Exception {
        String token = corpToken();
        assertWeComError(95001, "send msg count limit", kfSend(token, kfText(KF, CUSTOMER, "never wrote")
                .toString()));
        wecom.customerWrites(KF, CUSTOMER, "hi");
        for (int i = 1; i <= 5; i++) {
            assertOkWeCom(kfSend(token, kfText(KF, CUSTOMER, "answer " + i).toString()));
        }
        assertWeComError(95001, "send msg count limit", kfSend(token, kfText(KF, CUSTOMER, "6th").toString()));
        assertEquals(0, wecom.session(KF, CUSTOMER).orElseThrow().placesLeft());

        wecom.customerWrites(KF, CUSTOMER, "still there?");
        clock.advance(Duration.ofHours(47).plusMinutes(59));
        assertOkWeCom(kfSend(corpToken(), kfText(KF, CUSTOMER, "just in time").toString()));
        clock.advance(Duration.ofMinutes(1));
        assertWeComError(95001, "send msg count limit", kfSend(corpToken(), kfText(KF, CUSTOMER, "too late")
                .toString()));
    }

    @Test
    void sevenSendsAtOnceWithFivePlacesMakeFiveDeliveries() throws Exception {
        wecom.customerWrites(KF, CUSTOMER, "hi");
        String token = corpToken();
        List<Reply> replies = all(7, () -> kfSend(token, kfText(KF, CUSTOMER, "race").toString()));

        assertEquals(5, replies.stream().filter(r -> r.json().get("errcode").asInt() == 0).count());
        assertEquals(2, replies.stream().filter(r -> r.json().get("errcode").asInt() == 95001).count());
        assertEquals(5, wecom.sent().size());
    }

    @Test
    void anInjectedFaultAnswersBeforeAnyCheck() throws Exception {
        wecom.failNextSend(-1, 2);
        String token = corpToken();
        assertWeComError(-1, "system busy", kfSend(token, "not even JSON"));
        assertWeComError(-1, "system busy", kfSend(token, "not even JSON"));
        assertWeComError(47001, "data format error", kfSend(token, "not even JSON"));
        assertEquals(3, wecom.sendCalls());
    }

    @Test
    void theSandboxLogsOneLinePerDeliveryAndNeverASecretTokenOrWholeCustomerId() throws Exception {
        List<String> lines;
        List<String> secrets = new ArrayList<>(List.of(CORP_SECRET, OTHER_SECRET));
        try (dev.kefurelay.LogCapture capture = dev.kefurelay.LogCapture.everyLevel()) {
            wecom.customerWrites(KF, CUSTOMER, "hi");
            String token = corpToken();
            assertOkWeCom(kfSend(token, kfText(KF, CUSTOMER, "你好").toString()));
            gettoken(CORPID, "wrong-" + CORP_SECRET);
            kfSend(token, "{\"corpsecret\":\"" + CORP_SECRET + "\"");
            lines = capture.lines();
        }
        secrets.addAll(sandbox.issuedTokens());
        assertEquals(1, lines.stream().filter(l -> l.contains("sandbox delivered WeCom text to wmAA…(masked) from "
                + KF)).count(), String.join("\n", lines));
        for (String line : lines) {
            assertTrue(!line.contains(CUSTOMER), line);
            secrets.forEach(secret -> assertTrue(!line.contains(secret), "a secret or token in the log: " + line));
        }
    }

    private static List<Reply> all(int n, Callable<Reply> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<Reply>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(pool.submit(call));
            }
            List<Reply> replies = new ArrayList<>();
            for (Future<Reply> f : futures) {
                replies.add(f.get());
            }
            return replies;
        } finally {
            pool.shutdownNow();
        }
    }
}
