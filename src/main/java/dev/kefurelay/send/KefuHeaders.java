package dev.kefurelay.send;

/** Header and exchange property names: the headers are contract (JMS properties, DLQ headers). */
public final class KefuHeaders {

    /** In: overrides the message's appid. */
    public static final String APP_ID = "KefuAppId";
    /** In: recipient of a plain-text body. */
    public static final String TO_USER = "KefuToUser";
    /** Out: delivered, duplicate or failed. */
    public static final String OUTCOME = "KefuOutcome";
    public static final String REASON = "KefuReason";
    public static final String ERRCODE = "KefuErrcode";
    public static final String ERRMSG = "KefuErrmsg";
    public static final String FAILED_AT = "KefuFailedAt";

    /** Exchange property: the body as the caller handed it, for dead letters. */
    public static final String INPUT = "KefuInput";
    /** Exchange property: the JMS message the exchange was consumed from, for the dead letter's properties. */
    public static final String INPUT_JMS = "KefuInputJms";
    /** Exchange property: the parsed {@code OutboundMessage}. */
    public static final String MESSAGE = "KefuMessage";
    /** Exchange property: the message's {@code DeliveredIds.Claim}, ended with its outcome. */
    public static final String CLAIM = "KefuClaim";
    /** Exchange property: the sending appid. */
    public static final String ACCOUNT = "KefuAccount";
    /** Exchange property: the JSON posted to WeChat. */
    public static final String PAYLOAD = "KefuPayload";
    /** Exchange property: the WeChat API path an attempt posts to; custom/send when absent. */
    public static final String API_PATH = "KefuApiPath";
    /** Exchange property: the access token in use; never copied to a header. */
    public static final String TOKEN = "KefuAccessToken";
    /** Exchange property: WeChat's answer to the last post. */
    public static final String REPLY = "KefuReply";
    /** Exchange property: when kefu-send started, for the latency in the outcome log line. */
    public static final String STARTED = "KefuStarted";

    private KefuHeaders() {
    }
}
