package dev.kefurelay.sandbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The sandbox's WeCom 微信客服 side ({@link WeChatSandbox#wecom()}): corps and their kf accounts, what customers do
 * (write, enter a session), the sessions' states as agents change them, what reached customers, faults, and the
 * callbacks it pushes to a relay. Customers' messages and events wait in each kf account's list for
 * {@code kf/sync_msg}; once the corp's push target is set ({@link #pushTo}), each of them is followed by a callback,
 * as WeCom does. The API itself is {@link WeComApi}'s.
 */
public final class SandboxWeCom {

    /**
     * The demo corp, the secret of its 微信客服 app and one of its kf accounts: what the test kit's extension and a
     * relay run with {@code kefu.sandbox=true} register.
     */
    public static final String DEMO_CORPID = "wwkefusandbox00001";
    public static final String DEMO_CORP_SECRET = "sandbox-corp-secret-for-tests-only";
    public static final String DEMO_OPEN_KFID = "wkkefusandbox0000000000000000001";

    /** A session as {@code kf/service_state/get} would answer it, with the customer's window. */
    public record Session(int state, String servicer, Instant windowClosesAt, int placesLeft) {
    }

    private final Clock clock;
    private final WeComCorps corps = new WeComCorps();
    private final KfSessions sessions;
    private final KfMessageLog log;
    private final KfTraffic traffic = new KfTraffic();
    private final WeComMediaApi mediaApi;
    private final KfSendApi sendApi;
    private final KfSyncApi syncApi;
    private final KfInbound inbound;

    SandboxWeCom(TokenIssuer issuer, Clock clock) {
        this.clock = clock;
        this.sessions = new KfSessions(clock);
        this.log = new KfMessageLog(clock);
        this.mediaApi = new WeComMediaApi(issuer, clock);
        this.sendApi = new KfSendApi(issuer, corps, sessions, traffic, mediaApi, clock);
        this.syncApi = new KfSyncApi(issuer, corps, log, traffic);
        this.inbound = new KfInbound(corps, log);
    }

    /** A corp and the secret of its app that may call 微信客服 (gettoken's corpid and corpsecret). */
    public SandboxWeCom corp(String corpid, String secret) {
        corps.corp(corpid, secret);
        return this;
    }

    /** A kf account (客服账号) of the corp, managed through the API. */
    public SandboxWeCom kfAccount(String corpid, String openKfid) {
        corps.kfAccount(corpid, openKfid);
        return this;
    }

    /**
     * The kf account's messages go on from a sync_msg cursor this sandbox handed out in an earlier run, as if those
     * before it had been read: for a relay whose store keeps its cursor while the sandbox starts empty every run.
     *
     * @throws IllegalArgumentException the cursor is not one of this kf account's
     */
    public SandboxWeCom goOnFrom(String openKfid, String cursor) {
        corps.corpOf(openKfid);
        log.goOnFrom(openKfid, cursor);
        return this;
    }

    // ---- what customers do -----------------------------------------------------------------------------------

    /**
     * A customer writes to a kf account: a new session (state 0) unless one is going, 5 messages within 48 hours for
     * send_msg, the message in the account's list for sync_msg, and a callback when a push target is set.
     *
     * @return the message's msgid, as sync_msg gives it
     */
    public String customerWrites(String openKfid, String externalUserid, String text) {
        corps.corpOf(openKfid);
        sessions.customerWrote(new KfSessions.Key(openKfid, externalUserid));
        return inbound.text(openKfid, externalUserid, text);
    }

    /**
     * A customer enters the session (from a link, a QR code, a mini program): an {@code enter_session} event with a
     * {@code welcome_code} that send_msg_on_event takes within 20 seconds.
     *
     * @return the welcome code
     */
    public String customerEnters(String openKfid, String externalUserid, String sceneParam) {
        String corpid = corps.corpOf(openKfid);
        sessions.customerEntered(new KfSessions.Key(openKfid, externalUserid));
        String code = sendApi.eventCode(corpid, openKfid, externalUserid);
        inbound.enteredSession(openKfid, externalUserid, sceneParam, code);
        return code;
    }

    /**
     * WeCom reports that a message it accepted did not reach the customer: {@code msg_send_fail} with its msgid and
     * {@code fail_type} (e.g. 4 the 48 hours were over, 6 the 5 messages used up, 10 the customer refused it).
     */
    public void sendFailed(String openKfid, String externalUserid, String msgid, int failType) {
        corps.corpOf(openKfid);
        inbound.sendFailed(openKfid, externalUserid, msgid, failType);
    }

    // ---- sessions ---------------------------------------------------------------------------------------------

    /** The customer's session with the kf account, if any. */
    public Optional<Session> session(String openKfid, String externalUserid) {
        Instant now = clock.instant();
        return sessions.session(new KfSessions.Key(openKfid, externalUserid)).map(s -> new Session(s.state(),
                s.servicer(), s.windowClosesAt(), s.placesLeft(now)));
    }

