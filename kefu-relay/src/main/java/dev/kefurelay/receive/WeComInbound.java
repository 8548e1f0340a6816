package dev.kefurelay.receive;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kefurelay.component.KefuHeaders;
import dev.kefurelay.component.Outcome;
import dev.kefurelay.wecom.KfInbound;
import dev.kefurelay.wecom.KfPuller;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where pulled WeCom entries go: queue {@code kefu.inbound} (kefu.push.queue), as JSON with {@code "channel":"wecom"},
 * each with the broker's duplicate id {@code wecom:<open_kfid>:<msgid>} (an entry pulled twice, after a pull that
 * stopped mid-page, is dropped by the broker) and the properties {@code KefuChannel}, {@code KefuOpenKfId},
 * {@code KefuExternalUserId}, {@code KefuMsgType}, {@code KefuEventType} for selectors. A customer entering a
 * session is answered with {@code kefu.wecom.welcome-text}, when set, through the component within its 20 seconds.
 */
public final class WeComInbound implements KfPuller.Sink {

    static final String CHANNEL = "KefuChannel";
    static final String OPEN_KFID = "KefuOpenKfId";
    static final String EXTERNAL_USERID = "KefuExternalUserId";
    static final String EVENT_TYPE = "KefuEventType";

    private static final Logger LOG = LoggerFactory.getLogger(WeComInbound.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ProducerTemplate template;
    private final String queue;
    private final String welcomeText;

    public WeComInbound(CamelContext camel, String queue, String welcomeText) {
        this.template = camel.createProducerTemplate();
        this.queue = queue;
        this.welcomeText = welcomeText == null || welcomeText.isBlank() ? null : welcomeText;
    }

    @Override
    public void accept(KfInbound entry) throws Exception {
        Exchange sent = template.send("jms:queue:" + queue + "?disableReplyTo=true", ExchangePattern.InOnly, e -> {
            e.getMessage().setBody(entry.json());
            e.getMessage().setHeader(PushRoutes.DUPLICATE_ID, "wecom:" + entry.openKfid() + ":" + entry.msgid());
            e.getMessage().setHeader(CHANNEL, "wecom");
            e.getMessage().setHeader(OPEN_KFID, entry.openKfid());
            e.getMessage().setHeader(EXTERNAL_USERID, entry.externalUserid());
            e.getMessage().setHeader(PushRoutes.MSG_TYPE, entry.msgtype());
            if (entry.eventType() != null) {
                e.getMessage().setHeader(EVENT_TYPE, entry.eventType());
            }
        });
        if (sent.getException() != null) {
            throw new IllegalStateException("not queued on " + queue + ": " + sent.getException().getMessage());
        }
        if (welcomeText != null && "enter_session".equals(entry.eventType())) {
            welcome(entry);
        }
    }

    /**
     * The welcome, with the event's code: its id is made of the event's msgid, so an entry pulled twice is answered
     * once (the store's ids, and WeCom's msgids). A failure is logged: the event is on the queue for routes.
     */
    private void welcome(KfInbound entry) {
        String code;
        try {
            code = JSON.readTree(entry.json()).path("event").path("welcome_code").asText("");
        } catch (java.io.IOException e) {
            // the entry's JSON was written by KfInbound: it always reads
            throw new IllegalStateException(e);
        }
        if (code.isEmpty()) {
            return;
        }
        ObjectNode answer = JSON.createObjectNode().put("id", "welcome-" + entry.msgid()).put("corpid", entry.corpid())
                .put("open_kfid", entry.openKfid()).put("code", code).put("msgtype", "text");
        answer.putObject("text").put("content", welcomeText);
        Exchange sent = template.request("wechat-kefu:send?failure=outcome", e -> e.getMessage()
                .setBody(answer.toString()));
        Object status = sent.getMessage().getHeader(KefuHeaders.OUTCOME);
        if (!Outcome.STATUS_DELIVERED.equals(status) && !Outcome.STATUS_DUPLICATE.equals(status)) {
            LOG.warn("the welcome for a customer of kf account {} was not sent: {}", entry.openKfid(),
                    sent.getMessage().getBody(String.class));
        }
    }
}
