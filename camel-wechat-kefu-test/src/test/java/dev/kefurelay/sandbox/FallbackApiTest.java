package dev.kefurelay.sandbox;

import dev.kefurelay.wechat.Channel;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The channels that reach a user outside the window: template/send (templates per account, client_msg_id) and
 * subscribe/bizsend (consent per user and template, one message each), with WeChat's errcodes.
 */
class FallbackApiTest extends SandboxTestSupport {

    static final String SHIPPED = "TPL_order_shipped_0001";
    static final String REMINDER = "SUB_reminder_0001";

    @BeforeEach
    void templates() {
        sandbox.templates()
                .template(APPID, SHIPPED, "first", "keyword1", "remark")
                .subscribeTemplate(APPID, REMINDER, "thing1", "time2");
    }

    static ObjectNode shipped(String touser) {
        ObjectNode body = MAPPER.createObjectNode().put("touser", touser).put("template_id", SHIPPED)
                .put("url", "https://shop.example/orders/42");
        body.putObject("miniprogram").put("appid", "wxminiprogram01").put("pagepath", "pages/order?id=42");
        ObjectNode data = body.putObject("data");
        data.putObject("first").put("value", "Your order has shipped");
        data.putObject("keyword1").put("value", "SF1234567890");
        data.putObject("remark").put("value", "");
        return body;
    }

    static ObjectNode reminder(String touser) {
        ObjectNode body = MAPPER.createObjectNode().put("touser", touser).put("template_id", REMINDER)
                .put("page", "https://shop.example/ticket/8");
        ObjectNode data = body.putObject("data");
        data.putObject("thing1").put("value", "Ticket T-8 answered");
        data.putObject("time2").put("value", "2026-01-01 10:00");
        return body;
    }

    // ---- template/send --------------------------------------------------------------------------------------

    @Test
    void aTemplateMessageIsAnsweredWithItsMsgidAndReachesTheUserWithoutAWindow() throws Exception {
        sandbox.enforceWindow(true);
        ObjectNode body = shipped(OPENID);

        Reply reply = templateSend(clientToken(), body.toString());

        assertEquals(0, reply.json().get("errcode").asInt(), reply.body());
        assertEquals("ok", reply.json().get("errmsg").asText());
        long msgid = reply.json().get("msgid").asLong();
        assertTrue(msgid > 0, reply.body());
        assertEquals(List.of(new Delivery(APPID, OPENID, Channel.TEMPLATE, null, SHIPPED, msgid, body)),
                sandbox.deliveriesTo(APPID, OPENID));
        assertTrue(sandbox.delivered().isEmpty(), "custom/send's list holds customer-service messages only");
        assertEquals(0, sandbox.sendCalls());
    }

    @Test
    void aTemplateTheAccountDoesNotHaveIs40037() throws Exception {
        sandbox.account("wx00000000000000a2", "secret-a2").templates().template("wx00000000000000a2", "TPL_other", "first");
        String token = clientToken();

        assertError(40037, "invalid template_id", templateSend(token, shipped(OPENID).put("template_id", "TPL_nope").toString()));
        assertError(40037, "invalid template_id", templateSend(token, shipped(OPENID).put("template_id", "TPL_other").toString()));
        assertError(40037, "invalid template_id", templateSend(token, shipped(OPENID).put("template_id", REMINDER).toString()));
        ObjectNode noId = shipped(OPENID);
        noId.remove("template_id");
        assertError(40037, "invalid template_id", templateSend(token, noId.toString()));
        assertTrue(sandbox.deliveries().isEmpty());
    }

    @Test
    void dataThatDoesNotFitTheTemplateIs47003NamingTheKey() throws Exception {
        String token = clientToken();
        ObjectNode missing = shipped(OPENID);
        ((ObjectNode) missing.get("data")).remove("keyword1");
        ObjectNode notAnObject = shipped(OPENID);
        ((ObjectNode) notAnObject.get("data")).put("keyword1", "SF1234567890");
        ObjectNode noValue = shipped(OPENID);
        ((ObjectNode) noValue.get("data")).putObject("keyword1").put("color", "#173177");
        ObjectNode noData = shipped(OPENID);
        noData.remove("data");

        assertError(47003, "argument invalid! data.keyword1.value is emtpy", templateSend(token, missing.toString()));
        assertError(47003, "argument invalid! data.keyword1.value invalid", templateSend(token, notAnObject.toString()));
        assertError(47003, "argument invalid! data.keyword1.value invalid", templateSend(token, noValue.toString()));
        assertError(47003, "argument invalid! data is invalid", templateSend(token, noData.toString()));
        // a key the template does not declare is ignored, and template values may be empty (remark above)
        ObjectNode extra = shipped(OPENID);
        ((ObjectNode) extra.get("data")).putObject("keyword9").put("value", "ignored");
        assertEquals(0, templateSend(token, extra.toString()).json().get("errcode").asInt());
    }

