package dev.kefurelay.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-process fake of the WeChat API over real HTTP on 127.0.0.1, with fault injection for tests. What it imitates
 * of WeChat: {@code GET /cgi-bin/token} (a new token per fetch; the one before keeps working for 5 minutes) and
 * {@code POST /cgi-bin/stable_token} (the same token while it is valid; {@code force_refresh} replaces it) with
 * {@code expires_in} 7200 s unless shortened; the third-party platform's {@code api_component_token} (needs the
 * latest {@code component_verify_ticket}), {@code api_query_auth} (a one-time authorization code for the first refresh
 * token) and {@code api_authorizer_token} (rotates the
 * {@code authorizer_refresh_token}; an old one answers 61023); {@code /cgi-bin/message/custom/send} and
 * {@code custom/typing}, which check the token (40001 once revoked, 42001 once expired), the body's JSON and each
 * type's required fields (47001, as WeChat answers a missing one) and answer WeChat's errmsg for every errcode
 * ({@link ErrorCodes}); {@code /cgi-bin/media/upload} for temporary media, whose ids custom/send can be made to
 * check ({@link #requireUploadedMedia}; see {@link MediaApi}). It also pushes as WeChat does ({@link Pushes}).
 */
public final class WeChatSandbox implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WeChatSandbox.class);

    /** Enough for 200+ concurrent callers each holding a request open (e.g. under injected latency). */
    private static final int THREADS = 256;

    /**
     * The JDK server closes every idle keep-alive connection beyond 200 by default, which would make a relay with
     * more connections reconnect on every call. The setting is read once per JVM, when the first HttpServer
     * starts, so it is raised here, before that, unless someone chose a value already.
     */
    private static final String MAX_IDLE_CONNECTIONS = "sun.net.httpserver.maxIdleConnections";

    /**
     * The JDK server leaves Nagle's algorithm on and writes a reply's headers and body apart, so each reply waited
     * for the client's delayed ACK: about 40 ms added to every call on Linux, more than a real WeChat round trip
     * from nearby. Read once per JVM like the one above.
     */
    private static final String NO_DELAY = "sun.net.httpserver.nodelay";

    static {
        if (System.getProperty(MAX_IDLE_CONNECTIONS) == null) {
            System.setProperty(MAX_IDLE_CONNECTIONS, "1024");
        }
        if (System.getProperty(NO_DELAY) == null) {
            System.setProperty(NO_DELAY, "true");
        }
    }

    public record Delivered(String appid, String touser, String msgtype, JsonNode body) {
    }

    /** One accepted media/upload. */
    public record Upload(String appid, String type, String mediaId, int bytes) {
    }

    private final HttpServer server;
    private final ThreadPoolExecutor executor;
    private final Accounts accounts = new Accounts();
    private final Authorizers authorizers = new Authorizers();
    private final TokenIssuer issuer;
    private final Faults faults = new Faults();
    private final Faults uploadFaults = new Faults();
    private final MediaApi media;
    private final Traffic traffic = new Traffic();
    private volatile boolean closed;
    private volatile Pushes pushTarget;

    private WeChatSandbox(HttpServer server, ThreadPoolExecutor executor, TokenIssuer issuer, Clock clock) {
        this.server = server;
        this.executor = executor;
        this.issuer = issuer;
        this.media = new MediaApi(issuer, clock, uploadFaults, traffic);
    }

    /** Starts on 127.0.0.1 only; port 0 picks a free port. */
    public static WeChatSandbox start(int port) {
        return start(port, Clock.systemUTC());
    }

    /** For tests that need to move time forward (token expiry, overlap windows) without sleeping. */
    static WeChatSandbox start(int port, Clock clock) {
        InetSocketAddress address = new InetSocketAddress(loopback(), port);
        HttpServer server;
        try {
            server = HttpServer.create(address, 1024);
        } catch (IOException e) {
            throw new UncheckedIOException("WeChat sandbox cannot listen on 127.0.0.1:" + port, e);
        }
        ThreadPoolExecutor executor = newExecutor();
        WeChatSandbox sandbox = new WeChatSandbox(server, executor, new TokenIssuer(clock), clock);
        server.createContext("/", new SandboxHttpHandler(sandbox.routes(), sandbox.faults, sandbox.traffic));
        server.setExecutor(executor);
        server.start();
        LOG.info("WeChat sandbox listening on {}", sandbox.baseUrl());
        return sandbox;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public WeChatSandbox account(String appid, String secret) {
        accounts.account(appid, secret);
        return this;
    }

    public WeChatSandbox component(String componentAppid, String componentSecret) {
        accounts.component(componentAppid, componentSecret);
        return this;
    }

    public WeChatSandbox authorizer(String authorizerAppid, String refreshToken) {
        authorizers.register(authorizerAppid, refreshToken);
        return this;
    }

    /** The authorizer's refresh token as it stands after the rotations so far, or null if unknown. */
    public String currentRefreshToken(String authorizerAppid) {
        return authorizers.current(authorizerAppid);
    }

    public void verifyTicket(String ticket) {
        accounts.verifyTicket(ticket);
    }

    /**
     * An account authorizes the platform, as its admin would by scanning the platform's QR code: returns the
     * one-time authorization code that WeChat pushes in the {@code authorized} event, which
     * {@code api_query_auth} exchanges for the first refresh token.
     */
    public String authorizationCode(String authorizerAppid) {
        return authorizers.authorizationCode(authorizerAppid);
    }

    /** The account withdraws its authorization: its refresh token stops working, as at WeChat. */
    public void withdrawAuthorization(String authorizerAppid) {
        authorizers.withdraw(authorizerAppid);
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
        issuer.lifetime(d);
    }

    public void revokeTokens() {
        issuer.revokeAll();
    }

    public void expireTokens() {
        issuer.expireAll();
    }

    public void failNext(int errcode, int times) {
        faults.failNext(errcode, times);
    }

    public void failNextHttp(int status, int times) {
        faults.failNextHttp(status, times);
    }

    public void latency(Duration d) {
        faults.latency(d);
    }

    /** errcode 0 lifts the failure again. */
    public void failAuthorizer(String authorizerAppid, int errcode) {
        authorizers.fail(authorizerAppid, errcode);
    }

    /** The next {@code times} media/upload calls answer this errcode (after the token check). */
    public void failNextUpload(int errcode, int times) {
        uploadFaults.failNext(errcode, times);
    }

    /**
     * custom/send refuses (40007) a media_id or thumb_media_id that was not uploaded here by the sending account, or
     * whose 3 days are over. Off by default: tests and demos send ids they made up.
     */
    public WeChatSandbox requireUploadedMedia(boolean on) {
        media.requireUploaded(on);
        return this;
    }

    /** Forgets every upload, as WeChat does after 3 days: sending one of their ids answers 40007. */
    public void forgetMedia() {
        media.forgetAll();
    }

    /** Accepted media/upload calls in arrival order. */
    public List<Upload> uploads() {
        return traffic.uploads();
    }

    /** media/upload calls answered with an injected failure. */
    public int uploadFailures() {
        return traffic.uploadFailures();
    }

    public List<Delivered> delivered() {
        return traffic.delivered();
    }

    public int deliveredCount() {
        return traffic.deliveredCount();
    }

    /** Typing commands in arrival order, each as "touser:command". */
    public List<String> typing() {
        return traffic.typing();
    }

    /**
     * Every token value issued so far (access, stable, component and authorizer tokens; not refresh tokens), so a
     * test can prove none of them reached a log.
     */
    public List<String> issuedTokens() {
        return issuer.issued();
    }

    public int tokenFetches(String appid) {
        return traffic.tokenFetches(appid);
    }

    public int sendCalls() {
        return traffic.sendCalls();
    }

    /**
     * The most custom/send calls held at once since the start or the last {@link #reset()}, from each request's
     * arrival to its reply (the {@link #latency} included): how many calls a client had in flight together.
     */
    public int maxConcurrentSends() {
        return traffic.maxSendsInFlight();
    }

    /**
     * Back to a clean slate for the next test: clears what was recorded, the injected faults and latency, and
     * restores the default token lifetime. Keeps accounts, authorizers (with their current refresh tokens), the
     * verify ticket and the tokens already issued, so a client's cached token stays usable.
     */
    public void reset() {
        traffic.reset();
        faults.reset();
        uploadFaults.reset();
        authorizers.clearFailures();
        issuer.lifetime(TokenIssuer.DEFAULT_LIFETIME);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        server.stop(0);
        // Interrupts handlers waiting out an injected latency.
        executor.shutdownNow();
        LOG.info("WeChat sandbox on port {} stopped", server.getAddress().getPort());
    }

    private Map<String, Function<ApiRequest, ApiReply>> routes() {
        TokenApi tokens = new TokenApi(accounts, authorizers, issuer, traffic);
        MessageApi messages = new MessageApi(issuer, faults, traffic, media);
        Map<String, Function<ApiRequest, ApiReply>> routes = new LinkedHashMap<>();
        routes.put("/cgi-bin/token", tokens::clientCredential);
        routes.put("/cgi-bin/stable_token", tokens::stable);
        routes.put("/cgi-bin/component/api_component_token", tokens::componentToken);
        routes.put("/cgi-bin/component/api_authorizer_token", tokens::authorizerToken);
        routes.put("/cgi-bin/component/api_query_auth", tokens::queryAuth);
        routes.put(MessageApi.SEND, messages::send);
        routes.put("/cgi-bin/message/custom/typing", messages::typing);
        routes.put("/cgi-bin/media/upload", media::upload);
        PushControl control = new PushControl(() -> pushTarget);
        routes.put("/sandbox/push/ticket", control::ticket);
        routes.put("/sandbox/push/authorized", control::authorized);
        routes.put("/sandbox/push/unauthorized", control::unauthorized);
        routes.put("/sandbox/push/text", control::text);
        return routes;
    }

    /** Its own threads, so a slow or stuck sandbox can never starve the relay's pools, and vice versa. */
    private static ThreadPoolExecutor newExecutor() {
        AtomicInteger count = new AtomicInteger();
        ThreadFactory factory = r -> {
            Thread t = new Thread(r, "wechat-sandbox-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        ThreadPoolExecutor executor = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), factory);
        // Idle sandboxes (one per test class) should not pin 256 threads each.
        executor.allowCoreThreadTimeOut(true);
        return executor;
    }

    private static InetAddress loopback() {
        try {
            return InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