    /**
     * Sets the session's state as an admin or agent would (0 unhandled, 1 bot, 2 queued, 3 an agent, 4 ended):
     * send_msg answers 95018 in 2, 3 and 4.
     */
    public void sessionState(String openKfid, String externalUserid, int state) {
        corps.corpOf(openKfid);
        sessions.set(new KfSessions.Key(openKfid, externalUserid), state, state == KfSessions.AGENT ? "agent" : null);
    }

    /** send_msg keeps to the customer's window (on, as at WeCom); off lets a test send to anyone in state 0 or 1. */
    public SandboxWeCom enforceWindow(boolean on) {
        sessions.enforceWindow(on);
        return this;
    }

    // ---- what reached customers, and faults -----------------------------------------------------------------

    /** What send_msg and send_msg_on_event accepted, in arrival order. */
    public List<KfDelivery> sent() {
        return traffic.delivered();
    }

    public List<KfDelivery> sentTo(String openKfid, String externalUserid) {
        return traffic.delivered().stream().filter(d -> d.openKfid().equals(openKfid)
                && d.externalUserid().equals(externalUserid)).toList();
    }

    public int tokenFetches(String corpid) {
        return traffic.tokenFetches(corpid);
    }

    public int sendCalls() {
        return traffic.sendCalls();
    }

    public int syncCalls() {
        return traffic.syncCalls();
    }

    public int stateCalls() {
        return traffic.stateCalls();
    }

    /** The next {@code times} send_msg calls answer this errcode (before any check). */
    public void failNextSend(int errcode, int times) {
        sendApi.failNext(errcode, times);
    }

    public void failNextSendHttp(int status, int times) {
        sendApi.failNextHttp(status, times);
    }

    /** The next {@code times} send_msg calls take effect, then answer only after {@code by}: lost answers. */
    public void slowNextSends(Duration by, int times) {
        sendApi.slowNext(by, times);
    }

    /**
     * What a msgid the kf account already used is answered; 40058 {@code msgid duplicated} by default. WeCom
     * documents that it refuses one without naming the errcode: a test can try the answers a sender must survive.
     */
    public void reusedMsgidAnswer(int errcode, String errmsg) {
        sendApi.reusedMsgidAnswer(errcode, errmsg);
    }

    /** send_msg refuses (40007) media ids this corp did not upload here, or older than 3 days. Off by default. */
    public SandboxWeCom requireUploadedMedia(boolean on) {
        mediaApi.requireUploaded(on);
        return this;
    }

    /** How many media/upload calls WeCom accepted. */
    public int uploads() {
        return mediaApi.uploaded().size();
    }

    /** The media/upload calls WeCom accepted, in order: corp, type, id, size and the file name it got. */
    public List<KfUpload> uploaded() {
        return mediaApi.uploaded();
    }

    /** The next {@code times} media/upload calls answer this errcode (after the token check). */
    public void failNextUpload(int errcode, int times) {
        mediaApi.failNext(errcode, times);
    }

    /** Forgets every upload, as WeCom does after 3 days: send_msg answers their ids 40007 (when checking ids). */
    public void forgetMedia() {
        mediaApi.forgetAll();
    }

    // ---- callbacks --------------------------------------------------------------------------------------------

    /**
     * The corp's callbacks to a relay, encrypted with its callback token and EncodingAESKey; the corp id is the
     * receive id. {@code pushUrl}: the relay's push root (callbacks go to its {@code /wecom/kf}), or the whole
     * callback URL as WeCom's admin would enter it (e.g. {@code http://127.0.0.1:8081/wecom/kf/ww…}).
     */
    public WeComPushes pushes(String pushUrl, String corpid, String token, String aesKey) {
        return new WeComPushes(this, pushUrl, corpid, token, aesKey);
    }

    /**
     * As {@link #pushes}, and from now on every message or event of a customer of this corp's kf accounts is followed
     * by a callback there. Each corp has its own target, as each corp sets its own callback at WeCom.
     */
    public WeComPushes pushTo(String pushUrl, String corpid, String token, String aesKey) {
        WeComPushes target = pushes(pushUrl, corpid, token, aesKey);
        inbound.pushTo(corpid, target);
        return target;
    }

    /** Clears customers, sessions, what was sent and the faults; keeps corps, kf accounts and the push targets. */
    public void reset() {
        sessions.reset();
        log.reset();
        traffic.reset();
        sendApi.reset();
        mediaApi.reset();
        mediaApi.requireUploaded(false);
    }

    String callbackToken(String openKfid) {
        return log.callbackToken(openKfid);
    }

    WeComCorps corps() {
        return corps;
    }

    KfSessions sessions() {
        return sessions;
    }

    KfTraffic traffic() {
        return traffic;
    }

    KfSendApi sendApi() {
        return sendApi;
    }

    KfSyncApi syncApi() {
        return syncApi;
    }

    WeComMediaApi mediaApi() {
        return mediaApi;
    }
}