    @Test
    void theTokenTheOpenidAndFollowingAreCheckedAsElsewhere() throws Exception {
        assertError(41001, "access_token missing", post("/cgi-bin/message/template/send", shipped(OPENID).toString()));
        assertError(40001, "invalid credential, access_token is invalid or not latest",
                templateSend("not-a-token", shipped(OPENID).toString()));
        String token = clientToken();
        assertError(40003, "invalid openid", templateSend(token, shipped("").toString()));
        assertError(47001, "data format error", templateSend(token, "not json"));
        assertError(47001, "data format error", templateSend(token, shipped(OPENID).put("miniprogram", "wxa").toString()));

        sandbox.users().unfollowed(APPID, OPENID);
        assertError(43004, "require subscribe", templateSend(token, shipped(OPENID).toString()));
        sandbox.users().followed(APPID, OPENID);
        assertEquals(0, templateSend(token, shipped(OPENID).toString()).json().get("errcode").asInt());
        assertEquals(1, sandbox.deliveries().size());
    }

    @Test
    void aRepeatedClientMsgIdWithinTenMinutesSendsNothingMoreAndAnswersTheFirstMsgid() throws Exception {
        String token = clientToken();
        String body = shipped(OPENID).put("client_msg_id", "order-42-shipped").toString();

        long first = templateSend(token, body).json().get("msgid").asLong();
        clock.advance(Duration.ofMinutes(10).minusSeconds(1));
        Reply again = templateSend(token, body);
        assertEquals(0, again.json().get("errcode").asInt(), again.body());
        assertEquals(first, again.json().get("msgid").asLong());
        assertEquals(1, sandbox.deliveries().size());

        // another user, or another id: a message of its own
        long other = templateSend(token, shipped("oAnotherUser").put("client_msg_id", "order-42-shipped").toString())
                .json().get("msgid").asLong();
        assertNotEquals(first, other);
        assertEquals(2, sandbox.deliveries().size());

        // 10 minutes after the first, WeChat no longer promises anything: the sandbox sends it again
        clock.advance(Duration.ofSeconds(1));
        long later = templateSend(token, body).json().get("msgid").asLong();
        assertNotEquals(first, later);
        assertEquals(3, sandbox.deliveries().size());
    }

    @Test
    void aRepeatedClientMsgIdCanBeAnsweredWithAnErrcodeInstead() throws Exception {
        sandbox.templates().duplicateAnswer(45065);
        String token = clientToken();
        String body = shipped(OPENID).put("client_msg_id", "order-42-shipped").toString();
        long first = templateSend(token, body).json().get("msgid").asLong();

        Reply again = templateSend(token, body);
        assertError(45065, "clientmsgid exist", again);
        assertEquals(first, again.json().get("msgid").asLong());
        assertEquals(1, sandbox.deliveries().size());

        sandbox.reset();
        sandbox.templates().template(APPID, SHIPPED, "first", "keyword1", "remark");
        assertEquals(0, templateSend(token, body).json().get("errcode").asInt(), "reset forgets ids and the answer");
    }

    @Test
    void fiveRequestsWithOneClientMsgIdAtOnceMakeOneMessage() throws Exception {
        String token = clientToken();
        String body = shipped(OPENID).put("client_msg_id", "order-43").toString();
        ExecutorService pool = Executors.newFixedThreadPool(5);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Reply>> replies = new ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) {
                replies.add(pool.submit(() -> {
                    go.await();
                    return templateSend(token, body);
                }));
            }
            go.countDown();
            List<Long> msgids = new ArrayList<>();
            for (Future<Reply> reply : replies) {
                msgids.add(reply.get().json().get("msgid").asLong());
            }
            assertEquals(1, msgids.stream().distinct().count(), msgids.toString());
            assertEquals(1, sandbox.deliveries().size());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theTemplatesFinalDeliveryIsPushedWithItsMsgid() throws Exception {
        try (PushSink relay = new PushSink(APPID)) {
            sandbox.pushTo(relay.url(), PushSink.TOKEN, PushSink.AES_KEY, APPID);
            sandbox.templates().autoFinishJobs(true);
            String token = clientToken();

            long msgid = templateSend(token, shipped(OPENID).toString()).json().get("msgid").asLong();
            // pushed after the answer is written, on the sandbox's thread: wait for it rather than for a time
            await().atMost(Duration.ofSeconds(30)).until(() -> relay.received().size() == 1);
            PushSink.Received finished = relay.received().get(0);
            assertEquals("/wechat/accounts/" + APPID, finished.path());
            assertEquals("TEMPLATESENDJOBFINISH", finished.field("Event"));
            assertEquals(String.valueOf(msgid), finished.field("MsgID"));
            assertEquals("success", finished.field("Status"));
            assertEquals(OPENID, finished.field("FromUserName"));

            sandbox.templates().autoFinishJobs(false);
            long blocked = templateSend(token, shipped("oBlocker").toString()).json().get("msgid").asLong();
            assertTrue(sandbox.templates().finishJob(blocked, "failed:user block").success());
            assertEquals(2, relay.received().size());
            assertEquals("failed:user block", relay.received().get(1).field("Status"));
            assertEquals("oBlocker", relay.received().get(1).field("FromUserName"));
        }
    }

