package dev.kefurelay.wechat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.entity.mime.HttpMultipartMode;
import org.apache.hc.client5.http.entity.mime.MultipartEntityBuilder;
import org.apache.hc.client5.http.impl.ChainElement;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ConnectionRequestTimeoutException;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.Method;
import org.apache.hc.core5.http.message.BasicClassicHttpRequest;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.http.io.entity.HttpEntityWrapper;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * The WeChat API over Apache HttpClient 5 (classic, blocking): one client and pool of keep-alive connections for
 * every call of a component, each call on the thread that makes it. Base URLs are tried in order, and the next one
 * only when no connection could be made: then WeChat cannot have seen the request. An answer lost after the
 * request went out is an unknown outcome for custom/send (the message may have been delivered), a plain retryable
 * failure for everything else; a request that never went out whole is retryable, custom/send too. Pooled
 * connections are retired before a server would close them and checked after a pause ({@link IdleConnections}), so
 * that a connection the server closed while idle does not make a message's outcome unknown.
 *
 * <p>Blocking on purpose: the JDK's asynchronous client cost ~0.3 ms more CPU per message on the benchmark (its
 * selector thread and future stages), and the component decides where a call waits (see {@code SendSteps}).
 *
 * <p>Texts of failures name the path, never the query: the query holds the access token.
 */
public final class WeChatClient implements AutoCloseable {

    /**
     * Connections per base URL. Opened only on demand, so this just bounds the calls in flight: above the
     * concurrency any route will use (camel-http's default total, 200); a call beyond it waits up to the connect
     * timeout for a connection to come free.
     */
    static final int MAX_CONNECTIONS_PER_HOST = 200;

    private static final ObjectMapper JSON = new ObjectMapper();
    /** WeChat's answer to a call that went well, custom/send's every time: read once, its tree shared, read only. */
    private static final byte[] OK = "{\"errcode\":0,\"errmsg\":\"ok\"}".getBytes(StandardCharsets.UTF_8);
    private static final JsonNode OK_TREE = JSON.createObjectNode().put("errcode", 0).put("errmsg", "ok");
    private static final ContentType JSON_UTF8 = ContentType.APPLICATION_JSON.withCharset(StandardCharsets.UTF_8);

    private final CloseableHttpClient http;
    private final List<URI> baseUrls;
    /** The base URLs taken apart once: a request names its host and path, so no URL is parsed per call. */
    private final List<Base> bases;
    private final boolean retryUnknownOutcome;

    /**
     * @param baseUrls            e.g. {@code https://api.weixin.qq.com}, in failover order, without a trailing slash
     * @param readTimeout         how long a call waits for (each part of) the answer
     * @param retryUnknownOutcome treat a lost answer to custom/send as retryable (a duplicate is possible)
     */
    public WeChatClient(List<URI> baseUrls, Duration connectTimeout, Duration readTimeout,
            boolean retryUnknownOutcome) {
        this(baseUrls, connectTimeout, readTimeout, retryUnknownOutcome, IdleConnections.VALIDATE_AFTER);
    }

