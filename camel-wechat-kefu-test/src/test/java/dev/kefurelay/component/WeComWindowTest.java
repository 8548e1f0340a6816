package dev.kefurelay.component;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kefurelay.WeComSamples;
import dev.kefurelay.message.InvalidMessageException;
import dev.kefurelay.sandbox.SandboxWeCom;
import dev.kefurelay.sandbox.WeChatSandbox;
import dev.kefurelay.testkit.WeChatKefuSandboxExtension;
import dev.kefurelay.wecom.KfInbound;
import dev.kefurelay.wecom.KfPuller;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A WeCom customer's window in the component's window book, against the sandbox's WeCom, which enforces it as WeCom
 * does (95001 after 48 hours or 5 messages): a customer's message, pulled with kf/sync_msg or handed to
 * {@code wechat-kefu:interaction}, opens five places; a window the book knows closed fails a message as
 * window-closed without a call; WeCom's 95001 closes the book's window.
 */
class WeComWindowTest {

    @RegisterExtension
    static final WeChatKefuSandboxExtension wechat = new WeChatKefuSandboxExtension();
    private static final String CORPID = WeChatKefuSandboxExtension.CORPID;
    private static final String KF = WeComSamples.OPEN_KFID;
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    final SandboxCamel camel = new SandboxCamel(wechat);
    private WeChatSandbox sandbox;
    private SandboxWeCom wecom;
    private ProducerTemplate template;
    private int ids;

    @BeforeAll
    static void kfAccount() {
        wechat.sandbox().wecom().kfAccount(CORPID, KF);
    }

    @BeforeEach
    void sandbox() {
        sandbox = wechat.sandbox();
        wecom = sandbox.wecom();
    }

    /** One message to the customer, its outcome reported in headers. */
    private Exchange send(String customer) {
        String body = WeComSamples.text(KF, customer, "w-" + (++ids), "message " + ids);
        return template.request("wechat-kefu:send?failure=outcome", e -> e.getMessage().setBody(body));
    }

    private static String outcome(Exchange e) {
        return e.getMessage().getHeader(KefuHeaders.OUTCOME, String.class);
    }

    /**
     * The customer writes at the sandbox and the component pulls it with kf/sync_msg, as an application taking
     * WeCom's callbacks does; returns the entries pulled.
     */
    private List<KfInbound> writesAndIsPulled(String customer) throws Exception {
        wecom.customerWrites(KF, customer, "where is my order?");
        KfPuller puller = camel.component().wecomPuller("test", Duration.ofSeconds(30)).orElseThrow();
        puller.requested(CORPID, KF, null);
        List<KfInbound> pulled = new ArrayList<>();
        puller.pull(KF, pulled::add);
        return pulled;
    }

    /**
     * WeCom's send_time has whole seconds: a refusal within the second the window opened cannot be told from one
     * before it, and leaves the window as it is (WindowBook.closed). A test whose world moves 48 hours in a moment
     * sends its refused message in a later second, as any real one would.
     */
    private static void aSecondAfter(long sendTime) {
        await().atMost(Duration.ofSeconds(3)).until(() -> Instant.now().getEpochSecond() > sendTime);
    }

    @Test
    void aPulledCustomerMessageOpensFivePlacesAndTheSixthFailsWindowClosedWithoutACall() throws Exception {
        template = camel.start();
        assertEquals(1, writesAndIsPulled("wmFive").size());

        for (int i = 1; i <= 5; i++) {
            Exchange sent = send("wmFive");
            assertEquals("delivered", outcome(sent), "message " + i);
            assertEquals("wecom", sent.getMessage().getHeader(KefuHeaders.CHANNEL));
            assertEquals("w-" + i, sent.getMessage().getHeader(KefuHeaders.MSG_ID));
        }
        Exchange sixth = send("wmFive");

        assertEquals("failed", outcome(sixth));
        assertEquals("window-closed", sixth.getMessage().getHeader(KefuHeaders.REASON));
        assertNull(sixth.getMessage().getHeader(KefuHeaders.ERRCODE), "the book knew it: WeCom was not asked");
        assertEquals("wecom", sixth.getMessage().getHeader(KefuHeaders.CHANNEL));
        String errmsg = sixth.getMessage().getHeader(KefuHeaders.ERRMSG, String.class);
        assertTrue(errmsg.contains("WeCom 微信客服 has no fallback channel"), errmsg);
        assertEquals(5, wecom.sendCalls(), "no sixth call to kf/send_msg");
        assertEquals(5, wecom.sentTo(KF, "wmFive").size());

        // the customer writes again (in a later second: one in the same second would be taken for the same
        // message read twice), and five more may go
        aSecondAfter(Instant.now().getEpochSecond());
        writesAndIsPulled("wmFive");
        assertEquals("delivered", outcome(send("wmFive")));
    }