    // ---- subscribe/bizsend ----------------------------------------------------------------------------------

    @Test
    void aSubscribeMessageNeedsTheUsersConsentAndUsesItUp() throws Exception {
        String token = clientToken();
        assertError(43101, "user refuse to accept the msg", bizsend(token, reminder(OPENID).toString()));

        sandbox.users().consent(APPID, OPENID, REMINDER);
        sandbox.users().consent(APPID, "oAnotherUser", REMINDER);
        assertOk(bizsend(token, reminder(OPENID).toString()));
        assertEquals(0, sandbox.users().consentsLeft(APPID, OPENID, REMINDER));
        assertError(43101, "user refuse to accept the msg", bizsend(token, reminder(OPENID).toString()));

        sandbox.users().consent(APPID, OPENID, REMINDER, 2);
        assertOk(bizsend(token, reminder(OPENID).toString()));
        assertOk(bizsend(token, reminder(OPENID).toString()));
        assertError(43101, "user refuse to accept the msg", bizsend(token, reminder(OPENID).toString()));

        List<Delivery> reached = sandbox.deliveriesTo(APPID, OPENID);
        assertEquals(3, reached.size());
        assertEquals(Channel.SUBSCRIBE, reached.get(0).channel());
        assertEquals(REMINDER, reached.get(0).templateId());
        assertNull(reached.get(0).msgid());
        assertEquals(1, sandbox.users().consentsLeft(APPID, "oAnotherUser", REMINDER));
    }

    @Test
    void aSubscribeTemplateTheAccountDoesNotHaveIs40037AndBadDataIs47003() throws Exception {
        String token = clientToken();
        sandbox.users().consent(APPID, OPENID, REMINDER);

        assertError(40037, "invalid template_id", bizsend(token, reminder(OPENID).put("template_id", SHIPPED).toString()));
        ObjectNode empty = reminder(OPENID);
        ((ObjectNode) empty.get("data")).putObject("thing1").put("value", "");
        assertError(47003, "argument invalid! data.thing1.value is emtpy", bizsend(token, empty.toString()));
        ObjectNode missing = reminder(OPENID);
        ((ObjectNode) missing.get("data")).remove("time2");
        assertError(47003, "argument invalid! data.time2.value is emtpy", bizsend(token, missing.toString()));
        assertError(40003, "invalid openid", bizsend(token, reminder("").toString()));

        assertEquals(1, sandbox.users().consentsLeft(APPID, OPENID, REMINDER), "a refused message uses no consent");
        assertTrue(sandbox.deliveries().isEmpty());
    }

    @Test
    void whatReachedAUserIsListedByChannelInOrder() throws Exception {
        String token = clientToken();
        sandbox.users().consent(APPID, OPENID, REMINDER);
        assertOk(send(token, text(OPENID, "customer service")));
        long msgid = templateSend(token, shipped(OPENID).toString()).json().get("msgid").asLong();
        assertOk(bizsend(token, reminder(OPENID).toString()));
        assertOk(send(token, text("oAnotherUser", "not for this user")));

        List<Delivery> reached = sandbox.deliveriesTo(APPID, OPENID);
        assertEquals(List.of(Channel.CUSTOM, Channel.TEMPLATE, Channel.SUBSCRIBE),
                reached.stream().map(Delivery::channel).toList());
        assertEquals("text", reached.get(0).msgtype());
        assertEquals(msgid, reached.get(1).msgid());
        assertEquals(List.of("custom", "template", "subscribe"),
                reached.stream().map(d -> d.channel().wireName()).toList());
        assertEquals(4, sandbox.deliveries().size());
    }
}
