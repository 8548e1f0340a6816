package dev.kefurelay.component;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import dev.kefurelay.push.PushQuery;
import dev.kefurelay.push.PushReceiver;
import dev.kefurelay.push.PushRefusedException;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One push request on Camel's platform-http, answered as WeChat expects, for the component's consumer and
 * kefu-relay's push server alike. GET is WeChat's URL verification only (fresh, once per nonce, an echostr and never
 * a push's content), every refusal answered alike. POST is checked (signature, replay window, decryption, appid),
 * handed to the caller's {@link Handler}, and answered {@code success} only once that returned: then its nonce is
 * taken. A refused push gets a 4xx naming only the kind of refusal and one WARN line saying why, and reaches no
 * handler; a handler's failure gets 503, so that WeChat pushes it again. No log line holds a push's content.
 */
public final class PushHttp {

    /** The one answer to every refused URL verification. */
    public static final int VERIFICATION_REFUSED = 403;

    private static final Logger LOG = LoggerFactory.getLogger(PushHttp.class);

    /** What a push that passed every check becomes; an exception: not taken, answered 503. */
    @FunctionalInterface
    public interface Handler {
        void handle(Map<String, Object> fields) throws Exception;
    }

    /**
     * Told of each request's result: {@code success}, {@code verified}, {@code unknown_appid}, {@code not_stored}
     * (the handler failed) or the refusal's kind in lower case ({@code bad_signature}, {@code replayed}, …).
     */
    @FunctionalInterface
    public interface Results {
        Results NONE = (endpoint, result) -> { };

        /** @param endpoint the kind of endpoint ({@code component}, {@code account}), never an appid */
        void count(String endpoint, String result);
    }

    /** A handler's answer to a push it cannot take now, though nothing failed (another try of it is in hand). */
    public static final class TryLater extends RuntimeException {
        public TryLater(String message) {
            super(message, null, false, false);
        }
    }

    private final Results results;

    public PushHttp(Results results) {
        this.results = results;
    }

    /**
     * Answers the request on the exchange: its headers are replaced by the answer's.
     *
     * @param endpoint the kind of endpoint, for the results
     * @param scope    names the endpoint in log lines: {@code component}, an appid, never the caller's raw path
     * @param receiver the endpoint's checks, or empty when no keys are configured for it
     */
    public void answer(Exchange exchange, String endpoint, String scope, Optional<PushReceiver> receiver,
            Handler handler) {
        Map<String, String> query = PushQuery.parse(exchange.getMessage().getHeader(Exchange.HTTP_QUERY, String.class));
        boolean get = "GET".equals(exchange.getMessage().getHeader(Exchange.HTTP_METHOD, String.class));
        byte[] body = exchange.getIn().getBody(byte[].class);
        // the request's headers (query parameters among them) are not the answer's
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "text/plain; charset=utf-8");
        if (get) {
            verify(exchange, endpoint, scope, receiver, query, body);
            return;
        }
        if (receiver.isEmpty()) {
            LOG.warn("push to {} refused: no push keys are configured for it", scope);
            reply(exchange, 404, "no push endpoint for " + scope);
            results.count(endpoint, "unknown_appid");
            return;
        }
        try {
            Map<String, Object> fields = receiver.get().receive(query, body == null ? new byte[0] : body);
            handler.handle(fields);
            receiver.get().taken(query);
            reply(exchange, 200, "success");
            results.count(endpoint, "success");
        } catch (PushRefusedException e) {
            LOG.warn("push to {} refused ({} {}): {}", scope, e.status(), e.why(), e.getMessage());
            // the kind only: the log says what was wrong, the caller learns nothing about the keys or the clock
            reply(exchange, e.status(), "refused: " + e.why().name().toLowerCase(Locale.ROOT));
            results.count(endpoint, e.why().name().toLowerCase(Locale.ROOT));
        } catch (TryLater e) {
            LOG.warn("push to {} answered 503 for WeChat to retry: {}", scope, e.getMessage());
            reply(exchange, 503, "not taken, try again");
            results.count(endpoint, "not_stored");
        } catch (Exception e) {
            // not taken: WeChat retries (three times in all), and the retry is taken, its nonce not being used
            LOG.error("push to {} not taken, answered 503 for WeChat to retry: {}", scope, e.toString());
            reply(exchange, 503, "not taken, try again");
            results.count(endpoint, "not_stored");
        }
    }

    /**
     * WeChat's URL verification. Every refusal gets the same answer, whatever failed (no keys for the appid, a
     * signature, a stale timestamp, a used nonce, an echostr that is a push): a GET must not become an oracle for
     * what the receiver holds. The log line says why.
     */
    private void verify(Exchange exchange, String endpoint, String scope, Optional<PushReceiver> receiver,
            Map<String, String> query, byte[] body) {
        try {
            if (receiver.isEmpty()) {
                LOG.warn("URL verification of {} refused: no push keys are configured for it", scope);
                results.count(endpoint, "unknown_appid");
            } else {
                reply(exchange, 200, receiver.get().verify(query, body));
                // WeChat's, or WeCom's for a corp's callback URL
                LOG.info("push URL of {} verified", scope);
                results.count(endpoint, "verified");
                return;
            }
        } catch (PushRefusedException e) {
            LOG.warn("URL verification of {} refused ({}): {}", scope, e.why(), e.getMessage());
            results.count(endpoint, e.why().name().toLowerCase(Locale.ROOT));
        }
        reply(exchange, VERIFICATION_REFUSED, "refused");
    }

    private static void reply(Exchange exchange, int status, String body) {
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setBody(body);
    }
}
