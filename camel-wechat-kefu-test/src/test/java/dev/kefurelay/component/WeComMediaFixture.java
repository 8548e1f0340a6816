package dev.kefurelay.component;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kefurelay.sandbox.SandboxWeCom;
import dev.kefurelay.sandbox.WeChatSandbox;
import dev.kefurelay.testkit.WeChatKefuSandboxExtension;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;

/** What the WeCom media tests share: the customer's open session, their messages to it, and the delivered check. */
final class WeComMediaFixture {

    static final String CORPID = WeChatKefuSandboxExtension.CORPID;
    static final String KF = WeChatKefuSandboxExtension.OPEN_KFID;
    static final String CUSTOMER = "wmMediaCustomer0000000000000001";

    private WeComMediaFixture() {
    }

    /**
     * A session the customer opened, without its 5-message limit (these tests are about media), and media_ids checked
     * on both platforms: WeCom's and WeChat's each refuse (40007) an id they did not issue.
     */
    static SandboxWeCom openSession(WeChatSandbox sandbox) {
        SandboxWeCom wecom = sandbox.wecom().requireUploadedMedia(true).enforceWindow(false);
        wecom.customerWrites(KF, CUSTOMER, "can you send me the offer?");
        sandbox.requireUploadedMedia(true);
        return wecom;
    }

    /** A message of {@code msgtype} to the customer, its content {@code content} (a JSON object). */
    static String message(String msgtype, String content) {
        return "{\"touser\":\"" + CUSTOMER + "\",\"open_kfid\":\"" + KF + "\",\"msgtype\":\"" + msgtype + "\",\""
                + msgtype + "\":" + content + "}";
    }

    static Exchange send(ProducerTemplate template, String msgtype, String content) {
        return template.request("wechat-kefu:send?failure=outcome", e -> e.getMessage().setBody(message(msgtype,
                content)));
    }

    static void assertDelivered(Exchange reply) {
        assertEquals("delivered", reply.getMessage().getHeader(KefuHeaders.OUTCOME),
                () -> reply.getMessage().getBody(String.class));
    }
}
