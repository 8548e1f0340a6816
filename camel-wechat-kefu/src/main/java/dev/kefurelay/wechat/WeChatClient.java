package dev.kefurelay.wechat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The WeChat API over {@link HttpClient}: one client (and so one pool of keep-alive connections) for every call
 * of a component. Base URLs are tried in order, and the next one only when no connection could be made: then
 * WeChat cannot have seen the request. An answer lost after the request went out is an unknown outcome for
 * custom/send (the message may have been delivered), a plain retryable failure for everything else.
 *
 * <p>Texts of failures name the path, never the query: the query holds the access token.
 */
public final class WeChatClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final List<URI> baseUrls;
    private final Duration readTimeout;
    private final boolean retryUnknownOutcome;

    /**
     * @param baseUrls            e.g. {@code https://api.weixin.qq.com}, in failover order, without a trailing slash
     * @param executor            the HTTP client's executor: runs the answers' handling and whatever the caller
     *                            chains onto the futures, so that must not block
     * @param retryUnknownOutcome treat a lost answer to custom/send as retryable (a duplicate is possible)
     */
    public WeChatClient(List<URI> baseUrls, Duration connectTimeout, Duration readTimeout, boolean retryUnknownOutcome,
            Executor executor) {
        if (baseUrls.isEmpty()) {
            throw new IllegalArgumentException("at least one base URL is needed");
        }
        this.baseUrls = List.copyOf(baseUrls);
        this.readTimeout = readTimeout;
        this.retryUnknownOutcome = retryUnknownOutcome;
        this.http = HttpClient.newBuilder()
                // WeChat's API is HTTP/1.1; no h2c upgrade headers on cleartext test servers
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(executor)
                .build();
    }

    /**
     * POSTs JSON. {@code deliversMessage} says whether a lost answer may mean a delivered message: only then
     * is a read timeout an unknown outcome rather than a plain retryable failure. The future fails with a
     * {@link SendFailedException} (a {@link RetryableSendException} when trying again may pass).
     */
    public CompletableFuture<WeChatReply> postAsync(String path, String query, String json, boolean deliversMessage) {
        return call(0, path, query, HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8), deliversMessage);
    }

    /** Blocking {@link #postAsync}, for token requests (they run on the token cache's own threads). */
    public WeChatReply post(String path, String query, String json, boolean deliversMessage) {
        return join(postAsync(path, query, json, deliversMessage));
    }

    public WeChatReply get(String path, String query) {
        return join(call(0, path, query, null, false));
    }

    private CompletableFuture<WeChatReply> call(int host, String path, String query,
            HttpRequest.BodyPublisher body, boolean deliversMessage) {
        URI uri = URI.create(baseUrls.get(host) + path + (query == null ? "" : "?" + query));
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(readTimeout);
        if (body == null) {
            request.GET();
        } else {
            request.header("Content-Type", "application/json; charset=UTF-8").POST(body);
        }
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
                .handle((response, failure) -> {
                    if (failure == null) {
                        return CompletableFuture.completedFuture(new WeChatReply(response.statusCode(),
                                parse(response.body())));
                    }
                    Throwable cause = unwrap(failure);
                    if (isNotConnected(cause) && host + 1 < baseUrls.size()) {
                        return call(host + 1, path, query, body, deliversMessage);
                    }
                    return CompletableFuture.<WeChatReply>failedFuture(classify(cause, path, deliversMessage));
                })
                .thenCompose(f -> f);
    }

    private SendFailedException classify(Throwable cause, String path, boolean deliversMessage) {
        String what = cause.getClass().getSimpleName() + " calling " + path;
        if (isNotConnected(cause)) {
            return new RetryableSendException(null, "no connection to WeChat: " + what);
        }
        if (!(cause instanceof IOException)) {
            return new SendFailedException(Reason.WECHAT_ERROR, null, "unexpected " + what);
        }
        if (deliversMessage && !retryUnknownOutcome) {
            return new SendFailedException(Reason.UNKNOWN_OUTCOME, null,
                    "no answer after the request was sent (" + what + "): it may or may not have been delivered");
        }
        return new RetryableSendException(null, "no answer from WeChat: " + what);
    }

    /** Failures before any byte of the request could reach WeChat: safe to retry or fail over. */
    static boolean isNotConnected(Throwable t) {
        return t instanceof ConnectException || t instanceof HttpConnectTimeoutException
                || t instanceof UnknownHostException || t instanceof NoRouteToHostException;
    }

    private static Throwable unwrap(Throwable t) {
        Throwable current = t;
        while (current instanceof CompletionException && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    private static WeChatReply join(CompletableFuture<WeChatReply> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            Throwable cause = unwrap(e);
            throw cause instanceof RuntimeException r ? r : new IllegalStateException(cause);
        }
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            // a proxy's HTML error page: the status code is all there is to judge
            return null;
        }
    }

    @Override
    public String toString() {
        return "WeChatClient" + baseUrls;
    }
}
