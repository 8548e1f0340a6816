package dev.kefurelay.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What reaches WeCom from customers, as WeCom records it: each message or event in kf/sync_msg's form, appended to
 * its kf account's list ({@link KfMessageLog}) and followed by a callback to the corp's push target, once one is set.
 * The sessions these change are {@link KfSessions}'.
 */
final class KfInbound {

    private static final Logger LOG = LoggerFactory.getLogger(KfInbound.class);
    /** Static, so the sandboxes of one JVM never hand out the same msgid. */
    private static final AtomicLong MSGIDS = new AtomicLong(1_000_000);

    private final WeComCorps corps;
    private final KfMessageLog log;
    /** Per corp, where its callbacks go: WeCom's callback settings are each corp's own. */
    private final Map<String, WeComPushes> pushTargets = new ConcurrentHashMap<>();

    KfInbound(WeComCorps corps, KfMessageLog log) {
        this.corps = corps;
        this.log = log;
    }

    void pushTo(String corpid, WeComPushes target) {
        pushTargets.put(corpid, target);
    }

    /** A customer's text (origin 3); returns its msgid. */
    String text(String openKfid, String externalUserid, String text) {
        ObjectNode message = message(openKfid, externalUserid, 3, "text");
        message.putObject("text").put("content", text);
        return appendAndNotify(openKfid, message);
    }

    /** The customer entered the session, with the welcome code send_msg_on_event takes. */
    void enteredSession(String openKfid, String externalUserid, String sceneParam, String welcomeCode) {
        ObjectNode message = event(openKfid, externalUserid, "enter_session");
        ((ObjectNode) message.get("event")).put("scene", "0").put("scene_param", sceneParam == null ? "" : sceneParam)
                .put("welcome_code", welcomeCode);
        appendAndNotify(openKfid, message);
    }

    /** A message WeCom accepted did not reach the customer. */
    void sendFailed(String openKfid, String externalUserid, String msgid, int failType) {
        ObjectNode message = event(openKfid, externalUserid, "msg_send_fail");
        ((ObjectNode) message.get("event")).put("fail_msgid", msgid).put("fail_type", failType);
        appendAndNotify(openKfid, message);
    }

    private String appendAndNotify(String openKfid, ObjectNode message) {
        log.append(openKfid, message);
        WeComPushes target = pushTargets.get(corps.corpOf(openKfid));
        if (target != null) {
            WeComPushes.Result result = target.kfMsgOrEvent(openKfid);
            if (!result.success()) {
                LOG.warn("sandbox: the relay answered HTTP {} to a WeCom callback", result.status());
            }
        }
        return message.get("msgid").asText();
    }

    private static ObjectNode message(String openKfid, String externalUserid, int origin, String msgtype) {
        ObjectNode message = Json.newObject();
        message.put("msgid", nextMsgid());
        message.put("open_kfid", openKfid);
        message.put("external_userid", externalUserid);
        message.put("origin", origin);
        message.put("msgtype", msgtype);
        return message;
    }

    /** An event as sync_msg lists it: its kf account and customer inside {@code event}, not beside it. */
    private static ObjectNode event(String openKfid, String externalUserid, String type) {
        ObjectNode message = Json.newObject();
        message.put("msgid", nextMsgid());
        message.put("origin", 4);
        message.put("msgtype", "event");
        message.putObject("event").put("event_type", type).put("open_kfid", openKfid)
                .put("external_userid", externalUserid);
        return message;
    }

    private static String nextMsgid() {
        return "sandbox" + MSGIDS.incrementAndGet() + RandomTokens.next().substring(0, 12);
    }
}
