package dev.kefurelay.send;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.http.HttpMethods;
import org.apache.camel.support.DefaultExchange;
import org.apache.hc.client5.http.ConnectTimeoutException;

/**
 * Calls the WeChat API through the {@code direct:kefu-wechat-api} route (camel-http, host failover) on an
 * exchange of its own, so that the caller's headers (JMS properties and the like) never reach WeChat and the
 * token in the query never reaches the caller's exchange.
 */
public final class WeChatApi {

    public static final String ENDPOINT = "direct:kefu-wechat-api";

    /** Failures before any byte of the request could reach WeChat: safe to retry or fail over. */
    static final Class<?>[] NOT_CONNECTED = {ConnectException.class, ConnectTimeoutException.class,
            UnknownHostException.class, NoRouteToHostException.class};

    private static final ObjectMapper JSON = new ObjectMapper();

    private final CamelContext camel;
    private final ProducerTemplate template;
    private final boolean retryUnknownOutcome;

    public WeChatApi(CamelContext camel, boolean retryUnknownOutcome) {
        this.camel = camel;
        this.template = camel.createProducerTemplate();
        this.retryUnknownOutcome = retryUnknownOutcome;
    }

    /**
     * POSTs JSON. {@code deliversMessage} says whether a lost answer may mean a delivered message: only then
     * is a read timeout an unknown outcome rather than a plain retryable failure.
     */
    public WeChatReply post(String path, String query, String json, boolean deliversMessage) {
        return call("POST", path, query, json, deliversMessage);
    }

    public WeChatReply get(String path, String query) {
        return call("GET", path, query, null, false);
    }

    private WeChatReply call(String method, String path, String query, String json, boolean deliversMessage) {
        Exchange exchange = new DefaultExchange(camel);
        // the enum camel-http wants: a String would go through Camel's enum type converter on every call, which
        // showed as ~10% of the relay's CPU samples (TypeConvertible.match, Class.getInterfaces)
        exchange.getMessage().setHeader(Exchange.HTTP_METHOD, HttpMethods.valueOf(method));
        exchange.getMessage().setHeader(Exchange.HTTP_PATH, path);
        exchange.getMessage().setHeader(Exchange.HTTP_QUERY, query);
        if (json != null) {
            exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json; charset=UTF-8");
            exchange.getMessage().setBody(json);
        }
        template.send(ENDPOINT, exchange);
        Exception failure = exchange.getException();
        if (failure != null) {
            throw classify(failure, path, deliversMessage);
        }
        int status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        String body = exchange.getMessage().getBody(String.class);
        return new WeChatReply(status, parse(body));
    }

    private SendFailedException classify(Exception failure, String path, boolean deliversMessage) {
        Throwable cause = rootIo(failure);
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

    static boolean isNotConnected(Throwable t) {
        for (Class<?> c : NOT_CONNECTED) {
            if (c.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static Throwable rootIo(Throwable t) {
        Throwable current = t;
        while (current != null) {
            if (current instanceof IOException) {
                return current;
            }
            current = current.getCause();
        }
        return t;
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
}
