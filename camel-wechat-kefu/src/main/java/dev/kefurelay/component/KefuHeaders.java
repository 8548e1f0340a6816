package dev.kefurelay.component;

import dev.kefurelay.message.MediaInput;
import org.apache.camel.spi.Metadata;

/**
 * Header names of the wechat-kefu component; they are contract (JMS properties, dead-letter headers). The consumer's
 * are the properties kefu-relay puts on a pushed message on its inbound queue.
 */
public final class KefuHeaders {

    @Metadata(description = "Producer: the sending account's appid; overrides the endpoint's appid and the message's "
            + "own. Consumer: the account that received the push (an answer sent with the header goes out from it).",
            javaType = "String")
    public static final String APP_ID = "KefuAppId";
    @Metadata(label = "consumer", description = "The user who wrote (the push's FromUserName, an openid): the "
            + "recipient of an answer, as KefuToUser.", javaType = "String")
    public static final String OPEN_ID = "KefuOpenId";
    @Metadata(label = "consumer", description = "The push's MsgType: text, image, voice, video, shortvideo, location, "
            + "link, miniprogrampage or event.", javaType = "String")
    public static final String MSG_TYPE = "KefuMsgType";
    @Metadata(label = "consumer", description = "An event's Event (subscribe, CLICK, SCAN, user_enter_tempsession, "
            + "TEMPLATESENDJOBFINISH and others); absent for a message.", javaType = "String")
    public static final String EVENT = "KefuEvent";
    @Metadata(label = "consumer", description = "The receiving account's kind: official or miniprogram (whose rules "
            + "an answer follows).", javaType = "String")
    public static final String ACCOUNT_KIND = "KefuAccountKind";
    @Metadata(label = "consumer", description = "On a template message's delivery report (TEMPLATESENDJOBFINISH): the "
            + "id of the message it carried, when the store still knows it.", javaType = "String")
    public static final String MESSAGE_ID = "KefuMessageId";
    @Metadata(label = "consumer", description = "What WeChat's tries of one push share (the MsgId, or the sender, time "
            + "and event of an event): a key for an idempotent consumer.", javaType = "String")
    public static final String PUSH_ID = "KefuPushId";
    @Metadata(label = "producer", description = "The recipient (openid) of a plain-text body when the endpoint names "
            + "none.", javaType = "String")
    public static final String TO_USER = "KefuToUser";
    @Metadata(label = "producer", description = "What became of the message: delivered, duplicate (delivered before "
            + "under the same id, not sent again) or failed.", javaType = "String")
    public static final String OUTCOME = "KefuOutcome";
    @Metadata(label = "producer", description = "Why a message failed: invalid-input, wechat-error, retries-exhausted, "
            + "unknown-outcome, quota-paused, window-closed, unauthorized or session-state (WeCom).", javaType = "String")
    public static final String REASON = "KefuReason";
    @Metadata(label = "producer", description = "WeChat's errcode of a failure, when WeChat gave one.",
            javaType = "Integer")
    public static final String ERRCODE = "KefuErrcode";
    @Metadata(label = "producer", description = "WeChat's errmsg of a failure, or the component's own words.",
            javaType = "String")
    public static final String ERRMSG = "KefuErrmsg";
    @Metadata(label = "producer", description = "When the message failed (ISO-8601 instant).", javaType = "String")
    public static final String FAILED_AT = "KefuFailedAt";
    @Metadata(label = "producer", description = "Which API carried the message, or was to carry it when it failed: "
            + "custom (customer service, inside the user's window), template or subscribe (the message's fallback, "
            + "outside it), wecom (WeCom 微信客服's kf/send_msg). Absent when none was reached (invalid input, a "
            + "duplicate).", javaType = "String")
    public static final String CHANNEL = "KefuChannel";
    @Metadata(label = "producer", description = "The msgid WeChat gave a template message, or the msgid a WeCom "
            + "message was sent with; a later report names it (TEMPLATESENDJOBFINISH, WeCom's msg_send_fail).",
            javaType = "String")
    public static final String MSG_ID = "KefuMsgId";
    @Metadata(description = "wechat-kefu:interaction and wechat-kefu:push: what a push (or a WeCom kf/sync_msg "
            + "entry) recorded in the window book was (message, menu_click, follow, scan, enter_session), or none "
            + "when it opens no window.",
            javaType = "String")
    public static final String INTERACTION = "KefuInteraction";
    @Metadata(label = "producer", description = "A WeCom message that failed as session-state (95018): the customer's "
            + "session state as kf/service_state/get answered it (2 queued, 3 a human agent, 4 ended; -1 unknown).",
            javaType = "Integer")
    public static final String SESSION_STATE = "KefuSessionState";

    @Metadata(label = "producer", description = "Content (bytes) for the media_id of a message that gives neither "
            + "media_id nor a file or source_url: uploaded, checked and cached like a file.", javaType = "byte[]")
    public static final String MEDIA = MediaInput.MEDIA_HEADER;
    @Metadata(label = "producer", description = "Content (bytes) for the thumb_media_id of a message that gives "
            + "none (video, music, miniprogrampage).", javaType = "byte[]")
    public static final String THUMB_MEDIA = MediaInput.THUMB_HEADER;
    /**
     * Exchange property, not a header (a JMS sender cannot set it): the folder this message's file sources are
     * relative to, in place of the component's mediaDir.
     */
    public static final String MEDIA_DIR_PROPERTY = "KefuMediaDir";

    private KefuHeaders() {
    }
}
