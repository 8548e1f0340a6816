package dev.kefurelay.component;

import org.apache.camel.spi.Metadata;

/** Header names of the wechat-kefu component; they are contract (JMS properties, dead-letter headers). */
public final class KefuHeaders {

    @Metadata(label = "producer", description = "The sending account's appid; overrides the endpoint's appid and the "
            + "message's own.", javaType = "String")
    public static final String APP_ID = "KefuAppId";
    @Metadata(label = "producer", description = "The recipient (openid) of a plain-text body when the endpoint names "
            + "none.", javaType = "String")
    public static final String TO_USER = "KefuToUser";
    @Metadata(label = "producer", description = "What became of the message: delivered, duplicate (delivered before "
            + "under the same id, not sent again) or failed.", javaType = "String")
    public static final String OUTCOME = "KefuOutcome";
    @Metadata(label = "producer", description = "Why a message failed: invalid-input, wechat-error, retries-exhausted, "
            + "unknown-outcome or quota-paused.", javaType = "String")
    public static final String REASON = "KefuReason";
    @Metadata(label = "producer", description = "WeChat's errcode of a failure, when WeChat gave one.",
            javaType = "Integer")
    public static final String ERRCODE = "KefuErrcode";
    @Metadata(label = "producer", description = "WeChat's errmsg of a failure, or the component's own words.",
            javaType = "String")
    public static final String ERRMSG = "KefuErrmsg";
    @Metadata(label = "producer", description = "When the message failed (ISO-8601 instant).", javaType = "String")
    public static final String FAILED_AT = "KefuFailedAt";

    private KefuHeaders() {
    }
}
