package dev.kefurelay.component;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import dev.kefurelay.LogCapture;
import dev.kefurelay.WeComSamples;
import dev.kefurelay.sandbox.KfDelivery;
import dev.kefurelay.sandbox.SandboxWeCom;
import dev.kefurelay.sandbox.WeChatSandbox;
import dev.kefurelay.testkit.WeChatKefuSandboxExtension;
import dev.kefurelay.wechat.Reason;
import dev.kefurelay.wechat.SendFailedException;
import dev.kefurelay.wecom.SessionStateException;
import dev.kefurelay.wecom.WeComMsgid;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The component sending to WeCom 微信客服: a plain DefaultCamelContext with only wechat-kefu, configured with a corp,
 * against the sandbox's WeCom over real HTTP on a free loopback port. A send whose answer was lost:
 * {@link WeComLostAnswerTest}.
 */
class WeComSendTest {

    @RegisterExtension
    static final WeChatKefuSandboxExtension wechat = new WeChatKefuSandboxExtension();
    private static final String CORPID = WeChatKefuSandboxExtension.CORPID;
    private static final String CORP_SECRET = WeChatKefuSandboxExtension.CORP_SECRET;
    private static final String KF = WeComSamples.OPEN_KFID;
    private static final String CUSTOMER = WeComSamples.CUSTOMER;

    @RegisterExtension
    final SandboxCamel camel = new SandboxCamel(wechat);
    private WeChatSandbox sandbox;
    private SandboxWeCom wecom;
    private ProducerTemplate template;

    @BeforeAll
    static void kfAccounts() {
        wechat.sandbox().wecom().kfAccount(CORPID, KF).corp("wwothercorp00001", "other-secret")
                .kfAccount("wwothercorp00001", "wkOtherCorpKf0001");
    }

    @BeforeEach
    void sandbox() {
        sandbox = wechat.sandbox();
        wecom = sandbox.wecom();
    }

    @Test
    void everyTypeReachesWeComAsItsExactJsonWithTheIdAsMsgid() {
        template = camel.start();
        for (String type : WeComSamples.contents().keySet()) {
            wecom.customerWrites(KF, CUSTOMER, "a question about " + type);
            String message = WeComSamples.message(type).replaceFirst("\\{", "{\"id\":\"order-" + type + "\",");
            Exchange reply = template.request("wechat-kefu:send", e -> e.getMessage().setBody(message));
            assertEquals("{\"errcode\":0,\"errmsg\":\"ok\",\"channel\":\"wecom\",\"msgid\":\"order-" + type + "\"}",
                    reply.getMessage().getBody(String.class), type);
            assertEquals("delivered", reply.getMessage().getHeader(KefuHeaders.OUTCOME), type);
            assertEquals("wecom", reply.getMessage().getHeader(KefuHeaders.CHANNEL), type);
            assertEquals("order-" + type, reply.getMessage().getHeader(KefuHeaders.MSG_ID), type);
        }
        List<KfDelivery> sent = wecom.sent();
        assertEquals(WeComSamples.contents().size(), sent.size());
        int i = 0;
        for (String type : WeComSamples.contents().keySet()) {
            assertEquals(WeComSamples.wecomBody(KF, CUSTOMER, type, "order-" + type), sent.get(i++).body().toString(),
                    type);
        }
        assertEquals(1, wecom.tokenFetches(CORPID));
    }

    @Test
    void anIdWeComWouldNotTakeIsMappedAndAMessageWithoutIdGetsAMsgidOfItsOwn() {
        template = camel.start();
        wecom.customerWrites(KF, CUSTOMER, "hi");
        String longId = "order/2026-01-01/客户A/0001";
        template.requestBody("wechat-kefu:send", WeComSamples.text(KF, CUSTOMER, longId, "mapped"), String.class);
        template.requestBody("wechat-kefu:send", "{\"id\":12345678901234567890,\"touser\":\"" + CUSTOMER
                + "\",\"open_kfid\":\"" + KF + "\",\"msgtype\":\"text\",\"text\":{\"content\":\"number\"}}",
                String.class);
        template.requestBody("wechat-kefu:send", WeComSamples.text(KF, CUSTOMER, null, "no id"), String.class);

        List<String> msgids = wecom.sent().stream().map(KfDelivery::msgid).toList();
        assertEquals(WeComMsgid.of(longId), msgids.get(0));
        assertEquals("12345678901234567890", msgids.get(1));
        assertTrue(msgids.get(2).matches("_[0-9a-f]{31}"), msgids.get(2));
    }

