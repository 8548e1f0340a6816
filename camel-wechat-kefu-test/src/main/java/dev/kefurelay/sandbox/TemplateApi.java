package dev.kefurelay.sandbox;

import dev.kefurelay.wechat.Channel;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /cgi-bin/message/template/send}: a template message, outside any customer-service window. Checked in
 * this order: the token (as every API), {@code touser} (40003), the account's template (40037), {@code data} against
 * the template's keys (47003), {@code miniprogram} (47001 when not an object), the user still following (43004);
 * then the {@code client_msg_id}, and the answer {@code {"errcode":0,"errmsg":"ok","msgid":…}}.
 * <p>
 * {@code client_msg_id}: WeChat's documentation of template/send says only that for one openid and one
 * {@code client_msg_id} it sends one message, for 10 minutes, and that beyond 10 minutes this is not guaranteed
 * (developers.weixin.qq.com, doc/offiaccount/Message_Management/Template_Message_Interface.html, "防重入id";
 * quoted in silenceper/wechat pull request 651). It does not say what the second request is answered. The sandbox
 * answers it ok with the first message's {@code msgid} and delivers nothing, unless a test chooses an errcode
 * ({@link #duplicateAnswer}), e.g. 45065 {@code clientmsgid exist}, which is what WeChat's mass send answers for a
 * repeated {@code clientmsgid} (with the first {@code msg_id}): a sender should survive either. After 10 minutes the
 * same id sends again.
 * <p>
 * WeChat reports the final delivery later, in a {@code TEMPLATESENDJOBFINISH} push with the {@code MsgID}; the
 * sandbox pushes it when asked ({@link #finish}), or after every accepted message once the answer is written
 * ({@link #autoFinish}).
 */
final class TemplateApi {

    static final String SEND = "/cgi-bin/message/template/send";
    static final Duration CLIENT_MSG_ID_KEPT = Duration.ofMinutes(10);
    static final String SUCCESS = "success";

    private static final Logger LOG = LoggerFactory.getLogger(TemplateApi.class);

    /** Who a template message went to: what its job-finished push names. */
    record Recipient(String appid, String openid) {
    }

    private record ClientMsgId(String appid, String openid, String id) {
    }

    private record Remembered(long msgid, Instant at) {
    }

    private final TokenIssuer issuer;
    private final Templates templates;
    private final Windows windows;
    private final Traffic traffic;
    private final Clock clock;
    private final Supplier<Pushes> pushTarget;
    // WeChat's template msgids are large numbers; starting here makes one that looks like a small count stand out
    private final AtomicLong msgids = new AtomicLong(2_000_000_000L);
    private final Map<ClientMsgId, Remembered> clientMsgIds = new ConcurrentHashMap<>();
    private final Map<Long, Recipient> sent = new ConcurrentHashMap<>();
    private volatile boolean autoFinish;
    private volatile int duplicateErrcode;

    TemplateApi(TokenIssuer issuer, Templates templates, Windows windows, Traffic traffic, Clock clock,
            Supplier<Pushes> pushTarget) {
        this.issuer = issuer;
        this.templates = templates;
        this.windows = windows;
        this.traffic = traffic;
        this.clock = clock;
        this.pushTarget = pushTarget;
    }

    /** POST /cgi-bin/message/template/send?access_token=T */
    ApiReply send(ApiRequest request) {
        String appid = issuer.ownerOf(request.param("access_token"), TokenIssuer.ACCOUNT_TOKENS);
        ObjectNode body = Json.object(request.body());
        String touser = MessageValidator.requireTouser(body);
        String templateId = Json.text(body, "template_id");
        Templates.checkData(body.get("data"), templates.templateKeys(appid, templateId), false);
        Templates.checkMiniprogram(body);
        if (!windows.follows(appid, touser)) {
            throw new ApiException(ErrorCodes.REQUIRE_SUBSCRIBE);
        }
        long fresh = msgids.incrementAndGet();
        long msgid = remember(appid, touser, Json.text(body, "client_msg_id"), fresh);
        if (msgid != fresh) {
            return duplicate(msgid);
        }
        sent.put(msgid, new Recipient(appid, touser));
        Delivery delivery = new Delivery(appid, touser, Channel.TEMPLATE, null, templateId, msgid, body);
        traffic.reached(delivery);
        DeliveryLog.reached(delivery);
        ObjectNode reply = ApiReply.errorNode(0, null);
        reply.put("msgid", msgid);
        ApiReply answer = ApiReply.json(reply);
        return autoFinish ? answer.then(() -> finishQuietly(msgid)) : answer;
    }

    /**
     * The msgid of the message this client_msg_id already sent to this user within 10 minutes, else {@code fresh}
     * (remembered from now on). Atomic: two requests with one id at once make one message.
     */
    private long remember(String appid, String openid, String clientMsgId, long fresh) {
        if (clientMsgId == null || clientMsgId.isEmpty()) {
            return fresh;
        }
        Instant now = clock.instant();
        return clientMsgIds.compute(new ClientMsgId(appid, openid, clientMsgId),
                (key, earlier) -> earlier != null && now.isBefore(earlier.at().plus(CLIENT_MSG_ID_KEPT))
                        ? earlier : new Remembered(fresh, now)).msgid();
    }

    private ApiReply duplicate(long msgid) {
        ObjectNode reply = ApiReply.errorNode(duplicateErrcode, null);
        reply.put("msgid", msgid);
        return ApiReply.json(reply);
    }

    /** 0 (the default): a repeated client_msg_id is answered ok with the first msgid; else with this errcode. */
    void duplicateAnswer(int errcode) {
        duplicateErrcode = errcode;
    }

    void autoFinish(boolean on) {
        autoFinish = on;
    }

    /** Who a msgid this sandbox answered went to, or null. */
    Recipient recipient(long msgid) {
        return sent.get(msgid);
    }

    /** Pushes {@code TEMPLATESENDJOBFINISH} for this msgid to the push target. */
    Pushes.Result finish(long msgid, String status) {
        Recipient recipient = sent.get(msgid);
        if (recipient == null) {
            throw new IllegalArgumentException("no template message with msgid " + msgid + " was sent here");
        }
        Pushes pushes = pushTarget.get();
        if (pushes == null) {
            throw new IllegalStateException("this sandbox pushes nowhere: set a target with pushTo(...) first");
        }
        return pushes.templateJobFinished(recipient.appid(), recipient.openid(), msgid, status);
    }

    private void finishQuietly(long msgid) {
        if (pushTarget.get() == null) {
            return;
        }
        Pushes.Result result = finish(msgid, SUCCESS);
        if (!result.success()) {
            LOG.warn("sandbox: the push target answered HTTP {} to TEMPLATESENDJOBFINISH", result.status());
        }
    }

    void reset() {
        clientMsgIds.clear();
        sent.clear();
        duplicateErrcode = 0;
    }
}
