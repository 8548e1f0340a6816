package dev.kefurelay.component;

import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kefurelay.message.InvalidMessageException;
import dev.kefurelay.message.KefuMessage;
import dev.kefurelay.message.MediaInput;
import dev.kefurelay.message.OutboundMessage;
import dev.kefurelay.wechat.Channel;
import dev.kefurelay.wecom.SessionStateException;
import dev.kefurelay.wecom.WeComMessage;
import dev.kefurelay.wecom.WeComMessageReader;
import dev.kefurelay.wecom.WeComSending;
import dev.kefurelay.wecom.WeComSteps;
import org.apache.camel.Message;

/**
 * Where the producer hands a WeCom 微信客服 message (one with {@code open_kfid}) to the WeCom send flow, and how its
 * end is reported like any other message's: the same outcome body and Kefu* headers (channel {@code wecom}, the
 * msgid sent as {@code KefuMsgId}), one outcome log line (under the kf account's open_kfid) and the listener's meters
 * (under its corp), plus {@code KefuSessionState} after a 95018.
 */
final class WeComSend {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The message as read (for the outcome log line), the account the listener counts it under (its corp: corps are
     * configured, kf accounts are whatever senders write) and its outcome to come.
     */
    record Started(OutboundMessage view, String account, CompletableFuture<Outcome> result) {
    }

    private WeComSend() {
    }

    /** Whether this body is for WeCom (a JSON object with open_kfid at its top). */
    static boolean handles(String body) {
        return WeComMessageReader.isWeCom(body);
    }

    /**
     * Reads the message and starts its delivery; throws {@code InvalidMessageException} naming what is wrong.
     *
     * @param media the exchange's folder for file sources and bytes for an id left out, as for any message
     */
    static Started start(WeChatKefuComponent component, String body, MediaInput media, boolean onCallersThread) {
        WeComSending wecom = component.wecom();
        if (wecom == null) {
            throw new InvalidMessageException("a message with open_kfid goes to WeCom 微信客服, but no WeCom corp is "
                    + "configured: set " + component.getOptionNames().name("wecom-corpid") + " and "
                    + component.getOptionNames().name("wecom-secret"));
        }
        WeComMessage message = wecom.steps().read(body, media);
        // KefuMsgId: the msgid WeCom took, which its later msg_send_fail names
        CompletableFuture<Outcome> result = wecom.steps().send(message, onCallersThread).thenApply(sent ->
                sent == WeComSteps.Sent.DELIVERED ? Outcome.delivered(Channel.WECOM, message.msgid())
                        : Outcome.alreadyDelivered());
        return new Started(view(message), message.corpid(), result);
    }

    /** What a 95018 adds to the outcome headers: the session's state; nothing stays from an earlier failure. */
    static void annotate(Message out, Throwable failure) {
        if (failure instanceof SessionStateException s) {
            out.setHeader(KefuHeaders.SESSION_STATE, s.state());
        } else {
            out.removeHeader(KefuHeaders.SESSION_STATE);
        }
    }

    /**
     * The message as the outcome log line and the listener see one: the kf account in place of the appid, the
     * customer, the type and the id. The content is not needed there.
     */
    private static OutboundMessage view(WeComMessage m) {
        // by name, not by the record's constructor: the model's other fields stay null whatever they are
        ObjectNode shape = JSON.createObjectNode().put("touser", m.touser()).put("msgtype", m.msgtype());
        return new OutboundMessage(m.openKfid(), m.id(), JSON.convertValue(shape, KefuMessage.class),
                java.util.List.of(), m.payload(), null);
    }
}
