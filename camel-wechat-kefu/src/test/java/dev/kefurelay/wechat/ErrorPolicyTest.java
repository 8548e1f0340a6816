package dev.kefurelay.wechat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kefurelay.wechat.ErrorPolicy.Verdict;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ErrorPolicyTest {

    private static WeChatReply reply(int status, String body) throws Exception {
        return new WeChatReply(status, body == null ? null : new ObjectMapper().readTree(body));
    }

    @ParameterizedTest
    @CsvSource({
        "200, 0, DELIVERED",
        "200, 40001, TOKEN_REJECTED",
        "200, 40014, TOKEN_REJECTED",
        "200, 42001, TOKEN_REJECTED",
        "200, -1, RETRY",
        "200, 45011, RETRY",
        "200, 45009, DAILY_QUOTA",
        "200, 40003, GIVE_UP",
        "200, 45015, GIVE_UP",
        "200, 47001, GIVE_UP",
        "200, 48001, GIVE_UP",
    })
    void errcodesFollowTheContractTable(int status, int errcode, Verdict expected) throws Exception {
        assertEquals(expected, ErrorPolicy.verdict(reply(status, "{\"errcode\":" + errcode + ",\"errmsg\":\"m\"}")));
    }

    @ParameterizedTest
    @CsvSource({"500, RETRY", "502, RETRY", "503, RETRY", "429, RETRY", "404, GIVE_UP", "403, GIVE_UP"})
    void httpStatusesFollowTheContractTable(int status, Verdict expected) throws Exception {
        assertEquals(expected, ErrorPolicy.verdict(reply(status, null)));
    }

    @ParameterizedTest
    @CsvSource({"-1, retries-exhausted", "45009, quota-paused", "43004, wechat-error"})
    void failuresCarryTheReasonAndWeChatsWords(int errcode, String reason) throws Exception {
        SendFailedException f = ErrorPolicy.failure(reply(200, "{\"errcode\":" + errcode + ",\"errmsg\":\"said so\"}"));
        assertEquals(reason, f.reason().wireName());
        assertEquals(errcode, f.errcode());
        assertEquals("said so", f.errmsg());
    }

    @org.junit.jupiter.api.Test
    void anHttpFailureWithoutJsonHasNoErrcode() throws Exception {
        SendFailedException f = ErrorPolicy.failure(reply(502, null));
        assertInstanceOf(RetryableSendException.class, f);
        assertNull(f.errcode());
        assertEquals("HTTP 502 from WeChat", f.errmsg());
    }
}