    @Test
    void withoutPreemptTheSixthIsTriedAndWeComs95001EndsItWindowClosed() throws Exception {
        template = camel.start(o -> o.setWindowPreempt(false));
        writesAndIsPulled("wmNoPreempt");
        for (int i = 1; i <= 5; i++) {
            assertEquals("delivered", outcome(send("wmNoPreempt")));
        }

        Exchange sixth = send("wmNoPreempt");

        assertEquals("window-closed", sixth.getMessage().getHeader(KefuHeaders.REASON));
        assertEquals(95001, sixth.getMessage().getHeader(KefuHeaders.ERRCODE));
        assertEquals("wecom", sixth.getMessage().getHeader(KefuHeaders.CHANNEL));
        String errmsg = sixth.getMessage().getHeader(KefuHeaders.ERRMSG, String.class);
        assertTrue(errmsg.startsWith("send msg count limit"), errmsg);
        assertTrue(errmsg.contains("; the customer's window is closed (48 hours since their last message, or its 5 "
                + "messages sent)"), errmsg);
        assertTrue(errmsg.contains("has no fallback channel"), errmsg);
        assertEquals(6, wecom.sendCalls());
    }

    @Test
    void aCustomerTheBookKnowsNothingOfIsTriedAndWeComs95001ClosesTheirWindowInTheBook() throws Exception {
        template = camel.start();
        Exchange first = send("wmNeverWrote");
        Exchange second = send("wmNeverWrote");

        assertEquals("window-closed", first.getMessage().getHeader(KefuHeaders.REASON));
        assertEquals(95001, first.getMessage().getHeader(KefuHeaders.ERRCODE));
        assertEquals("window-closed", second.getMessage().getHeader(KefuHeaders.REASON));
        assertNull(second.getMessage().getHeader(KefuHeaders.ERRCODE));
        assertEquals(1, wecom.sendCalls(), "the 95001 closed the book's window: the second was not sent");

        writesAndIsPulled("wmNeverWrote");
        assertEquals("delivered", outcome(send("wmNeverWrote")), "their message opened it again");
    }

    @Test
    void fortyEightHoursLaterOnTheSandboxsClockTheWindowIsClosed() throws Exception {
        template = camel.start();
        List<KfInbound> pulled = writesAndIsPulled("wmReturning");
        assertEquals("delivered", outcome(send("wmReturning")));
        aSecondAfter(JSON.readTree(pulled.get(0).json()).get("send_time").asLong());

        sandbox.advance(Duration.ofHours(48));
        Exchange late = send("wmReturning");
        int calls = wecom.sendCalls();
        Exchange later = send("wmReturning");

        assertEquals("window-closed", late.getMessage().getHeader(KefuHeaders.REASON));
        assertEquals(95001, late.getMessage().getHeader(KefuHeaders.ERRCODE), "the book's clock is not WeCom's");
        assertEquals("window-closed", later.getMessage().getHeader(KefuHeaders.REASON));
        assertNull(later.getMessage().getHeader(KefuHeaders.ERRCODE));
        assertEquals(calls, wecom.sendCalls(), "the 95001 closed the book's window: no call for the next");
        assertEquals(1, wecom.sentTo(KF, "wmReturning").size());
    }

