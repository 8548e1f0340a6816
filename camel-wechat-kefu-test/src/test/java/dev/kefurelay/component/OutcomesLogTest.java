package dev.kefurelay.component;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import dev.kefurelay.LogCapture;
import dev.kefurelay.message.KefuMessage;
import dev.kefurelay.message.OutboundMessage;
import dev.kefurelay.wechat.Channel;
import dev.kefurelay.wechat.Reason;
import dev.kefurelay.wechat.SendFailedException;
import org.junit.jupiter.api.Test;

/** The outcome line: its fields in order, the openid masked, the sender's values kept on one line. */
class OutcomesLogTest {

    private final Outcomes outcomes = new Outcomes(null);

    @Test
    void aDeliveredMessageIsOneLineWithItsOpenidMasked() {
        OutboundMessage m = new OutboundMessage("wx0000000000000001", "order-1",
                KefuMessage.text("oUser000000000000000000000042", "你好"));
        assertEquals("dev.kefurelay.outcome delivered appid=wx0000000000000001 touser=oUse***42 msgtype=text "
                + "id=order-1 channel=custom latency=#ms", logged(m, Outcome.delivered(Channel.CUSTOM, null)));
        assertEquals("dev.kefurelay.outcome duplicate appid=wx0000000000000001 touser=oUse***42 msgtype=text "
                + "id=order-1 channel=- latency=#ms", logged(m, Outcome.alreadyDelivered()));
    }

    @Test
    void aFailureNamesItsReasonAndTheSendersValuesStayOnOneLine() {
        OutboundMessage m = new OutboundMessage("wx\nforged", null, KefuMessage.text("o\u2028bc\tdefg\r", "hi"));
        Outcome failed = Outcome.failed(new SendFailedException(Reason.WECHAT_ERROR, 40003,
                "invalid openid\nfailed appid=x", Channel.CUSTOM));
        assertEquals("dev.kefurelay.outcome failed appid=wx\\nforged touser=o\\u2028bc***g\\r msgtype=text id=- "
                + "channel=custom reason=wechat-error errcode=40003 errmsg=invalid openid\\nfailed appid=x "
                + "latency=#ms", logged(m, failed));
    }

    @Test
    void aMessageThatCouldNotBeReadIsLoggedWithDashes() {
        Outcome failed = Outcome.failed(new SendFailedException(Reason.INVALID_INPUT, null, "the message is empty"));
        assertEquals("dev.kefurelay.outcome failed appid=- touser=- msgtype=- id=- channel=- reason=invalid-input "
                + "errcode=- errmsg=the message is empty latency=#ms", logged(null, failed));
        OutboundMessage shortUser = new OutboundMessage("wx1", null, KefuMessage.text("o12345", "hi"));
        assertEquals("dev.kefurelay.outcome delivered appid=wx1 touser=*** msgtype=text id=- channel=- latency=#ms",
                logged(shortUser, Outcome.delivered()));
    }

    private String logged(OutboundMessage m, Outcome outcome) {
        try (LogCapture log = LogCapture.everyLevel()) {
            outcomes.finished(m, m == null ? null : m.appid(), outcome, System.nanoTime());
            List<String> lines = log.lines().stream().filter(l -> l.startsWith("dev.kefurelay.outcome ")).toList();
            assertEquals(1, lines.size(), lines.toString());
            return lines.get(0).strip().replaceAll("latency=\\d+ms", "latency=#ms");
        }
    }
}
