package dev.kefurelay.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeEach;

/**
 * The sandbox's WeCom side over real loopback HTTP: one corp with two kf accounts and a second corp, on the clock the
 * test moves; and the calls a test makes to it.
 */
abstract class WeComTestSupport extends SandboxTestSupport {

    static final String CORPID = "ww0000000000000c01";
    static final String CORP_SECRET = "corp-secret-do-not-log";
    static final String OTHER_CORP = "ww0000000000000c02";
    static final String OTHER_SECRET = "other-corp-secret-do-not-log";
    static final String KF = "wkAAAAAAAAAAAAAAAAAAAAAAAAAAAAA001";
    static final String KF2 = "wkAAAAAAAAAAAAAAAAAAAAAAAAAAAAA002";
    static final String OTHER_KF = "wkBBBBBBBBBBBBBBBBBBBBBBBBBBBBB001";
    static final String CUSTOMER = "wmAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAc1";
    static final String CUSTOMER2 = "wmAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAc2";

    SandboxWeCom wecom;

    @BeforeEach
    void corps() {
        wecom = sandbox.wecom().corp(CORPID, CORP_SECRET).kfAccount(CORPID, KF).kfAccount(CORPID, KF2)
                .corp(OTHER_CORP, OTHER_SECRET).kfAccount(OTHER_CORP, OTHER_KF);
    }

    Reply gettoken(String corpid, String secret) throws Exception {
        return get("/cgi-bin/gettoken?corpid=" + corpid + "&corpsecret=" + secret);
    }

    String corpToken() throws Exception {
        Reply reply = gettoken(CORPID, CORP_SECRET);
        assertOkWeCom(reply);
        return reply.json().get("access_token").asText();
    }

    Reply kfSend(String token, String body) throws Exception {
        return post("/cgi-bin/kf/send_msg?access_token=" + token, body);
    }

    Reply sync(String token, ObjectNode body) throws Exception {
        return post("/cgi-bin/kf/sync_msg?access_token=" + token, body.toString());
    }

    Reply stateGet(String token, String openKfid, String customer) throws Exception {
        return post("/cgi-bin/kf/service_state/get?access_token=" + token, MAPPER.createObjectNode()
                .put("open_kfid", openKfid).put("external_userid", customer).toString());
    }

    static ObjectNode kfText(String openKfid, String touser, String content) {
        ObjectNode message = MAPPER.createObjectNode().put("touser", touser).put("open_kfid", openKfid)
                .put("msgtype", "text");
        message.putObject("text").put("content", content);
        return message;
    }

    static void assertOkWeCom(Reply reply) {
        assertEquals(200, reply.status(), reply.body());
        assertEquals(0, reply.json().path("errcode").asInt(-99), reply.body());
        assertEquals("ok", reply.json().path("errmsg").asText(), reply.body());
    }

    /** WeCom's errmsg: the words, then {@code , hint: […], from ip: …, more info at …?e=<errcode>}. */
    static void assertWeComError(int errcode, String words, Reply reply) {
        assertEquals(200, reply.status(), reply.body());
        assertEquals(errcode, reply.json().path("errcode").asInt(Integer.MIN_VALUE), reply.body());
        String errmsg = reply.json().path("errmsg").asText();
        assertTrue(errmsg.startsWith(words + ", hint: ["), reply.body());
        assertTrue(errmsg.endsWith("more info at https://open.work.weixin.qq.com/devtool/query?e=" + errcode),
                reply.body());
    }
}