    @Test
    void aMessageThatFailedGaveItsPlaceBack() throws Exception {
        template = camel.start();
        writesAndIsPulled("wmHandedOver");
        wecom.sessionState(KF, "wmHandedOver", 3);
        Exchange refused = send("wmHandedOver");
        assertEquals("session-state", refused.getMessage().getHeader(KefuHeaders.REASON));
        assertEquals("wecom", refused.getMessage().getHeader(KefuHeaders.CHANNEL));
        assertEquals(3, refused.getMessage().getHeader(KefuHeaders.SESSION_STATE));
        wecom.failNextSend(40058, 1);
        assertEquals("wechat-error", send("wmHandedOver").getMessage().getHeader(KefuHeaders.REASON));

        wecom.sessionState(KF, "wmHandedOver", 1);
        for (int i = 1; i <= 5; i++) {
            assertEquals("delivered", outcome(send("wmHandedOver")), "message " + i + " after two failed");
        }
        assertEquals("window-closed", send("wmHandedOver").getMessage().getHeader(KefuHeaders.REASON));
        assertEquals(7, wecom.sendCalls());
    }

    @Test
    void anAnswerToAnEventGoesWhateverTheBookSays() throws Exception {
        template = camel.start();
        writesAndIsPulled("wmEntering");
        for (int i = 1; i <= 5; i++) {
            send("wmEntering");
        }
        String code = wecom.customerEnters(KF, "wmEntering", "qr-1");

        Exchange welcome = template.request("wechat-kefu:send?failure=outcome", e -> e.getMessage().setBody(
                "{\"id\":\"welcome-1\",\"open_kfid\":\"" + KF + "\",\"code\":\"" + code + "\",\"msgtype\":\"text\","
                        + "\"text\":{\"content\":\"您好\"}}"));

        assertEquals("delivered", outcome(welcome));
        assertEquals("wecom", welcome.getMessage().getHeader(KefuHeaders.CHANNEL));
        assertEquals(6, wecom.sentTo(KF, "wmEntering").size());
    }

    @Test
    void theInteractionOperationRecordsAWeComEntryForItsKfAccountAndCustomer() {
        template = camel.start();
        wecom.customerWrites(KF, "wmHandedIn", "hello");
        long now = Instant.now().getEpochSecond();

        assertEquals("message", interaction(WeComSamples.customerEntry(KF, "wmHandedIn", now, "hello")));
        // an event as sync_msg lists it, as a Map and as JSON: its kf account and customer inside "event"
        assertEquals("none", interaction(Map.of("msgid", "e-1", "origin", 4, "msgtype", "event", "event",
                Map.of("event_type", "enter_session", "open_kfid", KF, "external_userid", "wmHandedIn"))));
        assertEquals("none", interaction(("{\"msgid\":\"e-2\",\"origin\":4,\"msgtype\":\"event\",\"event\":"
                + "{\"event_type\":\"enter_session\",\"open_kfid\":\"" + KF + "\"}}").getBytes(
                StandardCharsets.UTF_8)));
        assertEquals("none", interaction(WeComSamples.customerEntry(KF, "wmHandedIn", now, "from an agent")
                .replace("\"origin\":3", "\"origin\":5")));
        for (int i = 1; i <= 5; i++) {
            assertEquals("delivered", outcome(send("wmHandedIn")));
        }
        assertEquals("window-closed", send("wmHandedIn").getMessage().getHeader(KefuHeaders.REASON));
        assertEquals(5, wecom.sendCalls());

        CamelExecutionException bad = assertThrows(CamelExecutionException.class, () -> template.requestBody(
                "wechat-kefu:interaction", "{\"origin\":3,\"external_userid\":\"wm1\"}"));
        InvalidMessageException invalid = assertInstanceOf(InvalidMessageException.class, bad.getCause());
        assertTrue(invalid.getMessage().contains("no open_kfid"), invalid.getMessage());
    }

    private String interaction(Object body) {
        return template.request("wechat-kefu:interaction", e -> e.getMessage().setBody(body)).getMessage()
                .getHeader(KefuHeaders.INTERACTION, String.class);
    }
}
