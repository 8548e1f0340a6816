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
            + "Typing or CancelTyping); interaction: record a push the application received (its XML or fields), or "
            + "an entry of WeCom's kf/sync_msg (its JSON), in the window book; push (consumer): receive WeChat's "
            + "pushes, users' messages and events, on the application's HTTP server (platform-http).")
    @Metadata(required = true)
    private WeChatKefuOperation operation;

    @UriParam(description = "The sending account's appid; it overrides the message's own appid, and the header "
            + "KefuAppId overrides it. Default: the message's appid, else the component's appid. For push: the account "
            + "whose pushes come to a path without {appid}, and whose keys pushToken and pushSecretKey are.")
    private String appid;

    @UriParam(label = "consumer", defaultValue = "/wechat/accounts/{appid}", description = "The path of the "
            + "message URL entered at WeChat, on the application's HTTP server (platform-http): {appid} is the "
            + "account's appid (a third-party platform's message URL names each authorizer there, as $APPID$). A path "
            + "without {appid} receives the pushes of the endpoint's appid, else the component's.")
    private String path = "/wechat/accounts/{appid}";

    @UriParam(label = "consumer", defaultValue = "/wechat/component", description = "Component mode: the path of the "
            + "platform's authorization event URL. Its component_verify_ticket is stored, authorizations are "
            + "exchanged for the authorizer's refresh token (api_query_auth) and stored, a withdrawal stops the "
            + "authorizer; none of them becomes an exchange.")
    private String componentPath = "/wechat/component";

    @UriParam(label = "consumer,security", secret = true, description = "The push Token of the endpoint's appid, for "
            + "an account the component has no keys for (e.g. given to the wechat-kefu-source Kamelet). Put it in a "
            + "property placeholder, never literally in a URI.")
    private String pushToken;

    @UriParam(label = "consumer,security", secret = true, description = "The EncodingAESKey beside the endpoint's "
            + "pushToken; empty: plaintext mode.")
    private String pushSecretKey;

    @UriParam(label = "producer", description = "The recipient's openid, when the message names none (and of a "
            + "plain-text body); default: the header KefuToUser.")
    private String touser;

    @UriParam(label = "producer", description = "The type of a body that is a content object (for image: an object "
            + "with media_id) or plain text (text only).",
            enums = "text,image,voice,video,music,news,mpnews,mpnewsarticle,msgmenu,wxcard,miniprogrampage,link")
    private String msgtype;

    @UriParam(label = "producer", description = "Sends as this customer-service account (customservice.kf_account, "
            + "name@account) when the message names none.")
    private String kfAccount;

    @UriParam(label = "producer,security", secret = true, description = "The appsecret of the endpoint's appid, for "
            + "an account the component is not configured with (e.g. given to the wechat-kefu-sink Kamelet); stable "
            + "and client-credential modes. Put it in a property placeholder, never literally in a URI.")
    private String secret;

    @UriParam(enums = "official,miniprogram", description = "The kind of the endpoint's appid, for an account the "
            + "component is not configured with (e.g. given to a wechat-kefu Kamelet): official or miniprogram. A "
            + "Mini Program takes text, image, link and miniprogrampage; default: the component's accountKinds, "
            + "else official.")
    private String kind;

    @UriParam(label = "producer", defaultValue = "exception", enums = "exception,outcome",
            description = "How a message that was not delivered is reported: exception (the exchange fails with a "
                    + "dev.kefurelay.wechat.SendFailedException carrying reason, errcode and errmsg, for the route's "
                    + "error handler) or outcome (the exchange goes on with the outcome JSON as body and the headers "
                    + "KefuOutcome, KefuReason, KefuErrcode, KefuErrmsg, KefuFailedAt).")
    private FailureMode failure = FailureMode.EXCEPTION;

    @UriParam(label = "producer,advanced", defaultValue = "true",
            description = "Make the call to WeChat on the caller's thread and go on there once the outcome is known: "
                    + "the cheapest for a caller that waits anyway (a JMS or file consumer, a ProducerTemplate), and "
                    + "what a route needs whose later steps use resources bound to the caller's thread, such as the "
                    + "session of a transacted JMS consumer. false: the call runs on the component's pool and the "
                    + "route goes on there once WeChat answered, freeing the caller's thread, for a consumer that "
                    + "does not wait for its exchange (seda with one consumer, for instance).")
    // true by default: most callers wait for the exchange anyway, and then each hand-off to the pool and back costs
    // two context switches and a quarter more CPU a message than making the call on their thread
    private boolean synchronous = true;

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

    public String getPath() {
        return path;
    }

    public void setPath(String path) {
        this.path = path;
    }

    public String getComponentPath() {
        return componentPath;
    }

    public void setComponentPath(String componentPath) {
        this.componentPath = componentPath;
    }

    public String getPushToken() {
        return pushToken;
    }

    public void setPushToken(String pushToken) {
        this.pushToken = pushToken;
    }

    public String getPushSecretKey() {
        return pushSecretKey;
    }

    public void setPushSecretKey(String pushSecretKey) {
        this.pushSecretKey = pushSecretKey;
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
