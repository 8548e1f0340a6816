package dev.kefurelay.send;

import java.time.Instant;

import dev.kefurelay.message.InvalidMessageException;
import dev.kefurelay.message.OutboundMessage;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.jms.JmsMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records how a message ended: the outcome JSON becomes the body (the JMS reply), the Kefu* headers say
 * it to the edge routes, and one INFO line says it to the operator.
 */
public final class Outcomes {

    private static final Logger LOG = LoggerFactory.getLogger("dev.kefurelay.outcome");

    private final DeliveredIds deliveredIds;
    private final OutcomeListener listener;

    public Outcomes(DeliveredIds deliveredIds, OutcomeListener listener) {
        this.deliveredIds = deliveredIds;
        this.listener = listener;
    }

    public void delivered(Exchange exchange) {
        deliveredIds.delivered(claim(exchange));
        finish(exchange, Outcome.delivered());
    }

    public void duplicate(Exchange exchange) {
        finish(exchange, Outcome.alreadyDelivered());
    }

    /** Called before each new attempt of a message whose attempt failed with a retryable failure. */
    public void retrying(Exchange exchange) {
        OutboundMessage m = message(exchange);
        listener.retry(m == null ? null : m.appid());
    }

    public void failed(Exchange exchange) {
        // first: a copy of the same id waiting for this one's outcome may now be sent
        deliveredIds.failed(claim(exchange));
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        finish(exchange, Outcome.failed(asFailure(e)));
    }

    /** Maps any exception to the contract's reasons; unexpected ones keep their type name, not their text. */
    public static SendFailedException asFailure(Throwable e) {
        if (e instanceof SendFailedException f) {
            return f;
        }
        if (e instanceof InvalidMessageException) {
            return new SendFailedException(Reason.INVALID_INPUT, null, e.getMessage());
        }
        return new SendFailedException(Reason.WECHAT_ERROR, null, "unexpected " + e.getClass().getSimpleName());
    }

    private void finish(Exchange exchange, Outcome outcome) {
        write(exchange.getMessage(), outcome);
        OutboundMessage m = message(exchange);
        long started = exchange.getProperty(KefuHeaders.STARTED, System.nanoTime(), Long.class);
        long latencyMs = (System.nanoTime() - started) / 1_000_000;
        log(m, outcome, latencyMs);
        listener.outcome(m == null ? null : m.appid(), outcome, latencyMs);
    }

    /**
     * Keeps what the caller handed over, for a dead letter: the body as it was (text or bytes) and, from a JMS
     * consumer, the JMS message itself, whose properties are the dead letter's. Held as they came: Camel may
     * replace the exchange's message on the way, and the routes add headers of their own.
     */
    public static void keepInput(Exchange exchange) {
        exchange.setProperty(KefuHeaders.INPUT, exchange.getMessage().getBody());
        JmsMessage jms = exchange.getMessage(JmsMessage.class);
        if (jms != null && jms.getJmsMessage() != null) {
            exchange.setProperty(KefuHeaders.INPUT_JMS, jms.getJmsMessage());
        }
    }

    /**
     * The outcome as the caller sees it: JSON body and Kefu* headers. Shared by every route that reports an
     * outcome (send, typing, the Kamelet's refusal), so they all read alike.
     */
    public static void write(Message out, Outcome outcome) {
        out.setBody(outcome.toJson());
        out.setHeader(KefuHeaders.OUTCOME, outcome.status());
        if (!outcome.isDelivered()) {
            out.setHeader(KefuHeaders.REASON, outcome.reason());
            out.setHeader(KefuHeaders.ERRCODE, outcome.errcode());
            out.setHeader(KefuHeaders.ERRMSG, outcome.errmsg());
            out.setHeader(KefuHeaders.FAILED_AT, Instant.now().toString());
        } else {
            // a route that sends twice on one exchange must not see the first failure on the second success
            // by name, not removeHeaders(pattern): Camel compiles a pattern anew on every call
            out.removeHeader(KefuHeaders.REASON);
            out.removeHeader(KefuHeaders.ERRCODE);
            out.removeHeader(KefuHeaders.ERRMSG);
            out.removeHeader(KefuHeaders.FAILED_AT);
        }
    }

    private static void log(OutboundMessage m, Outcome outcome, long latencyMs) {
        String who = m == null ? "appid=- touser=- msgtype=- id=-"
                : "appid=" + m.appid() + " touser=" + maskUser(m.message().touser()) + " msgtype="
                        + m.message().msgtype() + " id=" + (m.id() == null ? "-" : m.id());
        if (outcome.isDelivered()) {
            LOG.info("{} {} latency={}ms", outcome.status(), who, latencyMs);
        } else {
            LOG.warn("failed {} reason={} errcode={} errmsg={} latency={}ms", who, outcome.reason(),
                    outcome.errcode() == null ? "-" : outcome.errcode(), outcome.errmsg(), latencyMs);
        }
    }

    /** An openid identifies a person: keep enough to correlate, not enough to contact them. */
    public static String maskUser(String openid) {
        if (openid == null || openid.length() <= 6) {
            return "***";
        }
        return openid.substring(0, 4) + "***" + openid.substring(openid.length() - 2);
    }

    /** Null when the message failed before its id was claimed (bad input, unknown account). */
    private static DeliveredIds.Claim claim(Exchange exchange) {
        return exchange.getProperty(KefuHeaders.CLAIM, DeliveredIds.Claim.class);
    }

    private static OutboundMessage message(Exchange exchange) {
        return exchange.getProperty(KefuHeaders.MESSAGE, OutboundMessage.class);
    }
}
