package dev.kefurelay.component;

import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;
import org.apache.camel.spi.UriPath;

/** The options of one {@code wechat-kefu:} endpoint. */
@UriParams
public class WeChatKefuConfiguration {

    @UriPath(description = "send: a customer-service message (custom/send, or its fallback outside the user's "
            + "window); typing: show or hide the typing indicator (custom/typing; the body names touser and command, "
            + "Typing or CancelTyping); interaction: record a push the application received (its XML or fields) in "
            + "the window book.")
    @Metadata(required = true)
    private WeChatKefuOperation operation;

    @UriParam(description = "The sending account's appid; it overrides the message's own appid, and the header "
            + "KefuAppId overrides it. Default: the message's appid, else the component's appid.")
    private String appid;

    @UriParam(description = "The recipient's openid, when the message names none (and of a plain-text body); "
            + "default: the header KefuToUser.")
    private String touser;

    @UriParam(description = "The type of a body that is a content object (for image: an object with media_id) or "
            + "plain text (text only).",
            enums = "text,image,voice,video,music,news,mpnews,mpnewsarticle,msgmenu,wxcard,miniprogrampage,link")
    private String msgtype;

    @UriParam(description = "Sends as this customer-service account (customservice.kf_account, name@account) when "
            + "the message names none.")
    private String kfAccount;

    @UriParam(label = "security", secret = true, description = "The appsecret of the endpoint's appid, for an account "
            + "the component is not configured with (e.g. given to the wechat-kefu-sink Kamelet); stable and "
            + "client-credential modes. Put it in a property placeholder, never literally in a URI.")
    private String secret;

    @UriParam(enums = "official,miniprogram", description = "The kind of the endpoint's appid, for an account the "
            + "component is not configured with (e.g. given to the wechat-kefu-sink Kamelet): official or miniprogram. "
            + "A Mini Program takes text, image, link and miniprogrampage; default: the component's accountKinds, "
            + "else official.")
    private String kind;

    @UriParam(defaultValue = "exception", enums = "exception,outcome",
            description = "How a message that was not delivered is reported: exception (the exchange fails with a "
                    + "dev.kefurelay.wechat.SendFailedException carrying reason, errcode and errmsg, for the route's "
                    + "error handler) or outcome (the exchange goes on with the outcome JSON as body and the headers "
                    + "KefuOutcome, KefuReason, KefuErrcode, KefuErrmsg, KefuFailedAt).")
    private FailureMode failure = FailureMode.EXCEPTION;

    @UriParam(label = "advanced", defaultValue = "false",
            description = "Wait for the outcome on the caller's thread. Needed when the route after this endpoint "
                    + "uses resources bound to the caller's thread, such as the session of a transacted JMS "
                    + "consumer. By default the route goes on, once WeChat answered, on the component's threads.")
    private boolean synchronous;

    public WeChatKefuOperation getOperation() {
        return operation;
    }

    public void setOperation(WeChatKefuOperation operation) {
        this.operation = operation;
    }

    public String getAppid() {
        return appid;
    }

    public void setAppid(String appid) {
        this.appid = appid;
    }

    public String getTouser() {
        return touser;
    }

    public void setTouser(String touser) {
        this.touser = touser;
    }

    public String getMsgtype() {
        return msgtype;
    }

    public void setMsgtype(String msgtype) {
        this.msgtype = msgtype;
    }

    public String getKfAccount() {
        return kfAccount;
    }

    public void setKfAccount(String kfAccount) {
        this.kfAccount = kfAccount;
    }

    public String getSecret() {
        return secret;
    }

    public void setSecret(String secret) {
        this.secret = secret;
    }

    public String getKind() {
        return kind;
    }

    /** Text, checked when the endpoint is made: a Kamelet passes an empty {@code {{kind:}}} when none is given. */
    public void setKind(String kind) {
        this.kind = kind;
    }

    public FailureMode getFailure() {
        return failure;
    }

    public void setFailure(FailureMode failure) {
        this.failure = failure;
    }

    public boolean isSynchronous() {
        return synchronous;
    }

    public void setSynchronous(boolean synchronous) {
        this.synchronous = synchronous;
    }
}
