package dev.kefurelay.component;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.kefurelay.WeComSamples;
import dev.kefurelay.sandbox.SandboxWeCom;
import dev.kefurelay.testkit.WeChatKefuSandboxExtension;
import dev.kefurelay.wechat.Reason;
import dev.kefurelay.wechat.SendFailedException;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A send to WeCom 微信客服 whose answer was lost (the component's read timeout passed while WeCom took the message):
 * the retry carries the same msgid, and whatever WeCom answers it, the customer gets the message once and a
 * refusal after a lost answer is an unknown outcome, never a failure. The component in a plain DefaultCamelContext
 * against the sandbox's WeCom over real HTTP.
 */
class WeComLostAnswerTest {

    @RegisterExtension
    static final WeChatKefuSandboxExtension wechat = new WeChatKefuSandboxExtension();
    private static final String KF = WeComSamples.OPEN_KFID;
    private static final String CUSTOMER = WeComSamples.CUSTOMER;

    @RegisterExtension
    final SandboxCamel camel = new SandboxCamel(wechat);

    @BeforeAll
    static void kfAccount() {
        wechat.sandbox().wecom().kfAccount(WeChatKefuSandboxExtension.CORPID, KF);
    }

    /** The sandbox's WeCom, which the class's sandbox keeps across tests (reset before each). */
    private static SandboxWeCom wecom() {
        return wechat.sandbox().wecom();
    }

    @Test
    void aReadTimeoutThenTheRetryTheCustomerGetsOneMessage() {
        ProducerTemplate template = camel.start(o -> o.setReadTimeout(Duration.ofSeconds(1)));
        wecom().customerWrites(KF, CUSTOMER, "where is my order?");
        // the first send_msg takes effect, then answers after the component stopped waiting
        wecom().slowNextSends(Duration.ofSeconds(3), 1);

        Exchange reply = template.request("wechat-kefu:send", e -> e.getMessage()
                .setBody(WeComSamples.text(KF, CUSTOMER, "answer-1", "on its way")));

        assertEquals("delivered", reply.getMessage().getHeader(KefuHeaders.OUTCOME), "the lost attempt delivered it");
        assertEquals(1, wecom().sentTo(KF, CUSTOMER).size());
        assertEquals(2, wecom().sendCalls());
        assertEquals("answer-1", wecom().sent().get(0).msgid());
    }

    @Test
    void aRefusalAfterALostAnswerIsAnUnknownOutcomeNotAFailure() throws Exception {
        ProducerTemplate template = camel.start(o -> o.setReadTimeout(Duration.ofSeconds(2)));
        wecom().customerWrites(KF, CUSTOMER, "where is my order?");
        // the first send_msg takes effect, then answers after the component stopped waiting
        wecom().slowNextSends(Duration.ofSeconds(5), 1);

        CompletableFuture<Exchange> reply = template.asyncSend("wechat-kefu:send?failure=outcome", e -> e.getMessage()
                .setBody(WeComSamples.text(KF, CUSTOMER, "answer-4", "on its way")));
        // the retry is refused as a WeCom that judges the window before the msgid would refuse it once the lost
        // attempt took the window's last place: that refusal says nothing of the lost attempt
        await().pollInterval(Duration.ofMillis(10)).atMost(Duration.ofSeconds(10)).until(() -> wecom().sendCalls() == 1);
        wecom().failNextSend(95001, 1);
        Exchange ended = reply.get(30, TimeUnit.SECONDS);

        assertEquals("unknown-outcome", ended.getMessage().getHeader(KefuHeaders.REASON));
        assertEquals(95001, ended.getMessage().getHeader(KefuHeaders.ERRCODE));
        String errmsg = ended.getMessage().getHeader(KefuHeaders.ERRMSG, String.class);
        assertTrue(errmsg.endsWith("(an earlier attempt's answer was lost: it may have been delivered)"), errmsg);
        assertEquals(2, wecom().sendCalls());
        assertEquals(1, wecom().sentTo(KF, CUSTOMER).size(), "it was delivered, by the attempt whose answer was lost");
        // WeCom's 95001 still closed the customer's window in the book: the next message makes no call
        assertEquals("window-closed", template.request("wechat-kefu:send?failure=outcome", e -> e.getMessage()
                .setBody(WeComSamples.text(KF, CUSTOMER, "answer-5", "and this"))).getMessage()
                .getHeader(KefuHeaders.REASON));
        assertEquals(2, wecom().sendCalls());
    }

    @Test
    void aReuseAnswerInOtherWordsCountsOnceItsErrcodeIsConfigured() {
        ProducerTemplate template = camel.start(o -> {
            o.setReadTimeout(Duration.ofSeconds(1));
            o.setWecomReusedMsgidErrcodes("95999, 96000");
        });
        wecom().customerWrites(KF, CUSTOMER, "hi");
        wecom().reusedMsgidAnswer(95999, "invalid parameter");
        wecom().slowNextSends(Duration.ofSeconds(3), 1);

        Exchange reply = template.request("wechat-kefu:send", e -> e.getMessage()
                .setBody(WeComSamples.text(KF, CUSTOMER, "answer-2", "on its way")));

        assertEquals("delivered", reply.getMessage().getHeader(KefuHeaders.OUTCOME));
        assertEquals(1, wecom().sentTo(KF, CUSTOMER).size());
    }

    @Test
    void aReuseAnswerNotRecognisedIsAnUnknownOutcomeAndTheMessageNeverSentTwice() {
        ProducerTemplate template = camel.start(o -> o.setReadTimeout(Duration.ofSeconds(1)));
        wecom().customerWrites(KF, CUSTOMER, "hi");
        wecom().reusedMsgidAnswer(95999, "invalid parameter");
        wecom().slowNextSends(Duration.ofSeconds(3), 1);

        SendFailedException failure = camel.failure(WeComSamples.text(KF, CUSTOMER, "answer-3", "on its way"));

        // the lost attempt delivered it: whatever the refusal of the retry means, it is no failure to report
        assertEquals(Reason.UNKNOWN_OUTCOME, failure.reason());
        assertEquals(95999, failure.errcode());
        assertEquals(1, wecom().sentTo(KF, CUSTOMER).size());
    }
}