    @Test
    void aBadMessageIsRefusedNamingTheFieldBeforeAnyCall() {
        template = camel.start();
        Map<String, String> cases = Map.of(
                "{\"touser\":\"" + CUSTOMER + "\",\"open_kfid\":\"" + KF + "\",\"msgtype\":\"link\",\"link\":"
                        + "{\"title\":\"t\",\"thumb_media_id\":\"M\"}}", "link.url is missing",
                WeComSamples.text(KF, CUSTOMER, "x", "长".repeat(683)), "text.content is 2049 bytes",
                "{\"touser\":\"" + CUSTOMER + "\",\"open_kfid\":\"" + KF + "\",\"msgtype\":\"msgmenu\",\"msgmenu\":"
                        + "{\"list\":[{\"type\":\"click\",\"click\":{\"content\":\"ok\"}},{\"type\":\"view\","
                        + "\"view\":{\"content\":\"go\"}}]}}", "msgmenu.list[1].view.url is missing",
                "{\"touser\":\"" + CUSTOMER + "\",\"open_kfid\":\"" + KF + "\",\"msgtype\":\"location\",\"location\":"
                        + "{\"latitude\":91,\"longitude\":113}}", "location.latitude is 91",
                "{\"appid\":\"wx1\",\"touser\":\"" + CUSTOMER + "\",\"open_kfid\":\"" + KF
                        + "\",\"msgtype\":\"text\",\"text\":{\"content\":\"x\"}}", "unknown field 'appid'",
                "{\"open_kfid\":\"" + KF + "\",\"msgtype\":\"text\",\"text\":{\"content\":\"x\"}}", "touser is missing",
                "{\"touser\":\"" + CUSTOMER + "\",\"open_kfid\":\"" + KF + "\",\"msgtype\":\"music\",\"music\":{}}",
                "msgtype 'music' is not one of WeCom's",
                WeComSamples.text(KF, CUSTOMER, "a", "x").replace("{\"id\"", "{\"msgid\":\"b\",\"id\""),
                "both 'id' and 'msgid'",
                WeComSamples.text(KF, CUSTOMER, null, "x").replaceFirst("\\{", "{\"corpid\":\"wwnobody\","),
                "corpid 'wwnobody' is not a configured WeCom corp: set camel.component.wechat-kefu.wecom-corps");
        cases.forEach((body, expected) -> {
            SendFailedException failure = camel.failure(body);
            assertEquals(Reason.INVALID_INPUT, failure.reason(), body);
            assertTrue(failure.errmsg().contains(expected), failure.errmsg() + " should say: " + expected);
        });
        assertEquals(0, wecom.sendCalls());
        assertEquals(0, wecom.tokenFetches(CORPID));
    }

    @Test
    void aDeliveredIdSentAgainIsADuplicateWithoutACall() {
        template = camel.start();
        wecom.customerWrites(KF, CUSTOMER, "hi");
        String message = WeComSamples.text(KF, CUSTOMER, "once-only", "hello");
        template.requestBody("wechat-kefu:send", message, String.class);
        Exchange again = template.request("wechat-kefu:send", e -> e.getMessage().setBody(message));

        assertEquals("duplicate", again.getMessage().getHeader(KefuHeaders.OUTCOME));
        assertEquals(1, wecom.sendCalls());
    }

    @Test
    void aSessionWithAnAgentIsADeadLetterWithItsStateAndTakesMessagesOnceHandedBack() {
        template = camel.start();
        wecom.customerWrites(KF, CUSTOMER, "I want a human");
        wecom.sessionState(KF, CUSTOMER, 3);
        String message = WeComSamples.text(KF, CUSTOMER, "bot-answer-7", "the bot's answer");

        Exchange refused = template.request("wechat-kefu:send?failure=outcome", e -> e.getMessage().setBody(message));

        assertEquals("failed", refused.getMessage().getHeader(KefuHeaders.OUTCOME));
        assertEquals("session-state", refused.getMessage().getHeader(KefuHeaders.REASON));
        assertEquals(95018, refused.getMessage().getHeader(KefuHeaders.ERRCODE));
        assertEquals(3, refused.getMessage().getHeader(KefuHeaders.SESSION_STATE));
        String errmsg = refused.getMessage().getHeader(KefuHeaders.ERRMSG, String.class);
        assertTrue(errmsg.startsWith("send msg session status invalid, hint: ["), errmsg);
        assertTrue(errmsg.contains("state 3 (served by a human agent)"), errmsg);
        assertEquals(1, wecom.stateCalls());
        SendFailedException typed = camel.failure(message);
        assertEquals(3, assertInstanceOf(SessionStateException.class, typed).state());

        wecom.sessionState(KF, CUSTOMER, 1);
        Exchange accepted = template.request("wechat-kefu:send", e -> e.getMessage().setBody(message));
        assertEquals("delivered", accepted.getMessage().getHeader(KefuHeaders.OUTCOME));
        assertFalse(accepted.getMessage().getHeaders().containsKey(KefuHeaders.SESSION_STATE));
        assertEquals(List.of("bot-answer-7"), wecom.sent().stream().map(KfDelivery::msgid).toList());
    }

