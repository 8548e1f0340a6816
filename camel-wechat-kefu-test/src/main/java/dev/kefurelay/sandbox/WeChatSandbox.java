package dev.kefurelay.sandbox;

import dev.kefurelay.message.AccountKind;
import dev.kefurelay.window.Interaction;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * An in-process fake of the WeChat API over real HTTP on 127.0.0.1, with fault injection for tests: the test kit's
 * face of it. What it answers, and by which of WeChat's rules, is {@link WeChatApi}'s. It keeps each user's
 * customer-service window as WeChat does ({@link Interaction}), and refuses custom/send outside it once asked to
 * ({@link #enforceWindow}). Time is one clock that tests can move ({@link #advance}). It also pushes as WeChat does
 * ({@link Pushes}). WeCom 微信客服 shares its port and clock ({@link #wecom()}).
 */
public final class WeChatSandbox implements AutoCloseable {

    public record Delivered(String appid, String touser, String msgtype, JsonNode body) {
    }

    /** One accepted media/upload. */
    public record Upload(String appid, String type, String mediaId, int bytes) {
    }

    private final SandboxServer server;
    private final SandboxClock clock;
    private final WeChatApi api;
    private final SandboxUsers users;
    private final SandboxTemplates templates;
    private final SandboxWeCom wecom;
    private volatile Pushes pushTarget;

    private WeChatSandbox(SandboxServer server, SandboxClock clock) {
        this.server = server;
        this.clock = clock;
        this.api = WeChatApi.on(clock, () -> pushTarget);
        this.users = new SandboxUsers(api.windows(), api.templates());
        this.templates = new SandboxTemplates(api.templates(), api.templateApi());
        this.wecom = new SandboxWeCom(api.issuer(), clock);
    }

    /** Starts on 127.0.0.1 only; port 0 picks a free port. */
    public static WeChatSandbox start(int port) {
        return start(port, Clock.systemUTC());
    }

    /** On a clock of the test's (token expiry, overlap windows), which {@link #advance} moves further. */
    static WeChatSandbox start(int port, Clock clock) {
        WeChatSandbox sandbox = new WeChatSandbox(SandboxServer.listen(port), new SandboxClock(clock));
        sandbox.server.start(new SandboxHttpHandler(SandboxRoutes.of(sandbox, sandbox.api, sandbox.wecom,
                sandbox.templates, () -> sandbox.pushTarget), sandbox.api.faults(), sandbox.api.traffic()));
        return sandbox;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    public int port() {
        return server.port();
    }

    public WeChatSandbox account(String appid, String secret) {
        api.accounts().account(appid, secret);
        return this;
    }

    /**
     * The account's kind (an account's or an authorizer's; an appid never named is an Official Account). A Mini
     * Program's custom/send takes text, image, link and miniprogrampage only (40008 for another type), and it types
     * on custom/business/typing (45072 bad command, 45081 already typing, 45080 no interaction in the last 30
     * seconds when {@link #enforceWindow} is on); the other kind's typing path answers 48001.
     */
    public WeChatSandbox kind(String appid, AccountKind kind) {
        api.accounts().kind(appid, kind);
        return this;
    }

    /** Whether this appid is a third-party platform's (whose pushes carry the platform's appid for all). */
    boolean isPlatform(String appid) {
        return api.accounts().isPlatform(appid);
    }

    public WeChatSandbox component(String componentAppid, String componentSecret) {
        api.accounts().component(componentAppid, componentSecret);
        return this;
    }

    public WeChatSandbox authorizer(String authorizerAppid, String refreshToken) {
        api.authorizers().register(authorizerAppid, refreshToken);
        return this;
    }

    /** The authorizer's refresh token as it stands after the rotations so far, or null if unknown. */
    public String currentRefreshToken(String authorizerAppid) {
        return api.authorizers().current(authorizerAppid);
    }

    public void verifyTicket(String ticket) {
        api.accounts().verifyTicket(ticket);
    }

    /**
     * An account authorizes the platform, as its admin would by scanning the platform's QR code: returns the
     * one-time authorization code that WeChat pushes in the {@code authorized} event, which
     * {@code api_query_auth} exchanges for the first refresh token.
     */
    public String authorizationCode(String authorizerAppid) {
        return api.authorizers().authorizationCode(authorizerAppid);
    }

    /** The account withdraws its authorization: its refresh token stops working, as at WeChat. */
    public void withdrawAuthorization(String authorizerAppid) {
        api.authorizers().withdraw(authorizerAppid);
    }

    /**
     * Pushes to a relay as WeChat does, encrypted with the platform's (or an account's) push token and
     * EncodingAESKey: verify tickets, authorization events and users' messages.
     *
     * @param pushUrl  the relay's push server, e.g. {@code http://127.0.0.1:8081}
     * @param appid    the receive id inside each plaintext: the platform's appid, or the official account's
     */
    public Pushes pushes(String pushUrl, String token, String aesKey, String appid) {
        return new Pushes(this, pushUrl, token, aesKey, appid);
    }

    /** As {@link #pushes}, and the target of the sandbox's own {@code /sandbox/push/*} URLs (see {@link PushControl}). */
    public Pushes pushTo(String pushUrl, String token, String aesKey, String appid) {
        pushTarget = pushes(pushUrl, token, aesKey, appid);
        return pushTarget;
    }

    public void tokenLifetime(Duration d) {
        api.issuer().lifetime(d);
    }

    public void revokeTokens() {
        api.issuer().revokeAll();
    }

    public void expireTokens() {
        api.issuer().expireAll();
    }

    public void failNext(int errcode, int times) {
        api.faults().failNext(errcode, times);
    }

    public void failNextHttp(int status, int times) {
        api.faults().failNextHttp(status, times);
    }

    public void latency(Duration d) {
        api.faults().latency(d);
    }

    /** errcode 0 lifts the failure again. */
    public void failAuthorizer(String authorizerAppid, int errcode) {
        api.authorizers().fail(authorizerAppid, errcode);
    }

    /** The next {@code times} media/upload calls answer this errcode (after the token check). */
    public void failNextUpload(int errcode, int times) {
        api.uploadFaults().failNext(errcode, times);
    }

    /**
     * custom/send refuses (40007) a media_id or thumb_media_id that was not uploaded here by the sending account, or
     * whose 3 days are over. Off by default: tests and demos send ids they made up.
     */
    public WeChatSandbox requireUploadedMedia(boolean on) {
        api.media().requireUploaded(on);
        return this;
    }

    /** Forgets every upload, as WeChat does after 3 days: sending one of their ids answers 40007. */
    public void forgetMedia() {
        api.media().forgetAll();
    }

    // ---- time, users' windows, templates ----------------------------------------------------------------------

    /** The sandbox's one clock (tokens, media, windows, client_msg_ids); {@link #advance} moves it. */
    public SandboxClock clock() {
        return clock;
    }

    /** Moves the sandbox's time forward: windows close and tokens expire as if that much time had passed. */
    public void advance(Duration duration) {
        clock.advance(duration);
    }

    /**
     * custom/send refuses a user whose window is closed (45015) or used up (45047), as WeChat does. Off by default:
     * tests and demos send to users who never wrote, which WeChat would refuse. Windows are kept either way.
     */
    public WeChatSandbox enforceWindow(boolean on) {
        api.windows().enforce(on);
        return this;
    }

    /** What users do without a push (write, click, follow, unfollow, consent) and their windows. */
    public SandboxUsers users() {
        return users;
    }

    /** The accounts' templates for template/send and subscribe/bizsend, and template messages' job reports. */
    public SandboxTemplates templates() {
        return templates;
    }

    /** WeCom 微信客服 on the same port: corps, kf accounts, customers, sessions, callbacks ({@link SandboxWeCom}). */
    public SandboxWeCom wecom() {
        return wecom;
    }

    /** What reached users by every channel (custom, template, subscribe), in arrival order. */
    public List<Delivery> deliveries() {
        return api.traffic().deliveries();
    }

    /** What reached this user of this account, by every channel, in arrival order. */
    public List<Delivery> deliveriesTo(String appid, String openid) {
        return api.traffic().deliveries().stream().filter(d -> d.appid().equals(appid) && d.touser().equals(openid))
                .toList();
    }

    /** Accepted media/upload calls in arrival order. */
    public List<Upload> uploads() {
        return api.traffic().uploads();
    }

    /** media/upload calls answered with an injected failure. */
    public int uploadFailures() {
        return api.traffic().uploadFailures();
    }

    /** The customer-service messages (custom/send) accepted, in arrival order; all channels: {@link #deliveries()}. */
    public List<Delivered> delivered() {
        return api.traffic().delivered();
    }

    public int deliveredCount() {
        return api.traffic().deliveredCount();
    }

    /** Typing commands in arrival order, each as "touser:command". */
    public List<String> typing() {
        return api.traffic().typing();
    }

    /**
     * Every token value issued so far (access, stable, component and authorizer tokens; not refresh tokens), so a
     * test can prove none of them reached a log.
     */
    public List<String> issuedTokens() {
        return api.issuer().issued();
    }

    public int tokenFetches(String appid) {
        return api.traffic().tokenFetches(appid);
    }

    public int sendCalls() {
        return api.traffic().sendCalls();
    }

    /**
     * The most custom/send calls held at once since the start or the last {@link #reset()}, from each request's
     * arrival to its reply (the {@link #latency} included): how many calls a client had in flight together.
     */
    public int maxConcurrentSends() {
        return api.traffic().maxSendsInFlight();
    }

    /**
     * Back to a clean slate for the next test: clears what was recorded, the injected faults and latency, users'
     * windows, follows and consents, the remembered client_msg_ids, and restores the default token lifetime. Keeps
     * accounts, authorizers (with their current refresh tokens), the verify ticket, the tokens already issued (so a
     * client's cached token stays usable), the templates, the settings ({@link #enforceWindow},
     * {@link #requireUploadedMedia}, {@link SandboxTemplates#autoFinishJobs}) and the clock, which never goes back.
     */
    public void reset() {
        api.reset();
        wecom.reset();
    }

    @Override
    public void close() {
        server.stop();
    }
}
