package dev.kefurelay.wecom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kefurelay.wechat.WeChatReply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReusedMsgidTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TAIL = ", hint: [1700000000123456], from ip: 1.2.3.4, more info at "
            + "https://open.work.weixin.qq.com/devtool/query?e=";

    @ParameterizedTest
    @ValueSource(strings = {"msgid duplicated", "msgid exist", "msgid already exists", "invalid msgid: msgid used",
            "duplicate msgid", "msg_id repeated", "消息ID重复"})
    void anErrmsgThatNamesTheMsgidAsTakenMeansReused(String words) throws Exception {
        assertTrue(new ReusedMsgid(Set.of()).means(reply(40058, words)), words);
    }

    @ParameterizedTest
    @ValueSource(strings = {"msgid exceed max length", "invalid msgid", "invalid parameter",
            "send msg session status invalid", "system busy"})
    void otherRefusalsAreNot(String words) throws Exception {
        assertFalse(new ReusedMsgid(Set.of()).means(reply(40058, words)), words);
    }

    @Test
    void onlyTheWordsBeforeWeComsHintCount() throws Exception {
        // the hint's request id and the URL are WeCom's tail, not its verdict
        assertFalse(new ReusedMsgid(Set.of()).means(reply(40058, "invalid parameter" + TAIL + "40058&msgid=exist")));
    }

    @Test
    void aConfiguredErrcodeMeansReusedWhateverItsWords() throws Exception {
        ReusedMsgid reused = new ReusedMsgid(Set.of(95999));
        assertTrue(reused.means(reply(95999, "invalid parameter")));
        assertFalse(reused.means(reply(95998, "invalid parameter")));
        assertFalse(reused.means(reply(0, "msgid duplicated")), "errcode 0 is delivered, not reused");
    }

    @Test
    void theOptionIsAListOfErrcodes() {
        assertEquals(Set.of(95999, 40058), ReusedMsgid.parse(" 95999, 40058,", "k"));
        assertEquals(Set.of(), ReusedMsgid.parse(" ", "k"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ReusedMsgid.parse("95999,msgid", "kefu.wecom.reused-msgid-errcodes"));
        assertEquals("kefu.wecom.reused-msgid-errcodes: 'msgid' is not an errcode (a whole number)", e.getMessage());
    }

    private static WeChatReply reply(int errcode, String words) throws Exception {
        return new WeChatReply(200, JSON.createObjectNode().put("errcode", errcode)
                .put("errmsg", words + TAIL + errcode));
    }
}
