package dev.kefurelay.component;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kefurelay.wechat.Channel;
import dev.kefurelay.wechat.Reason;
import dev.kefurelay.wechat.SendFailedException;
import org.junit.jupiter.api.Test;

class OutcomeTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theOutcomesWrittenOnceReadAsTheContractSays() {
        assertEquals("{\"errcode\":0,\"errmsg\":\"ok\",\"channel\":\"custom\"}",
                Outcome.delivered(Channel.CUSTOM, null).toJson());
        assertEquals("{\"errcode\":0,\"errmsg\":\"ok\"}", Outcome.delivered().toJson());
        assertEquals("{\"errcode\":0,\"errmsg\":\"ok: already delivered, not sent again\",\"duplicate\":true}",
                Outcome.alreadyDelivered().toJson());
    }

    @Test
    void everyOutcomeReadsAsJacksonWritesIt() throws Exception {
        for (Channel channel : Channel.values()) {
            Outcome shared = Outcome.delivered(channel, null);
            assertEquals(JSON.writeValueAsString(copy(shared)), shared.toJson());
            Outcome withMsgid = Outcome.delivered(channel, "2910 \"msgid\" 订单");
            assertEquals(JSON.writeValueAsString(withMsgid), withMsgid.toJson());
        }
        assertEquals(JSON.writeValueAsString(copy(Outcome.delivered())), Outcome.delivered().toJson());
        assertEquals(JSON.writeValueAsString(copy(Outcome.alreadyDelivered())), Outcome.alreadyDelivered().toJson());
        Outcome failed = Outcome.failed(new SendFailedException(Reason.WECHAT_ERROR, 40003, "invalid openid\n\"x\"",
                Channel.CUSTOM));
        assertEquals("{\"reason\":\"wechat-error\",\"errcode\":40003,\"errmsg\":\"invalid openid\\n\\\"x\\\"\","
                + "\"channel\":\"custom\"}", failed.toJson());
    }

    private static Outcome copy(Outcome o) {
        return new Outcome(o.reason(), o.errcode(), o.errmsg(), o.duplicate(), o.channel(), o.msgid());
    }
}