    @Test
    void twoHundredConcurrentSendsFetchOneToken() {
        template = camel.start();
        wecom.enforceWindow(false);
        wecom.customerWrites(KF, CUSTOMER, "hi");
        sandbox.latency(Duration.ofMillis(50));
        List<CompletableFuture<Object>> sends = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            sends.add(template.asyncRequestBody("wechat-kefu:send", WeComSamples.text(KF, CUSTOMER, "c-" + i,
                    "answer " + i)));
        }
        sends.forEach(CompletableFuture::join);
        assertEquals(200, wecom.sent().size());
        assertEquals(1, wecom.tokenFetches(CORPID));
    }

    @Test
    void anExpiredTokenIsFetchedAnewAndTheMessageSentOnce() {
        template = camel.start();
        wecom.customerWrites(KF, CUSTOMER, "hi");
        template.requestBody("wechat-kefu:send", WeComSamples.text(KF, CUSTOMER, "t-1", "first"), String.class);
        sandbox.expireTokens();
        template.requestBody("wechat-kefu:send", WeComSamples.text(KF, CUSTOMER, "t-2", "second"), String.class);
        assertEquals(2, wecom.sent().size());
        assertEquals(2, wecom.tokenFetches(CORPID));
    }

    @Test
    void withoutACorpAWeComMessageIsRefusedNamingTheOptions() {
        template = camel.start(o -> {
            o.setWecomCorpid(null);
            o.setWecomSecret(null);
        });
        SendFailedException failure = camel.failure(WeComSamples.text(KF, CUSTOMER, "x", "hello"));
        assertEquals(Reason.INVALID_INPUT, failure.reason());
        assertTrue(failure.errmsg().contains("set camel.component.wechat-kefu.wecom-corpid and "
                + "camel.component.wechat-kefu.wecom-secret"), failure.errmsg());
    }

    @Test
    void noSecretOrTokenReachesTheLogHeadersOrOutcomes() {
        List<String> lines;
        List<Exchange> replies = new ArrayList<>();
        try (LogCapture capture = LogCapture.everyLevel()) {
            template = camel.start(o -> o.setWecomCorps(Map.of("wwothercorp00001", "wrong-secret-" + CORP_SECRET)));
            wecom.customerWrites(KF, CUSTOMER, "hi");
            replies.add(template.request("wechat-kefu:send?failure=outcome", e -> e.getMessage()
                    .setBody(WeComSamples.text(KF, CUSTOMER, "s-1", "hello"))));
            replies.add(template.request("wechat-kefu:send?failure=outcome", e -> e.getMessage()
                    .setBody(WeComSamples.text("wkOtherCorpKf0001", CUSTOMER, "s-2", "hello")
                            .replaceFirst("\\{", "{\"corpid\":\"wwothercorp00001\","))));
            wecom.sessionState(KF, CUSTOMER, 2);
            replies.add(template.request("wechat-kefu:send?failure=outcome", e -> e.getMessage()
                    .setBody(WeComSamples.text(KF, CUSTOMER, "s-3", "hello"))));
            // HttpClient's own wire log (DEBUG, off unless an operator turns it on) shows every byte it sends, as it
            // would for any application; what is checked is everything else, at every level
            lines = capture.lines().stream().filter(l -> !l.startsWith("org.apache.hc.")).toList();
        }
        assertEquals("failed", replies.get(1).getMessage().getHeader(KefuHeaders.OUTCOME));
        assertEquals(40001, replies.get(1).getMessage().getHeader(KefuHeaders.ERRCODE));
        List<String> secrets = new ArrayList<>(sandbox.issuedTokens());
        secrets.add(CORP_SECRET);
        for (String secret : secrets) {
            for (String line : lines) {
                assertFalse(line.contains(secret), "a secret in the log: " + line);
            }
            for (Exchange reply : replies) {
                assertFalse(reply.getMessage().getHeaders().toString().contains(secret));
                assertFalse(reply.getMessage().getBody(String.class).contains(secret));
            }
        }
        assertTrue(lines.stream().anyMatch(l -> l.contains("delivered appid=" + KF)), String.join("\n", lines));
    }
}
