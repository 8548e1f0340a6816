package dev.kefurelay.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kefurelay.message.WeComFields;
import dev.kefurelay.message.WeComMessageCheck;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code kf/send_msg} and {@code kf/send_msg_on_event}. send_msg is checked in this order: injected faults, the
 * token (40014, 42001), the body (47001), open_kfid (95004 missing, 95000 not the corp's), the message against
 * {@link WeComFields} (40058 a msgid of more than 32 characters or outside {@code [0-9A-Za-z_-]}; 40008 type, 44004
 * empty text, 45002 text too long, 40058 any other field), a msgid this kf account already used (see
 * {@link #reusedMsgidAnswer}), the session state (95018 unless 0 or 1), the customer's window (95001); then it is
 * delivered and answered {@code {"errcode":0,"errmsg":"ok","msgid":…}}.
 * <p>
 * A reused msgid: WeCom's documentation (发送消息) says a msgid given must be unique within the kf account,
 * "否则接口返回错误", without naming the errcode, and no SDK or report found names it. The sandbox answers 40058
 * {@code msgid duplicated} unless a test chooses another answer, and delivers nothing.
 */
final class KfSendApi {

    static final String SEND = "/cgi-bin/kf/send_msg";
    static final String SEND_ON_EVENT = "/cgi-bin/kf/send_msg_on_event";
    static final Duration EVENT_CODE_LIFE = Duration.ofSeconds(20);
    static final int REUSED_ERRCODE = WeComErrors.INVALID_PARAMETER;
    static final String REUSED_TEXT = "msgid duplicated";

    private static final Logger LOG = LoggerFactory.getLogger(WeChatSandbox.class);

    private record EventCode(String corpid, String openKfid, String externalUserid, Instant expiresAt) {
    }

    private final TokenIssuer issuer;
    private final WeComCorps corps;
    private final KfSessions sessions;
    private final KfTraffic traffic;
    private final WeComMediaApi media;
    private final Clock clock;
    private final Faults faults = new Faults();
    private final Set<String> usedMsgids = ConcurrentHashMap.newKeySet();
    private final Map<String, EventCode> eventCodes = new ConcurrentHashMap<>();
    private final AtomicInteger slowAnswers = new AtomicInteger();
    private volatile Duration slowBy = Duration.ZERO;
    private volatile int reusedErrcode = REUSED_ERRCODE;
    private volatile String reusedText = REUSED_TEXT;

    KfSendApi(TokenIssuer issuer, WeComCorps corps, KfSessions sessions, KfTraffic traffic, WeComMediaApi media,
            Clock clock) {
        this.issuer = issuer;
        this.corps = corps;
        this.sessions = sessions;
        this.traffic = traffic;
        this.media = media;
        this.clock = clock;
    }

    /** POST /cgi-bin/kf/send_msg?access_token=T */
    ApiReply send(ApiRequest request) {
        traffic.sendCall();
        ApiReply fault = faults.nextSendFault();
        if (fault != null) {
            return fault;
        }
        String corpid = issuer.ownerOf(request.param("access_token"), TokenIssuer.WECOM_TOKENS);
        ObjectNode body = Json.object(request.body());
        String openKfid = corps.kfAccountOf(corpid, Json.text(body, "open_kfid"));
        String msgid = msgid(body);
        WeComMessageCheck.check(body, false).ifPresent(KfSendApi::refuse);
        String msgtype = Json.text(body, "msgtype");
        media.checkIds(corpid, msgtype, body.get(msgtype));
        String touser = Json.text(body, "touser");
        synchronized (this) {
            // one step: two sends with one msgid at once make one message
            if (usedMsgids.contains(openKfid + "\u0000" + msgid)) {
                throw new ApiException(reusedErrcode, reusedText);
            }
            sessions.take(new KfSessions.Key(openKfid, touser));
            usedMsgids.add(openKfid + "\u0000" + msgid);
        }
        traffic.delivered(new KfDelivery(corpid, openKfid, touser, msgtype, msgid, body, false));
        LOG.info("sandbox delivered WeCom {} to {} from {}", msgtype, DeliveryLog.maskOpenid(touser), openKfid);
        ApiReply answer = answer(msgid);
        slowDown();
        return answer;
    }

    /** POST /cgi-bin/kf/send_msg_on_event?access_token=T: text or a menu, with an event's one-time code. */
    ApiReply sendOnEvent(ApiRequest request) {
        String corpid = issuer.ownerOf(request.param("access_token"), TokenIssuer.WECOM_TOKENS);
        ObjectNode body = Json.object(request.body());
        String code = Json.text(body, "code");
        EventCode known = code == null ? null : eventCodes.get(code);
        if (known == null || !known.corpid().equals(corpid) || !clock.instant().isBefore(known.expiresAt())) {
            throw new ApiException(WeComErrors.INVALID_PARAMETER, "invalid code");
        }
        String msgtype = Json.text(body, "msgtype");
        if (msgtype == null || !WeComFields.EVENT_TYPES.contains(msgtype)) {
            throw new ApiException(WeComErrors.INVALID_MESSAGE_TYPE);
        }
        WeComMessageCheck.content(body.get(msgtype), msgtype, false).ifPresent(KfSendApi::refuse);
        String msgid = msgid(body);
        synchronized (this) {
            if (usedMsgids.contains(known.openKfid() + "\u0000" + msgid)) {
                throw new ApiException(reusedErrcode, reusedText);
            }
            // a code answers once
            if (!eventCodes.remove(code, known)) {
                throw new ApiException(WeComErrors.INVALID_PARAMETER, "invalid code");
            }
            usedMsgids.add(known.openKfid() + "\u0000" + msgid);
        }
        traffic.delivered(new KfDelivery(corpid, known.openKfid(), known.externalUserid(), msgtype, msgid, body,
                true));
        return answer(msgid);
    }

    /** A one-time code for answering an event (a welcome on enter_session): valid 20 seconds. */
    String eventCode(String corpid, String openKfid, String externalUserid) {
        String code = RandomTokens.next();
        eventCodes.put(code, new EventCode(corpid, openKfid, externalUserid, clock.instant().plus(EVENT_CODE_LIFE)));
        return code;
    }

    void failNext(int errcode, int times) {
        if (errcode == 0) {
            throw new IllegalArgumentException("errcode 0 is success, not a failure");
        }
        faults.failNext(WeComErrors.reply(errcode, null), times);
    }

    void failNextHttp(int status, int times) {
        faults.failNextHttp(status, times);
    }

    /** The next {@code times} send_msg calls take effect, then answer only after {@code by}: a lost answer. */
    void slowNext(Duration by, int times) {
        if (by == null || by.isNegative() || times < 0) {
            throw new IllegalArgumentException("a delay >= 0 and times >= 0, not " + by + " and " + times);
        }
        slowBy = by;
        slowAnswers.set(times);
    }

    void reusedMsgidAnswer(int errcode, String text) {
        if (errcode == 0) {
            throw new IllegalArgumentException("a reused msgid is refused: errcode 0 would say it was sent");
        }
        reusedErrcode = errcode;
        reusedText = text;
    }

    void reset() {
        faults.reset();
        usedMsgids.clear();
        eventCodes.clear();
        slowAnswers.set(0);
        reusedErrcode = REUSED_ERRCODE;
        reusedText = REUSED_TEXT;
    }

    /** The sender's msgid once it is one WeCom takes (40058 otherwise), or one made up as WeCom does. */
    private static String msgid(JsonNode body) {
        String msgid = Json.text(body, "msgid");
        if (msgid == null || msgid.isEmpty()) {
            return RandomTokens.next().substring(0, 32);
        }
        if (msgid.length() > 32) {
            throw new ApiException(WeComErrors.INVALID_PARAMETER, "msgid exceed max length");
        }
        if (!msgid.matches(WeComFields.MSGID_PATTERN)) {
            throw new ApiException(WeComErrors.INVALID_PARAMETER, "invalid msgid");
        }
        return msgid;
    }

    /** The first problem of a message, in WeCom's code for it. */
    private static void refuse(WeComMessageCheck.Problem problem) {
        String path = problem.path();
        int errcode = switch (problem.what()) {
            case UNKNOWN_TYPE -> path.equals("msgtype") ? WeComErrors.INVALID_MESSAGE_TYPE
                    : WeComErrors.INVALID_PARAMETER;
            case NOT_OBJECT, NOT_TEXT, NOT_NUMBER -> WeComErrors.DATA_FORMAT_ERROR;
            case MISSING -> path.equals("msgtype") ? WeComErrors.INVALID_MESSAGE_TYPE
                    : path.equals("text.content") ? WeComErrors.EMPTY_CONTENT : WeComErrors.INVALID_PARAMETER;
            case TOO_LONG -> path.equals("text.content") ? WeComErrors.CONTENT_TOO_LONG
                    : WeComErrors.INVALID_PARAMETER;
            default -> WeComErrors.INVALID_PARAMETER;
        };
        throw new ApiException(errcode, errcode == WeComErrors.INVALID_PARAMETER ? "invalid " + path : null);
    }

    private static ApiReply answer(String msgid) {
        ObjectNode reply = WeComErrors.node(0, null);
        reply.put("msgid", msgid);
        return ApiReply.json(reply);
    }

    /** After the message took effect: the client may time out meanwhile, exactly as with a slow WeCom. */
    private void slowDown() {
        if (slowAnswers.getAndUpdate(n -> Math.max(0, n - 1)) <= 0 || slowBy.isZero()) {
            return;
        }
        try {
            Thread.sleep(slowBy.toMillis());
        } catch (InterruptedException e) {
            // the sandbox is closing: the answer goes nowhere anyway
            Thread.currentThread().interrupt();
        }
    }
}