    WeChatClient(List<URI> baseUrls, Duration connectTimeout, Duration readTimeout, boolean retryUnknownOutcome,
            Duration validateAfterInactivity) {
        if (baseUrls.isEmpty()) {
            throw new IllegalArgumentException("at least one base URL is needed");
        }
        this.baseUrls = List.copyOf(baseUrls);
        this.bases = this.baseUrls.stream().map(Base::of).toList();
        this.retryUnknownOutcome = retryUnknownOutcome;
        var connections = PoolingHttpClientConnectionManagerBuilder.create()
                .setMaxConnPerRoute(MAX_CONNECTIONS_PER_HOST)
                .setMaxConnTotal(MAX_CONNECTIONS_PER_HOST * this.baseUrls.size())
                .setDefaultSocketConfig(SocketConfig.custom().setTcpNoDelay(true).build())
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.of(connectTimeout))
                        .setSocketTimeout(Timeout.of(readTimeout))
                        .setValidateAfterInactivity(TimeValue.of(validateAfterInactivity))
                        .build())
                .build();
        this.http = HttpClients.custom()
                .setConnectionManager(connections)
                // no response timeout here: the connection's socket timeout (readTimeout) is set as it is leased,
                // and a response timeout would set the same socket option again on every call
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setConnectionRequestTimeout(Timeout.of(connectTimeout))
                        .build())
                // the client must never send a POST twice by itself: whether a lost answer may be retried is
                // the contract's decision (unknown outcome), and 429/5xx go through the component's backoff
                .disableAutomaticRetries()
                .disableRedirectHandling()
                .disableCookieManagement()
                .disableAuthCaching()
                // no client certificates or NTLM: a connection carries no user state to look up on every call
                .disableConnectionState()
                .disableContentCompression()
                // no HTTP authentication: the token is in the query (AnswerExec)
                .replaceExecInterceptor(ChainElement.PROTOCOL.name(), AnswerExec.INSTANCE)
                // retired at lease time by their idle limit; the evictor (one daemon thread, ended by close) only
                // closes the sockets of those no call leases again, so that they do not linger half-closed
                .setKeepAliveStrategy(IdleConnections.INSTANCE)
                .evictIdleConnections(TimeValue.of(IdleConnections.MAX_IDLE))
                .build();
    }

    /**
     * POSTs JSON. {@code deliversMessage} says whether a lost answer may mean a delivered message: only then
     * is a read timeout an unknown outcome rather than a plain retryable failure. Throws a
     * {@link SendFailedException} (a {@link RetryableSendException} when trying again may pass).
     */
    public WeChatReply post(String path, String query, String json, boolean deliversMessage) {
        return call(path, query, new StringEntity(json, JSON_UTF8), deliversMessage);
    }

    public WeChatReply get(String path, String query) {
        return call(path, query, null, false);
    }

    /**
     * POSTs one file as the multipart form field {@code field} (media/upload's {@code media}). A lost answer is a
     * plain retryable failure: at worst WeChat keeps an upload nobody uses. The file name goes as UTF-8, as browsers
     * send it (WeCom shows a file message by it: 报价单.pdf must not arrive as ???.pdf), and as RFC 5987's
     * {@code filename*} too.
     */
    public WeChatReply upload(String path, String query, String field, byte[] content, String mime, String filename) {
        return call(path, query, MultipartEntityBuilder.create().setMode(HttpMultipartMode.LEGACY)
                .setCharset(StandardCharsets.UTF_8)
                .addBinaryBody(field, content, ContentType.create(mime), filename).build(), false);
    }

    private WeChatReply call(String path, String query, HttpEntity body, boolean deliversMessage) {
        for (int host = 0; ; host++) {
            Base base = bases.get(host);
            String target = base.path() + path + (query == null ? "" : "?" + query);
            BasicClassicHttpRequest request = new BasicClassicHttpRequest(body == null ? Method.GET : Method.POST,
                    base.host(), target);
            // both kinds of body are byte arrays: repeatable for the next base URL
            WrittenBody written = body == null ? null : new WrittenBody(body);
            request.setEntity(written);
            try {
                return http.execute(base.host(), request, response -> new WeChatReply(response.getCode(),
                        parse(response.getEntity())));
            } catch (IOException | RuntimeException e) {
                if (!isNotConnected(e) || host + 1 >= bases.size()) {
                    throw classify(e, path, deliversMessage, written == null || written.whole);
                }
            }
        }
    }

    /**
     * What a failed call means for the message. Whether WeChat may have acted on it decides: only a request that
     * reached it whole can have been processed. So a failure to connect, to lease a connection, or to write the
     * request out (a connection found reset while writing; a server that stopped reading) is retryable, custom/send
     * too: at most a part of the request reached the server, and a server acts on no request whose body it did not
     * get whole (the body's length is in its headers).
     *
     * <p>Once the whole request was handed to the network, a lost answer (a read timeout, a reset, or a close with no
     * answer at all, {@code NoHttpResponseException}) is an unknown outcome for custom/send: WeChat may have
     * delivered the message and then failed to answer. That holds even on a pooled connection reused after a pause,
     * where the likeliest story is that the server closed it just before the request arrived: the client cannot tell
     * that story from the other one, so it does not guess; it keeps connections from getting there instead
     * ({@link IdleConnections}).
     *
     * @param wholeRequestWritten whether every byte of the request was handed to the network (true for a call
     *                            without a body that got past connecting: its request line is all there is)
     */
    private SendFailedException classify(Exception cause, String path, boolean deliversMessage,
            boolean wholeRequestWritten) {
        String what = cause.getClass().getSimpleName() + " calling " + path;
        if (isNotConnected(cause)) {
            return new RetryableSendException(null, "no connection to WeChat: " + what);
        }
        if (!(cause instanceof IOException)) {
            return new SendFailedException(Reason.WECHAT_ERROR, null, "unexpected " + what);
        }
        if (!wholeRequestWritten) {
            return new RetryableSendException(null, "the request could not be sent whole, so WeChat cannot have "
                    + "processed it: " + what);
        }
        if (deliversMessage && !retryUnknownOutcome) {
            return new SendFailedException(Reason.UNKNOWN_OUTCOME, null,
                    "no answer after the request was sent (" + what + "): it may or may not have been delivered");
        }
        return new RetryableSendException(null, "no answer from WeChat: " + what);
    }

    /**
     * Failures before any byte of the request could reach WeChat: safe to retry or fail over. A connection that
     * could not be leased from the pool in time counts too: the request never left.
     */
    static boolean isNotConnected(Throwable t) {
        return t instanceof ConnectException || t instanceof ConnectTimeoutException
                || t instanceof UnknownHostException || t instanceof NoRouteToHostException
                || t instanceof ConnectionRequestTimeoutException;
    }

    /**
     * The answer's JSON, read once from its bytes (WeChat answers UTF-8 JSON); null when there is none or it is not
     * JSON: a proxy's HTML error page, where the status code is all there is to judge.
     */
    private static JsonNode parse(HttpEntity entity) throws IOException {
        if (entity == null) {
            return null;
        }
        byte[] bytes = AnswerExec.bytes(entity);
        if (Arrays.equals(bytes, OK)) {
            return OK_TREE;
        }
        try {
            JsonNode tree = JSON.readTree(bytes);
            return tree == null || tree.isMissingNode() ? null : tree;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /**
     * The request's body, noting whether it went out whole: set once the body and the headers before it were pushed
     * from the connection's buffer onto the socket without a failure. Until then the server has at most a part.
     */
    private static final class WrittenBody extends HttpEntityWrapper {

        volatile boolean whole;

        WrittenBody(HttpEntity body) {
            super(body);
        }

        @Override
        public void writeTo(OutputStream out) throws IOException {
            super.writeTo(out);
            out.flush();
            whole = true;
        }
    }

    /** A base URL as HttpClient takes it: the host, and the path prefix (empty for {@code https://host}). */
    private record Base(HttpHost host, String path) {

        static Base of(URI url) {
            String path = url.getRawPath() == null ? "" : url.getRawPath();
            return new Base(HttpHost.create(url),
                    path.endsWith("/") ? path.substring(0, path.length() - 1) : path);
        }
    }

    /** Closes the pooled connections; calls still running fail as their connection goes. */
    @Override
    public void close() {
        http.close(CloseMode.GRACEFUL);
    }

    @Override
    public String toString() {
        return "WeChatClient" + baseUrls;
    }
}
